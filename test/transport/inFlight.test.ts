/* eslint-disable @n8n/community-nodes/no-restricted-imports, no-console -- test code: dev-only, never part of the published package; prints its measured figure */
/**
 * Issue 18, item 8 (and the 429-burst question): "25 requests in flight per account" holds for the
 * account, not per execution. A proxy in front of the sandbox counts the requests the API has open.
 */
import { createServer, request, type Server } from 'node:http';

import { MAX_IN_FLIGHT, Throttle } from '../../nodes/MftGateway/transport/throttle';
import { TestCredentialsHelper } from '../harness/n8n';
import { CREDENTIAL_ID, runNode } from '../harness/run';
import { credentialData, SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
let proxy: Server;
let open = 0;
let peak = 0;

beforeAll(async () => {
	env = await startTestEnv();
	const target = new URL(env.running.url);
	proxy = createServer((req, res) => {
		const counted = !req.url?.startsWith('/authorize');
		if (counted) peak = Math.max(peak, ++open);
		const upstream = request(
			{
				host: target.hostname,
				port: target.port,
				method: req.method,
				path: req.url,
				headers: req.headers,
			},
			(answer) => {
				res.writeHead(answer.statusCode ?? 502, answer.headers);
				answer.pipe(res);
			},
		);
		res.on('close', () => counted && open--);
		req.pipe(upstream);
	});
	await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
	await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'x',
		count: 150,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});
});
afterAll(async () => {
	await new Promise((resolve) => proxy.close(resolve));
	await env.close();
});

test('4 executions reading 150 messages each in parallel: at most 25 requests in flight at the API', async () => {
	const credentials = new TestCredentialsHelper();
	const { port } = proxy.address() as { port: number };
	credentials.set(CREDENTIAL_ID, credentialData(`http://127.0.0.1:${port}`));
	env.running.sandbox.faults.add({ route: 'get', action: { kind: 'latency', ms: 30 } });
	const parameters = {
		resource: 'message',
		operation: 'getAll',
		folder: 'inbox',
		returnAll: true,
		options: { includeDetails: true },
	};
	// One login first, so the four start together on a session.
	await runNode({
		credentials,
		parameters: { ...parameters, returnAll: false, limit: 1 } as never,
	});
	peak = 0;
	const runs = await Promise.all(
		[1, 2, 3, 4].map(async () => await runNode({ credentials, parameters: parameters as never })),
	);
	for (const run of runs) {
		expect(run.error).toBeUndefined();
		expect(run.items).toHaveLength(150);
	}
	console.log(
		`4 executions, Get Many with details of 150 messages: ${peak} requests in flight at most`,
	);
	expect(peak).toBeLessThanOrEqual(MAX_IN_FLIGHT);
	expect(peak).toBeGreaterThan(MAX_IN_FLIGHT / 2);
});

test('a burst of 25 parallel 429s halves the limit once, not pinned at 1: back at the ceiling within 250 requests', async () => {
	const throttle = new Throttle(25);
	const slots = await Promise.all(Array.from({ length: 25 }, async () => await throttle.acquire()));
	for (const slot of slots) throttle.release(slot, 'rateLimited');
	expect(throttle.limit(25)).toBe(12);
	let requests = 0;
	while (throttle.limit(25) < 25) {
		throttle.release(await throttle.acquire(), 'ok');
		requests++;
	}
	expect(requests).toBeLessThan(250);
	// A 429 to a request sent after the decrease is a new signal: it halves again.
	const late = await throttle.acquire();
	throttle.release(late, 'rateLimited');
	expect(throttle.limit(25)).toBe(12);
});

test('the semaphore hands places out first come, first served, and never beyond the limit', async () => {
	const throttle = new Throttle(3);
	const order: number[] = [];
	const held = await Promise.all([1, 2, 3].map(async () => await throttle.acquire()));
	const waiting = [4, 5, 6].map(async (n) => {
		const slot = await throttle.acquire();
		order.push(n);
		return slot;
	});
	await Promise.resolve();
	expect(throttle.running).toBe(3);
	expect(order).toEqual([]);
	for (const slot of held) throttle.release(slot, 'ok');
	const later = await Promise.all(waiting);
	expect(order).toEqual([4, 5, 6]);
	expect(throttle.running).toBe(3);
	for (const slot of later) throttle.release(slot, 'ok');
	expect(throttle.running).toBe(0);
});
