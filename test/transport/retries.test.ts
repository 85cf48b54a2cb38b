import { RETRY_POLICY } from '../../nodes/MftGateway/transport/retryPolicy';
import { useFilesystemBinaryData } from '../harness/n8n';
import { runNode } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

const LIST = { resource: 'message', operation: 'getAll', folder: 'queued', returnAll: true };
const SEND = {
	resource: 'message',
	operation: 'send',
	station: SEED.station,
	partner: 'PARTNER_OK',
	payload: 'text',
	text: 'ISA*00*~',
	fileName: 'po.edi',
};

let env: TestEnv;
beforeAll(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv({ config: { deliveryDelayMs: 3_600_000 } });
});
afterAll(async () => await env.close());
beforeEach(() => {
	env.running.sandbox.faults.clear();
	env.running.sandbox.stats.reset();
	env.running.sandbox.store.state.messages.length = 0;
});

const count = (route: string) => env.running.sandbox.stats.byRoute()[route] ?? 0;
const run = (parameters: Record<string, unknown>) =>
	runNode({ credentials: env.credentials, parameters: parameters as never });

test('429 with Retry-After: waits as told, then succeeds', async () => {
	env.running.sandbox.faults.add({
		route: 'list',
		action: { kind: 'status', status: 429, retryAfter: 1 },
		times: 1,
	});
	const started = Date.now();
	expect((await run(LIST)).error).toBeUndefined();
	expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	expect(count('list')).toBe(2);
});

test('503 twice and a dropped connection on reads: retried, then succeeds', async () => {
	env.running.sandbox.faults.add({
		route: 'list',
		action: { kind: 'status', status: 503 },
		times: 2,
	});
	expect((await run(LIST)).error).toBeUndefined();
	expect(count('list')).toBe(3);
	env.running.sandbox.faults.add({ route: 'list', action: { kind: 'drop' }, times: 1 });
	expect((await run(LIST)).error).toBeUndefined();
});

test('a read that keeps failing gives up after the policy attempts, saying so', async () => {
	env.running.sandbox.faults.add({
		route: 'list',
		action: { kind: 'status', status: 502, body: 'html' },
	});
	const result = await run(LIST);
	expect(count('list')).toBe(RETRY_POLICY.maxAttempts);
	expect(result.error?.message).toMatch(
		/List messages in \/message\/outbox\/queued failed: 502 Internal server error\. MFT Gateway had a server error \(tried 5 times\)/,
	);
	expect(result.error?.message).not.toMatch(/<html|<h1/);
});

test('an empty error body still gives a readable error with the status', async () => {
	env.running.sandbox.faults.add({
		route: 'get',
		action: { kind: 'status', status: 400, body: 'empty' },
		times: 1,
	});
	const result = await run({
		resource: 'message',
		operation: 'get',
		box: 'outbox',
		messageId: '<x@y>',
	});
	expect(result.error?.message).toMatch(
		/failed: HTTP 400\. MFT Gateway refused the request as invalid/,
	);
});

test('404 is not retried and says what to check', async () => {
	const result = await run({
		resource: 'message',
		operation: 'get',
		box: 'inbox',
		messageId: 'nope@x',
	});
	expect(count('get')).toBe(1);
	expect(result.error?.message).toBe(
		'Get message <nope@x> from the inbox failed: Message not found. No message with this ID is in the inbox. Check the ID and the Box (a message you sent is in the outbox).',
	);
	expect(result.error?.httpCode).toBe('404');
});

test('500 after a submit reached the server: not resent, the error says how to check; the sandbox holds one message', async () => {
	env.running.sandbox.faults.add({
		route: 'submit',
		action: { kind: 'status', status: 500 },
		when: 'after',
		times: 1,
	});
	const result = await run(SEND);
	expect(result.error?.message).toMatch(/may already have been queued, so it was NOT sent again/);
	expect(result.error?.message).toMatch(/Queued, Sent and Failed folders/);
	expect(count('submit')).toBe(1);
	expect(env.running.sandbox.store.messagesIn(['queued'])).toHaveLength(1);
});

test('a dropped connection during a submit is not resent either', async () => {
	env.running.sandbox.faults.add({
		route: 'submit',
		action: { kind: 'drop' },
		when: 'after',
		times: 1,
	});
	const result = await run(SEND);
	expect(result.error?.message).toMatch(/NOT sent again/);
	expect(count('submit')).toBe(1);
	expect(env.running.sandbox.store.messagesIn(['queued'])).toHaveLength(1);
});

test('429 on a submit (refused before it was taken) is retried: exactly one message', async () => {
	env.running.sandbox.faults.add({
		route: 'submit',
		action: { kind: 'status', status: 429, retryAfter: 0 },
		times: 1,
	});
	const result = await run(SEND);
	expect(result.error).toBeUndefined();
	expect(count('submit')).toBe(2);
	expect(env.running.sandbox.store.messagesIn(['queued'])).toHaveLength(1);
	env.running.sandbox.store.state.messages.length = 0;
});
