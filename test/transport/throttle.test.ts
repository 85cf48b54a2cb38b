/** Issue 11: more requests in flight by default, with a ceiling that backs off on 429 and grows back slowly. */
import { TaskPool } from '../../nodes/MftGateway/helpers/concurrency';
import { MAX_IN_FLIGHT, Throttle, throttleFor } from '../../nodes/MftGateway/transport/throttle';
import { CREDENTIAL_ID, runNode } from '../harness/run';
import { SEED, startTestEnv } from '../harness/sandbox';

test('a 429 halves the limit; it grows back by one per limit-many successes, up to the ceiling', () => {
	const throttle = new Throttle(20);
	expect(throttle.limit(50)).toBe(20);
	expect(throttle.limit(5)).toBe(5);
	throttle.rateLimited();
	expect(throttle.limit(50)).toBe(10);
	throttle.rateLimited();
	throttle.rateLimited();
	throttle.rateLimited();
	throttle.rateLimited();
	expect(throttle.limit(50)).toBe(1);
	throttle.succeeded();
	expect(throttle.limit(50)).toBe(2);
	for (let i = 0; i < 2; i++) throttle.succeeded();
	expect(throttle.limit(50)).toBe(3);
	for (let i = 0; i < 1000; i++) throttle.succeeded();
	expect(throttle.limit(50)).toBe(20);
});

test('a pool never runs more tasks than the throttle allows at that moment', async () => {
	const throttle = new Throttle(8);
	const pool = new TaskPool<number>(8, throttle);
	let running = 0;
	let peak = 0;
	const peaks: number[] = [];
	for (let i = 0; i < 60; i++) {
		pool.add(async () => {
			running++;
			peak = Math.max(peak, running);
			await Promise.resolve();
			await Promise.resolve();
			if (i === 10) {
				peaks.push(peak);
				throttle.rateLimited();
				throttle.rateLimited();
				peak = 0;
			}
			running--;
			return i;
		});
	}
	const results = await pool.results();
	expect(results).toEqual(Array.from({ length: 60 }, (_, i) => i));
	expect(peaks[0]).toBe(8);
	expect(peak).toBeLessThanOrEqual(8);
});

test('Get Many with details under 429s: every message once, in order, and the account throttle backed off', async () => {
	const env = await startTestEnv();
	try {
		const ids = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'x',
			count: 120,
			timestamp: Date.now() - 60_000,
			timestampStepMs: 1,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		env.running.sandbox.faults.add({
			route: 'get',
			action: { kind: 'status', status: 429, retryAfter: 0 },
			rate: 0.1,
		});
		const run = await runNode({
			credentials: env.credentials,
			parameters: {
				resource: 'message',
				operation: 'getAll',
				folder: 'inbox',
				returnAll: true,
				options: { includeDetails: true },
			} as never,
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => i.json.identifier)).toEqual([...ids].reverse());
		expect(
			env.running.sandbox.stats.requests.filter((r) => r.status === 429).length,
		).toBeGreaterThan(3);
		// The account's throttle (shared by this process's executions) is below its ceiling now.
		expect(throttleFor(CREDENTIAL_ID).limit(MAX_IN_FLIGHT)).toBeLessThan(MAX_IN_FLIGHT);
	} finally {
		await env.close();
	}
});
