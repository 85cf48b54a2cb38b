/**
 * Issue 10, items 1 and 2: an accepted message is never submitted twice because of what happens after
 * (Wait for Delivery reports outcomes as data), and names and subjects in any script are sent as given.
 */
import { useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, runNode } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
beforeAll(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv({ config: { deliveryDelayMs: 50, retryDelayMs: 20 } });
});
afterAll(async () => await env.close());
beforeEach(() => {
	env.running.sandbox.stats.reset();
	env.running.sandbox.faults.clear();
	env.running.sandbox.config.deliveryDelayMs = 50;
});

const run = (
	parameters: Record<string, unknown>,
	extra: Partial<Parameters<typeof runNode>[0]> = {},
) => runNode({ credentials: env.credentials, parameters: parameters as never, ...extra });
const count = (route: string) => env.running.sandbox.stats.byRoute()[route] ?? 0;
const outboxSize = () =>
	env.running.sandbox.store.messagesIn(['queued', 'sent', 'failed', 'incomplete']).length;
const TEXT = {
	resource: 'message',
	operation: 'send',
	station: SEED.station,
	payload: 'text',
	text: 'ISA*00*~',
	fileName: 'po.x12',
};
const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };

describe('Wait for Delivery never causes a second submit', () => {
	test('a delivery that fails, with Retry On Fail on: one submit, the outcome is data', async () => {
		const before = outboxSize();
		const result = await run(
			{
				...TEXT,
				partner: 'PARTNER_REJECTS',
				waitForDelivery: true,
				waitTimeout: 10,
				pollInterval: 1,
			},
			{ settings: RETRY_ON_FAIL },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(1);
		expect(result.items[0].json).toMatchObject({
			deliveryStatus: 'failed',
			timedOut: false,
			failureReason: 'Received HTTP status code of 422',
		});
		expect(count('submit')).toBe(1);
		expect(outboxSize()).toBe(before + 1);
	});

	test('checks that keep failing after the submit was accepted: one submit, a timed-out outcome with the reason', async () => {
		env.running.sandbox.config.deliveryDelayMs = 60_000;
		env.running.sandbox.faults.add({
			route: 'get',
			action: { kind: 'status', status: 400, message: 'Gateway confused' },
		});
		const result = await run(
			{ ...TEXT, partner: 'PARTNER_OK', waitForDelivery: true, waitTimeout: 2, pollInterval: 1 },
			{ settings: RETRY_ON_FAIL },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			deliveryStatus: 'queued',
			timedOut: true,
			note: expect.stringMatching(
				/do not send it again\. The last check failed: .*Gateway confused/,
			),
		});
		expect(count('submit')).toBe(1);
	});

	test('one check is one request, at the interval given; Check Every below 1 second is refused before sending', async () => {
		env.running.sandbox.config.deliveryDelayMs = 2_500;
		const result = await run({
			...TEXT,
			partner: 'PARTNER_OK',
			waitForDelivery: true,
			waitTimeout: 10,
			pollInterval: 1,
		});
		expect(result.items[0].json.deliveryStatus).toBe('sent');
		const checks = env.running.sandbox.stats.requests.filter((r) => r.route !== 'submit');
		expect(checks.every((r) => r.route === 'get')).toBe(true);
		expect(checks.length).toBeGreaterThanOrEqual(3);
		expect(checks.length).toBeLessThanOrEqual(4);
		env.running.sandbox.stats.reset();
		const tooOften = await run({
			...TEXT,
			partner: 'PARTNER_OK',
			waitForDelivery: true,
			waitTimeout: 10,
			pollInterval: 0.2,
		});
		expect(tooOften.error?.message).toBe(
			'Check Every (Seconds) must be a number of at least 1 (got 0.2)',
		);
		expect(env.running.sandbox.stats.requests).toEqual([]);
	});

	test('a message that is not in the outbox (404) is looked for in Failed, one request per check', async () => {
		env.running.sandbox.faults.add({
			route: 'get',
			action: { kind: 'status', status: 404, message: 'Message not found' },
		});
		const result = await run({
			...TEXT,
			partner: 'PARTNER_REJECTS',
			waitForDelivery: true,
			waitTimeout: 10,
			pollInterval: 1,
		});
		expect(result.items[0].json).toMatchObject({ deliveryStatus: 'failed' });
		expect(env.running.sandbox.stats.requests.map((r) => r.route)).toEqual([
			'submit',
			'get',
			'list',
		]);
	});
});

