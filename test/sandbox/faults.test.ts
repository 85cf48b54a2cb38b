import { startSandbox, type RunningSandbox } from '../../sandbox';
import { SandboxClient } from '../harness/client';

let running: RunningSandbox;
let client: SandboxClient;
beforeEach(async () => {
	running = await startSandbox({ config: { deliveryDelayMs: 3_600_000 }, faultSeed: 42 });
	client = new SandboxClient(running.url);
	await client.login();
});
afterEach(async () => await running.close());

test('scripted: the next 2 list calls fail with 503, then it answers', async () => {
	await client.fault({ route: 'list', action: { kind: 'status', status: 503 }, times: 2 });
	const statuses = [];
	for (let i = 0; i < 3; i++) statuses.push((await client.call('GET', '/message/inbox')).status);
	expect(statuses).toEqual([503, 503, 200]);
	expect((await client.call('GET', '/_sandbox/faults', { token: null })).json.faults).toEqual([]);
});

test('429 carries Retry-After; unknown fault kinds are refused', async () => {
	await client.fault({
		route: 'get',
		action: { kind: 'status', status: 429, retryAfter: 3 },
		times: 1,
	});
	const answer = await client.call('GET', '/message/inbox/%3Cx%3E');
	expect(answer.status).toBe(429);
	expect(answer.headers.get('retry-after')).toBe('3');
	expect(answer.json).toEqual({ message: 'Too Many Requests' });
	expect(
		(
			await client.call('POST', '/_sandbox/faults', {
				body: { route: 'get', action: { kind: 'explode' } },
				token: null,
			})
		).status,
	).toBe(400);
});

test('"after" faults: the submit is stored, the answer is lost', async () => {
	await client.fault({
		route: 'submit',
		action: { kind: 'status', status: 500 },
		when: 'after',
		times: 1,
	});
	expect((await client.submit('PARTNER_OK')).status).toBe(500);
	expect(running.sandbox.store.messagesIn(['queued'])).toHaveLength(1);
	await client.fault({ route: 'submit', action: { kind: 'drop' }, when: 'before', times: 1 });
	await expect(client.submit('PARTNER_OK')).rejects.toThrow();
	expect(running.sandbox.store.messagesIn(['queued'])).toHaveLength(1);
});

test('token expiry: this and later calls with that token get 401; a new login works', async () => {
	await client.fault({ route: 'list', action: { kind: 'expireToken' }, times: 1 });
	expect((await client.call('GET', '/message/inbox')).json).toEqual({
		message: 'The incoming token has expired',
	});
	expect((await client.call('GET', '/message/inbox')).status).toBe(401);
	await client.login();
	expect((await client.call('GET', '/message/inbox')).status).toBe(200);
});

test('latency and seeded random rates repeat for the same seed', async () => {
	await client.fault({ route: 'list', action: { kind: 'latency', ms: 120 }, times: 1 });
	const started = Date.now();
	await client.call('GET', '/message/inbox');
	expect(Date.now() - started).toBeGreaterThanOrEqual(100);
	const pattern = async () => {
		await client.call('POST', '/_sandbox/faults', {
			body: {
				seed: 7,
				rules: [{ route: 'list', action: { kind: 'status', status: 502 }, rate: 0.3 }],
			},
			token: null,
		});
		const seen = [];
		for (let i = 0; i < 40; i++) seen.push((await client.call('GET', '/message/inbox')).status);
		await client.call('DELETE', '/_sandbox/faults', { token: null });
		return seen;
	};
	const first = await pattern();
	expect(await pattern()).toEqual(first);
	const failures = first.filter((s) => s === 502).length;
	expect(failures).toBeGreaterThan(4);
	expect(failures).toBeLessThan(24);
});
