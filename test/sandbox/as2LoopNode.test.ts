import { runNode, runPoll } from '../harness/run';
import { TRIGGER_NODE_TYPE, useFilesystemBinaryData } from '../harness/n8n';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';
import { AS2_LOOP } from '../../sandbox';

/**
 * The demo's loop through n8n-core's real execution code: Send with Wait for Delivery from MYSTATION to
 * SANDBOX_B goes over real AS2; MDN Get verifies SANDBOX_B's real signature against the account's certificate;
 * the trigger on SANDBOX_B fires once for it.
 */

let env: TestEnv;
beforeAll(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv({ as2Loop: true, config: { deliveryDelayMs: 20 } });
});
afterAll(async () => await env.close());

const run = (parameters: Record<string, unknown>) =>
	runNode({ credentials: env.credentials, parameters: parameters as never });

test('send → real AS2 → verified MDN; the trigger on station B fires once', async () => {
	const poll = (staticData: Record<string, unknown>) =>
		runPoll({
			credentials: env.credentials,
			nodeType: TRIGGER_NODE_TYPE,
			staticData: staticData as never,
			parameters: {
				event: 'messageReceived',
				trackBy: 'n8n',
				options: { station: AS2_LOOP.station } as never,
			},
		});
	const staticData = {};
	expect((await poll(staticData)).items).toBeNull();

	const sent = await run({
		resource: 'message',
		operation: 'send',
		station: SEED.station,
		partner: AS2_LOOP.partner,
		payload: 'text',
		text: 'UNH+1+ORDERS:D:96A:UN',
		fileName: 'order.edi',
		waitForDelivery: true,
		waitTimeout: 20,
	});
	expect(sent.error).toBeUndefined();
	expect(sent.items[0].json.deliveryStatus).toBe('sent');
	const id = String(sent.items[0].json.messageIdentifier);

	const mdn = await run({
		resource: 'mdn',
		operation: 'get',
		box: 'outbox',
		messageId: id,
		binaryPropertyName: 'mdn',
		verifySignature: true,
		certificateSource: 'account',
	});
	expect(mdn.error).toBeUndefined();
	expect(mdn.items[0].json).toMatchObject({
		originalMessageId: id,
		signed: true,
		signatureValid: true,
		micMatches: true,
		disposition: { type: 'processed', successful: true },
		signer: { subject: expect.stringContaining(`CN=${AS2_LOOP.station}`) },
	});

	const fired = (await poll(staticData)).items ?? [];
	expect(fired.map((item) => item.json.messageIdentifier ?? item.json.identifier)).toEqual([id]);
	expect((await poll(staticData)).items).toBeNull();
});
