/* eslint-disable @n8n/community-nodes/no-restricted-globals -- tests are dev-only; this one reports its numbers */
import type { IDataObject } from 'n8n-workflow';

import { RETRY_POLICY } from '../../nodes/MftGateway/transport/retryPolicy';
import { TRIGGER_NODE_TYPE } from '../harness/n8n';
import { runPoll } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

/** mulberry32, so a failing run can be replayed. */
function random(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

let env: TestEnv;
const baseDelay = RETRY_POLICY.baseDelayMs;
beforeEach(async () => {
	RETRY_POLICY.baseDelayMs = 5; // same policy, shorter waits: this test makes hundreds of retries
	env = await startTestEnv({ faultSeed: 2026 });
});
afterEach(async () => {
	RETRY_POLICY.baseDelayMs = baseDelay;
	await env.close();
});

test.each(['n8n', 'readFlag'])(
	'1,000 messages in bursts while 10%% of calls fail: each emitted exactly once (%s)',
	async (trackBy) => {
		const rnd = random(trackBy === 'n8n' ? 1 : 2);
		const sandbox = env.running.sandbox;
		sandbox.config.tieOrder = 'shuffleEachRequest'; // the worst case: ties reordered between the pages of one scan
		const staticData: IDataObject = {};
		const poll = async () =>
			(
				await runPoll({
					credentials: env.credentials,
					nodeType: TRIGGER_NODE_TYPE,
					staticData,
					parameters: { event: 'messageReceived', trackBy, options: { maxPerPoll: 150 } as never },
				})
			).items;
		expect(await poll()).toBeNull();
		for (const status of [500, 502, 503])
			sandbox.faults.add({ route: '*', action: { kind: 'status', status }, rate: 0.025 });
		sandbox.faults.add({
			route: '*',
			action: { kind: 'status', status: 429, retryAfter: 0 },
			rate: 0.015,
		});
		sandbox.faults.add({ route: '*', action: { kind: 'drop' }, rate: 0.01 });

		const injected: string[] = [];
		const emitted: string[] = [];
		let failedPolls = 0;
		let quietInARow = 0;
		for (let round = 0; round < 400 && (injected.length < 1000 || quietInARow < 3); round++) {
			if (injected.length < 1000) {
				const size = Math.min(1000 - injected.length, Math.floor(rnd() * 120));
				const sameMillisecond = rnd() < 0.5 ? Date.now() : undefined;
				if (size > 0)
					injected.push(
						...(await sandbox.deliverInbound({
							station: SEED.station,
							partner: 'PARTNER_OK',
							subject: `burst ${round}`,
							count: size,
							timestamp: sameMillisecond,
							files: [
								{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from(String(round)) },
							],
						})),
					);
			}
			sandbox.reshuffleTies();
			try {
				const items = await poll();
				emitted.push(...(items ?? []).map((i) => i.json.identifier as string));
				quietInARow = items || injected.length < 1000 ? 0 : quietInARow + 1;
			} catch {
				failedPolls++; // raised through n8n's trigger error path; the next poll catches up
				quietInARow = 0;
			}
		}
		const faultsFired = sandbox.faults.list().reduce((sum, rule) => sum + rule.fired, 0);
		expect(injected).toHaveLength(1000);
		expect(faultsFired).toBeGreaterThan(100);
		expect(new Set(emitted).size).toBe(emitted.length); // no duplicates
		expect([...emitted].sort()).toEqual([...injected].sort()); // nothing missing
		expect(JSON.stringify(staticData).length).toBeLessThan(120_000); // bounded: 500 cached timestamps + at most 2,000 handled ids
		process.stdout.write(
			`randomized ${trackBy}: ${emitted.length} emitted, ${faultsFired} faults, ${failedPolls} failed polls, state ${JSON.stringify(staticData).length} bytes\n`,
		);
	},
	300_000,
);
