import type { IDataObject } from 'n8n-workflow';

import { SandboxClient } from '../harness/client';
import { useFilesystemBinaryData } from '../harness/n8n';
import { runWebhook } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

/** Station and Partner filters on notifications that do not name them: the message is looked up. */

let env: TestEnv;
let client: SandboxClient;
let workflowCounter = 0;
beforeEach(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv();
	client = new SandboxClient(env.running.url);
	await client.login('apiToken');
});
afterEach(async () => await env.close());

const rl = (value: string) => ({ __rl: true, mode: 'id', value });

const call = (body: unknown, options: IDataObject) =>
	runWebhook({
		credentials: env.credentials,
		parameters: { events: ['messageFailed'], options } as never,
		body,
		workflowId: `wf-filters-${++workflowCounter}`,
	});

/** The minimal MESSAGE.SEND.FAILED body (reference §6): no station, no partner. */
const minimal = (id: string) => ({
	messageAS2ID: id,
	failureReason: 'Received HTTP status code of 422',
	eventType: 'MESSAGE.SEND.FAILED',
});

async function failedMessage(): Promise<string> {
	const id = (await client.submit('PARTNER_REJECTS')).json.messageIdentifier as string;
	await client.settle();
	return id;
}

test('Partner filter: the minimal failure body of a matching partner starts the workflow (the partner is looked up); another partner is ignored', async () => {
	const id = await failedMessage();
	const matching = await call(minimal(id), { partner: rl('PARTNER_REJECTS') });
	expect(matching.items).toHaveLength(1);
	expect(matching.items![0].json).toMatchObject({
		id,
		event: 'messageFailed',
		partner: 'PARTNER_REJECTS',
		station: SEED.station,
		failureReason: 'Received HTTP status code of 422',
	});
	expect((await call(minimal(id), { partner: rl('PARTNER_OK') })).items).toBeUndefined();
});

const apiCalls = () =>
	env.running.sandbox.stats.requests.map((r) => r.route).filter((r) => r !== 'authorize');

test('Station and Partner filters and Include Message Details together cost one lookup', async () => {
	const id = await failedMessage();
	env.running.sandbox.stats.reset();
	const result = await call(minimal(id), {
		station: rl(SEED.station),
		partner: rl('PARTNER_REJECTS'),
	});
	expect(result.items).toHaveLength(1);
	expect(apiCalls()).toEqual(['get']);
	env.running.sandbox.stats.reset();
	const detailed = await runWebhook({
		credentials: env.credentials,
		parameters: {
			events: ['messageFailed'],
			includeMessage: true,
			options: { partner: rl('PARTNER_REJECTS') },
		} as never,
		body: minimal(id),
		workflowId: `wf-filters-${++workflowCounter}`,
	});
	expect(detailed.items![0].json).toMatchObject({
		id,
		partner: 'PARTNER_REJECTS',
		status: 'Failed',
	});
	expect(apiCalls()).toEqual(['get']);
});

test('a body that names its partner is filtered without any request', async () => {
	const id = await failedMessage();
	env.running.sandbox.stats.reset();
	const body = { ...minimal(id), partnerAS2ID: 'PARTNER_OK' };
	expect((await call(body, { partner: rl('PARTNER_REJECTS') })).items).toBeUndefined();
	expect((await call(body, { partner: rl('PARTNER_OK') })).items).toHaveLength(1);
	expect(apiCalls()).toEqual([]);
});

test('a message the API does not know: its partner is unknown, so a Partner filter ignores it', async () => {
	const result = await call(minimal('<unknown@mftgateway.com>'), {
		partner: rl('PARTNER_REJECTS'),
	});
	expect([result.items, result.saved]).toEqual([undefined, false]);
});
