import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { TRIGGER_NODE_TYPE } from '../harness/n8n';
import { runPoll } from '../harness/run';
import { SandboxClient } from '../harness/client';
import { startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
let client: SandboxClient;
beforeEach(async () => {
	env = await startTestEnv({
		config: { deliveryDelayMs: 3_600_000, retryDelayMs: 3_600_000, maxAttempts: 2 },
	});
	client = new SandboxClient(env.running.url);
	await client.login();
});
afterEach(async () => await env.close());

function trigger(event: string) {
	const staticData: IDataObject = {};
	return async () => {
		const result = await runPoll({
			credentials: env.credentials,
			nodeType: TRIGGER_NODE_TYPE,
			staticData,
			parameters: { event, options: {} },
		});
		return (result.items ?? []).map((i) => i.json);
	};
}

const submit = async (partner: string) =>
	(await client.submit(partner)).json.messageIdentifier as string;

test('sent, failed and incomplete events fire once per message as the lifecycle moves them', async () => {
	const sent = trigger('messageSent');
	const failed = trigger('messageFailed');
	const incomplete = trigger('messageIncomplete');
	for (const poll of [sent, failed, incomplete]) expect(await poll()).toEqual([]);
	const ok1 = await submit('PARTNER_OK');
	const ok2 = await submit('PARTNER_OK');
	const rejected = await submit('PARTNER_REJECTS');
	const down = await submit('PARTNER_DOWN');
	const silent = await submit('PARTNER_NO_MDN');
	for (const poll of [sent, failed, incomplete]) expect(await poll()).toEqual([]); // all still queued
	await client.settle();
	const [s, f, i] = [await sent(), await failed(), await incomplete()];
	expect(s.map((m) => m.identifier)).toEqual([ok1, ok2]);
	expect(s[0]).toMatchObject({
		event: 'messageSent',
		msgStatus: 'Sent',
		mdnMessage: expect.any(Object),
	});
	expect(f.map((m) => m.identifier).sort()).toEqual([rejected, down].sort());
	expect(f.find((m) => m.identifier === rejected)).toMatchObject({
		event: 'messageFailed',
		failureReason: 'Received HTTP status code of 422',
	});
	expect(i.map((m) => m.identifier)).toEqual([silent]);
	for (const poll of [sent, failed, incomplete]) expect(await poll()).toEqual([]);
});

test('a message that fails long after newer ones already failed is still reported (it was seen queued)', async () => {
	const failed = trigger('messageFailed');
	await failed();
	const slow = await submit('PARTNER_DOWN'); // its first attempt is an hour away
	expect(await failed()).toEqual([]); // sees it queued
	env.running.sandbox.config.deliveryDelayMs = 10;
	const quick = await submit('PARTNER_REJECTS');
	while (!env.running.sandbox.store.findMessage(quick, ['failed'])) await sleep(10);
	expect((await failed()).map((m) => m.identifier)).toEqual([quick]);
	await client.settle(); // now the slow one runs out of retries
	expect(env.running.sandbox.store.findMessage(slow, ['failed'])!.timestamp).toBeLessThan(
		env.running.sandbox.store.findMessage(quick, ['failed'])!.timestamp,
	);
	expect((await failed()).map((m) => m.identifier)).toEqual([slow]);
	expect(await failed()).toEqual([]);
});

test('a message sent and delivered between two polls is reported once', async () => {
	const sent = trigger('messageSent');
	await sent();
	env.running.sandbox.config.deliveryDelayMs = 10;
	const id = await submit('PARTNER_OK');
	while (!env.running.sandbox.store.findMessage(id, ['sent'])) await sleep(10);
	expect((await sent()).map((m) => m.identifier)).toEqual([id]);
	expect(await sent()).toEqual([]);
});