describe('names and subjects outside Latin-1', () => {
	test('a Japanese file name and a German subject arrive as given (single file → multipart, subject → RFC 2047)', async () => {
		const data = Buffer.from('UNB+UNOC:3+注文~');
		const sent = await run(
			{
				...TEXT,
				payload: 'binary',
				binaryProperties: 'data',
				partner: 'PARTNER_OK',
				options: { subject: 'Bestellung für Müller 注文' },
			},
			{
				items: [
					{ binary: { data: { data, fileName: '注文.edi', mimeType: 'application/edifact' } } },
				],
			},
		);
		expect(sent.error).toBeUndefined();
		const id = sent.items[0].json.messageIdentifier;
		const stored = await run({
			resource: 'message',
			operation: 'get',
			box: 'outbox',
			messageId: id,
		});
		expect(stored.items[0].json.subject).toBe('Bestellung für Müller 注文');
		const files = await run({
			resource: 'attachment',
			operation: 'getAll',
			box: 'outbox',
			messageId: id,
			output: 'binary',
			binaryMode: 'separate',
			binaryPropertyName: 'data',
		});
		expect(files.items.map((i) => i.json.name)).toEqual(['注文.edi']);
		expect(await binaryBytes(files.items[0].binary!.data)).toEqual(data);
	});

	test('a Latin-1 accent in a typed file name is not sent as raw Latin-1 bytes either', async () => {
		const sent = await run({ ...TEXT, partner: 'PARTNER_OK', fileName: 'Bestätigung.edi' });
		const files = await run({
			resource: 'attachment',
			operation: 'getAll',
			box: 'outbox',
			messageId: sent.items[0].json.messageIdentifier,
			output: 'urls',
		});
		expect(files.items.map((i) => i.json.name)).toEqual(['Bestätigung.edi']);
	});

	test('an AS2 identifier outside ASCII is refused before any request, naming the field, without "may already have been queued"', async () => {
		const result = await run({ ...TEXT, partner: 'PARTNER_Ü' });
		expect(result.error?.message).toBe('Partner (AS2-To) contains "Ü", which is not allowed there');
		expect(result.error?.message).not.toMatch(/may already have been queued/);
		expect(env.running.sandbox.stats.requests).toEqual([]);
	});

	test('"may already have been queued" only where bytes may have reached the server', async () => {
		env.running.sandbox.faults.add({
			route: 'submit',
			action: {
				kind: 'status',
				status: 422,
				message: 'Unable to find partner with AS2 identifier: X',
			},
			times: 1,
		});
		expect((await run({ ...TEXT, partner: 'PARTNER_OK' })).error?.message).not.toMatch(
			/may already have been queued/,
		);
		env.running.sandbox.faults.add({ route: 'submit', action: { kind: 'drop' }, times: 1 });
		expect((await run({ ...TEXT, partner: 'PARTNER_OK' })).error?.message).toMatch(
			/may already have been queued, so it was NOT sent again/,
		);
		env.running.sandbox.faults.add({
			route: 'submit',
			action: { kind: 'status', status: 500 },
			when: 'after',
			times: 1,
		});
		expect((await run({ ...TEXT, partner: 'PARTNER_OK' })).error?.message).toMatch(
			/may already have been queued/,
		);
	});
});

describe('a submit whose answer is lost', () => {
	test('with Retry On Fail: reported as deliveryStatus unknown, never submitted twice', async () => {
		const before = outboxSize();
		env.running.sandbox.faults.add({
			route: 'submit',
			action: { kind: 'status', status: 500 },
			when: 'after',
			times: 1,
		});
		const result = await run(
			{ ...TEXT, partner: 'PARTNER_OK', waitForDelivery: true, waitTimeout: 5, pollInterval: 1 },
			{ settings: RETRY_ON_FAIL },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			deliveryStatus: 'unknown',
			messageIdentifier: null,
			note: expect.stringMatching(/may already have been queued, so it was NOT sent again/),
		});
		expect(count('submit')).toBe(1);
		expect(outboxSize()).toBe(before + 1);
	});

	test('without Retry On Fail: an error that says it was not resent', async () => {
		env.running.sandbox.faults.add({
			route: 'submit',
			action: { kind: 'status', status: 500 },
			when: 'after',
			times: 1,
		});
		const result = await run({ ...TEXT, partner: 'PARTNER_OK' });
		expect(result.error?.message).toMatch(/may already have been queued, so it was NOT sent again/);
		expect(count('submit')).toBe(1);
	});
});
