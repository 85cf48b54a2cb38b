/** Issue 10, items 6 and 7: a failed Get Many leaves read flags as they were; Return All outputs each message once. */
import { runNode } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
beforeEach(async () => (env = await startTestEnv()));
afterEach(async () => await env.close());

const deliver = (count: number) =>
	env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'x',
		count,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});
const unread = () =>
	env.running.sandbox.store.messagesIn(['inbox']).filter((m) => !m.isRead).length;
const getMany = (options: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
	runNode({
		credentials: env.credentials,
		parameters: {
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			...extra,
			options: { includeDetails: true, markAsRead: true, concurrency: 5, ...options },
		} as never,
	});

describe('a failed Get Many leaves read flags as they were', () => {
	test.each([
		['unread only (marked while read, restored on failure)', {}],
		['with already-read messages (read first, marked after)', { includeRead: true }],
	])('%s', async (_, options) => {
		await deliver(40);
		// One detail read fails for good (400 is not retried) while others run in parallel.
		env.running.sandbox.faults.add({
			route: 'get',
			action: { kind: 'status', status: 400, message: 'Broken message' },
			skip: 12,
			times: 1,
		});
		const failed = await getMany(options);
		expect(failed.error?.message).toMatch(/Broken message/);
		expect(unread()).toBe(40);
		// Reads stop at the first failure: not all 40 were started.
		expect(env.running.sandbox.stats.byRoute().get).toBeLessThan(40);
		const ok = await getMany(options);
		expect(ok.error).toBeUndefined();
		expect(ok.items).toHaveLength(40);
		expect(unread()).toBe(0);
	});

	test('with already-read messages, a failure while marking puts back what was marked', async () => {
		await deliver(10);
		const [first] = env.running.sandbox.store.messagesIn(['inbox']);
		first.isRead = true;
		// 10 reads without marking succeed; the 4th marking read fails.
		env.running.sandbox.faults.add({
			route: 'get',
			action: { kind: 'status', status: 400, message: 'Broken' },
			skip: 13,
			times: 1,
		});
		const failed = await getMany({ includeRead: true, concurrency: 1 });
		expect(failed.error?.message).toMatch(/Broken/);
		expect(unread()).toBe(9);
		expect(first.isRead).toBe(true);
	});
});

test('Return All outputs each message once while messages arrive between page requests', async () => {
	const before = await deliver(35);
	// Before the 2nd and 3rd page requests, 3 new messages arrive (newest first: every page shifts by 3).
	env.running.sandbox.faults.add({
		route: 'list',
		action: { kind: 'arrive', count: 3 },
		skip: 1,
		times: 2,
	});
	const run = await runNode({
		credentials: env.credentials,
		parameters: {
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			options: { pageSize: 10 },
		} as never,
	});
	expect(run.error).toBeUndefined();
	const ids = run.items.map((i) => i.json.messageIdentifier as string);
	expect(new Set(ids).size).toBe(ids.length);
	expect(ids).toEqual(expect.arrayContaining(before));
	expect(env.running.sandbox.arrived).toHaveLength(6);
});
