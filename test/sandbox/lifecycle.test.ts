import { createHash } from 'node:crypto';

import { sleep } from 'n8n-workflow';

import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { enc, SandboxClient } from '../harness/client';

let running: RunningSandbox;
let client: SandboxClient;
beforeAll(async () => {
	running = await startSandbox({
		config: { deliveryDelayMs: 2000, retryDelayMs: 20, maxAttempts: 3, flakyFailures: 2 },
	});
	client = new SandboxClient(running.url);
	await client.login();
});
afterAll(async () => await running.close());

async function waitUntilSettled(): Promise<void> {
	for (let i = 0; i < 600 && running.sandbox.store.messagesIn(['queued']).length > 0; i++)
		await sleep(10);
}

test('each partner behaviour moves a queued message to its final box, on the timers', async () => {
	const ids: Record<string, string> = {};
	for (const partner of Object.keys(SEED.partners))
		ids[partner] = (await client.submit(partner, `payload for ${partner}`)).json.messageIdentifier;
	expect(
		(await client.call('GET', '/message/outbox/queued?pageLength=100')).json.messages,
	).toHaveLength(5);
	await waitUntilSettled();
	const box = async (path: string) =>
		(await client.call('GET', `/message/outbox${path}?pageLength=100`)).json.messages.sort();
	expect(await box('')).toEqual([ids.PARTNER_OK, ids.PARTNER_FLAKY].sort());
	expect(await box('/failed')).toEqual([ids.PARTNER_REJECTS, ids.PARTNER_DOWN].sort());
	expect(await box('/incomplete')).toEqual([ids.PARTNER_NO_MDN]);
	expect(await box('/queued')).toEqual([]);

	const get = async (id: string) => (await client.call('GET', `/message/outbox/${enc(id)}`)).json;
	const ok = await get(ids.PARTNER_OK);
	const expectedMic = `${createHash('sha256').update('payload for PARTNER_OK').digest('base64')}, sha-256`;
	expect(ok).toMatchObject({
		msgStatus: 'Sent',
		mdnStatus: 'Received; MDN Signature Verified',
		transportStatusReceived: 200,
		mic: expectedMic,
		micMatches: true,
		failures: 0,
	});
	expect(ok.mdnMessage).toMatchObject({
		identifier: ids.PARTNER_OK,
		disposition: 'automatic-action/MDN-sent-automatically; processed',
		mic: expectedMic,
		signed: true,
		incoming: true,
	});
	expect(await get(ids.PARTNER_FLAKY)).toMatchObject({ msgStatus: 'Sent', failures: 2 });
	expect(await get(ids.PARTNER_REJECTS)).toMatchObject({
		msgStatus: 'Failed',
		failureReason: 'Received HTTP status code of 422',
		failures: 1,
		transportStatusReceived: 422,
	});
	expect(await get(ids.PARTNER_DOWN)).toMatchObject({
		msgStatus: 'Failed',
		failureReason: 'Received HTTP status code of 503',
		failures: 3,
	});
	const incomplete = await get(ids.PARTNER_NO_MDN);
	expect(incomplete).toMatchObject({ msgStatus: 'Incomplete', transportStatusReceived: 200 });
	expect(incomplete.mdnMessage).toBeUndefined();
	expect((await client.call('GET', `/message/outbox/${enc(ids.PARTNER_NO_MDN)}/mdn`)).status).toBe(
		404,
	);
	expect(
		(await client.call('GET', `/message/outbox/${enc(ids.PARTNER_REJECTS)}/mdn`)).json,
	).toEqual({ message: 'MDN not found' });
});

test('a partner behaviour can be changed at run time', async () => {
	const set = await client.call('PUT', '/_sandbox/partners/PARTNER_OK/behaviour', {
		body: { behaviour: 'reject' },
		token: null,
	});
	expect(set.status).toBe(200);
	const id = (await client.submit('PARTNER_OK')).json.messageIdentifier;
	await waitUntilSettled();
	expect((await client.call('GET', `/message/outbox/${enc(id)}`)).json.msgStatus).toBe('Failed');
	expect(
		(
			await client.call('PUT', '/_sandbox/partners/PARTNER_OK/behaviour', {
				body: { behaviour: 'sometimes' },
				token: null,
			})
		).status,
	).toBe(400);
	await client.call('PUT', '/_sandbox/partners/PARTNER_OK/behaviour', {
		body: { behaviour: 'accept' },
		token: null,
	});
});
