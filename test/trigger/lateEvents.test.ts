/**
 * Issue 10, items 9 to 11: outbound events held back by Max Messages per Poll come later; messages that
 * become visible late (stamped older than ones already emitted) are emitted once; Emit Existing costs
 * O(N) requests.
 */
import type { IDataObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { SandboxClient } from '../harness/client';
import { TRIGGER_NODE_TYPE } from '../harness/n8n';
import { runPoll } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
afterEach(async () => await env.close());

function trigger(parameters: IDataObject) {
	const staticData: IDataObject = {};
	return async () => {
		const result = await runPoll({
			credentials: env.credentials,
			nodeType: TRIGGER_NODE_TYPE,
			staticData,
			parameters: parameters as never,
		});
		return (result.items ?? []).map((i) => String(i.json.identifier ?? i.json.messageIdentifier));
	};
}

const deliver = (count: number, timestamp?: number) =>
	env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'in',
		count,
		timestamp,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});

async function drain(poll: () => Promise<string[]>, max = 100): Promise<string[][]> {
	const polls: string[][] = [];
	for (let i = 0; i < max; i++) {
		const ids = await poll();
		if (ids.length === 0) return polls;
		polls.push(ids);
	}
	throw new Error('the trigger kept emitting');
}

test('outbound: two late failures held back by Max Messages per Poll = 1 both come, one per poll', async () => {
	env = await startTestEnv({
		config: { deliveryDelayMs: 10, retryDelayMs: 3_600_000, maxAttempts: 2 },
	});
	const client = new SandboxClient(env.running.url);
	await client.login();
	// Look-back 0: only the Queued tracking can find them (they are older than what was emitted).
	const failed = trigger({
		event: 'messageFailed',
		options: { maxPerPoll: 1, lookBackMinutes: 0 },
	});
	await failed();
	const slow = [
		(await client.submit('PARTNER_DOWN')).json.messageIdentifier,
		(await client.submit('PARTNER_DOWN')).json.messageIdentifier,
	];
	await sleep(50); // first attempts fail, the retries are an hour away
	expect(await failed()).toEqual([]);
	const quick = (await client.submit('PARTNER_REJECTS')).json.messageIdentifier;
	while (!env.running.sandbox.store.findMessage(quick, ['failed'])) await sleep(10);
	expect(await failed()).toEqual([quick]);
	await client.settle(); // both slow ones run out of retries now, stamped older than `quick`
	const polls = await drain(failed);
	expect(polls).toEqual([[slow[0]], [slow[1]]]);
});

describe('late arrivals', () => {
	test('tracked in n8n: a message stamped a minute older than one already emitted is emitted once', async () => {
		env = await startTestEnv();
		const poll = trigger({ event: 'messageReceived', trackBy: 'n8n', options: {} });
		await poll();
		const [newer] = await deliver(1);
		expect(await poll()).toEqual([newer]);
		const [late] = await deliver(1, Date.now() - 60_000);
		expect(await poll()).toEqual([late]);
		expect(await poll()).toEqual([]);
	});

	test('tracked in n8n: outside the look-back window it is not (the documented limit); a quiet poll stays one request', async () => {
		env = await startTestEnv();
		const poll = trigger({
			event: 'messageReceived',
			trackBy: 'n8n',
			options: { lookBackMinutes: 5 },
		});
		await poll();
		await deliver(1);
		await poll();
		await deliver(1, Date.now() - 10 * 60_000);
		env.running.sandbox.stats.reset();
		expect(await poll()).toEqual([]);
		expect(env.running.sandbox.stats.requests.map((r) => r.route)).toEqual(['list', 'get']);
		env.running.sandbox.stats.reset();
		expect(await poll()).toEqual([]);
		expect(env.running.sandbox.stats.requests.map((r) => r.route)).toEqual(['list']);
	});

	test('read flag: every unread message is emitted once, however old its stamp, and then marked read', async () => {
		env = await startTestEnv();
		const poll = trigger({ event: 'messageReceived', trackBy: 'readFlag', options: {} });
		await poll();
		const [newer] = await deliver(1);
		expect(await poll()).toEqual([newer]);
		const [late] = await deliver(1, Date.now() - 24 * 3600_000);
		expect(await poll()).toEqual([late]);
		expect(await poll()).toEqual([]);
		expect(env.running.sandbox.store.messagesIn(['inbox']).filter((m) => !m.isRead)).toEqual([]);
	});

	test('read flag, Emit Existing off: what was unread at activation is never emitted', async () => {
		env = await startTestEnv();
		const old = await deliver(3);
		const poll = trigger({ event: 'messageReceived', trackBy: 'readFlag', options: {} });
		expect(await poll()).toEqual([]);
		const [fresh] = await deliver(1, Date.now() - 3600_000);
		expect(await poll()).toEqual([fresh]);
		expect(await poll()).toEqual([]);
		expect(
			env.running.sandbox.store
				.messagesIn(['inbox'])
				.filter((m) => !m.isRead)
				.map((m) => m.identifier)
				.sort(),
		).toEqual([...old].sort());
	});
});

describe('Emit Existing on first activation is linear', () => {
	test.each(['n8n', 'readFlag'])(
		'2,000 existing messages at 100 per poll (%s): each once, in order, O(N) requests',
		async (trackBy) => {
			env = await startTestEnv();
			const base = Date.now() - 3600_000;
			const existing = await env.running.sandbox.deliverInbound({
				station: SEED.station,
				partner: 'PARTNER_OK',
				subject: 'old',
				count: 2000,
				timestamp: base,
				timestampStepMs: 1,
				files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
			});
			env.running.sandbox.stats.reset();
			const poll = trigger({
				event: 'messageReceived',
				trackBy,
				options: { emitExisting: true, maxPerPoll: 100 },
			});
			const polls = await drain(poll);
			expect(polls.map((p) => p.length)).toEqual(Array(20).fill(100));
			expect(polls.flat()).toEqual(existing);
			const byRoute = env.running.sandbox.stats.byRoute();
			// One read per message to emit it (plus, in read-flag mode, one to mark it read), and about one list page per poll.
			const reads = trackBy === 'readFlag' ? 4000 : 2000;
			expect(byRoute.get).toBe(reads);
			expect(byRoute.list).toBeLessThanOrEqual(25);
			// Afterwards a quiet poll reads nothing: the handled ids carry their timestamps.
			env.running.sandbox.stats.reset();
			expect(await poll()).toEqual([]);
			expect(env.running.sandbox.stats.byRoute().get ?? 0).toBe(0);
		},
	);
});
