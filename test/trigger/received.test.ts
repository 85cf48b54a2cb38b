import type { IDataObject } from 'n8n-workflow';

import { TRIGGER_NODE_TYPE, useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, runPoll } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
beforeEach(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv();
});
afterEach(async () => await env.close());

const deliver = (
	count: number,
	extra: {
		subject?: string;
		timestamp?: number;
		files?: Array<{ name: string; text: string }>;
	} = {},
) =>
	env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: extra.subject ?? 'in',
		count,
		timestamp: extra.timestamp,
		files: (extra.files ?? [{ name: 'order.edi', text: 'ISA*00*~' }]).map((f) => ({
			name: f.name,
			contentType: 'application/edi-x12',
			content: Buffer.from(f.text),
		})),
	});

function poller(options: IDataObject = {}, trackBy = 'n8n') {
	let staticData: IDataObject = {};
	return {
		get state() {
			return staticData;
		},
		set state(value: IDataObject) {
			staticData = value;
		},
		async poll(mode: 'trigger' | 'manual' = 'trigger') {
			const result = await runPoll({
				credentials: env.credentials,
				nodeType: TRIGGER_NODE_TYPE,
				mode,
				staticData,
				parameters: { event: 'messageReceived', trackBy, options: options as never },
			});
			return result.items;
		},
	};
}

const ids = (items: Array<{ json: IDataObject }> | null) =>
	(items ?? []).map((i) => i.json.identifier ?? i.json.messageIdentifier);

test.each(['n8n', 'readFlag'])(
	'first poll emits nothing old; the next emits exactly the 3 new ones, with their files (%s)',
	async (trackBy) => {
		await deliver(2);
		const trigger = poller({ downloadAttachments: true }, trackBy);
		expect(await trigger.poll()).toBeNull();
		const fresh = await deliver(3, {
			files: [
				{ name: 'a.x12', text: 'AAA' },
				{ name: 'b.x12', text: 'BBB' },
			],
		});
		const items = await trigger.poll();
		expect(ids(items)).toEqual(fresh);
		expect(items![0].json).toMatchObject({
			event: 'messageReceived',
			incoming: true,
			senderIdentifier: 'PARTNER_OK',
			timestampIso: expect.any(String),
		});
		expect(Object.keys(items![0].binary!)).toEqual(['attachment_0', 'attachment_1']);
		expect(items![0].binary!.attachment_1.fileName).toBe('b.x12');
		expect((await binaryBytes(items![0].binary!.attachment_1)).toString()).toBe('BBB');
		expect(await trigger.poll()).toBeNull();
	},
);

test('a quiet poll makes exactly one request, whatever the inbox size', async () => {
	const base = Date.now() - 10_000_000;
	for (let i = 0; i < 5; i++) await deliver(100, { timestamp: base + i * 600_000 }); // bursts 10 minutes apart: the look-back window (5 min) holds one
	const trigger = poller();
	await trigger.poll();
	await deliver(3);
	await trigger.poll();
	env.running.sandbox.stats.reset();
	expect(await trigger.poll()).toBeNull();
	expect(env.running.sandbox.stats.requests.map((r) => r.route)).toEqual(['list']);
});

test('250 arriving in the same millisecond with a cap of 100 come out over 3 polls, oldest first, none missing or doubled', async () => {
	env.running.sandbox.config.tieOrder = 'shuffle'; // the API may return ties in any order
	const trigger = poller({ maxPerPoll: 100 });
	await trigger.poll();
	const burst = await deliver(250, { timestamp: Date.now() });
	const polls = [];
	for (let i = 0; i < 4; i++) {
		env.running.sandbox.reshuffleTies();
		polls.push(await trigger.poll());
	}
	expect(polls.map((p) => p?.length ?? 0)).toEqual([100, 100, 50, 0]);
	expect(polls.flatMap(ids)).toEqual([...burst].sort());
});

test('a poll that fails halfway emits nothing and loses nothing: the next one emits each message once', async () => {
	const trigger = poller();
	await trigger.poll();
	const fresh = await deliver(10);
	env.running.sandbox.faults.add({
		route: 'get',
		action: { kind: 'status', status: 400 },
		skip: 4,
		times: 1,
	});
	await expect(trigger.poll()).rejects.toThrow(/failed/);
	expect(ids(await trigger.poll())).toEqual(fresh);
	expect(await trigger.poll()).toBeNull();
});

test('after a restart (state carried over as JSON) nothing is emitted twice', async () => {
	const trigger = poller();
	await trigger.poll();
	const first = await deliver(4);
	expect(ids(await trigger.poll())).toEqual(first);
	const restarted = poller();
	restarted.state = JSON.parse(JSON.stringify(trigger.state));
	expect(await restarted.poll()).toBeNull();
	const second = await deliver(2);
	expect(ids(await restarted.poll())).toEqual(second);
	expect(JSON.stringify(restarted.state).length).toBeLessThan(5000);
});

test('manual mode returns the newest message as a sample and changes no state', async () => {
	const trigger = poller();
	await trigger.poll();
	await deliver(2);
	const before = JSON.stringify(trigger.state);
	const sample = await trigger.poll('manual');
	expect(sample).toHaveLength(1);
	expect(JSON.stringify(trigger.state)).toBe(before);
	expect(await trigger.poll()).toHaveLength(2);
	expect(env.running.sandbox.store.messagesIn(['inbox']).every((m) => !m.isRead)).toBe(true);
});

test('read-flag mode marks emitted messages read; a message another client read first is not emitted', async () => {
	const trigger = poller({}, 'readFlag');
	await trigger.poll();
	const [a, b] = await deliver(2);
	env.running.sandbox.store.findMessage(b, ['inbox'])!.isRead = true; // another API client took it
	expect(ids(await trigger.poll())).toEqual([a]);
	expect(await trigger.poll()).toBeNull(); // and marks a read
	expect(env.running.sandbox.store.findMessage(a, ['inbox'])!.isRead).toBe(true);
	const n8nMode = poller({}, 'n8n');
	await n8nMode.poll();
	const [c] = await deliver(1);
	await n8nMode.poll();
	await n8nMode.poll();
	expect(env.running.sandbox.store.findMessage(c, ['inbox'])!.isRead).toBe(false);
});

test('Emit Existing on first activation, filters, and IDs Only', async () => {
	const old = await deliver(3);
	await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_FLAKY',
		subject: 'other',
		count: 1,
		files: [{ name: 'x', contentType: 'text/plain', content: Buffer.from('x') }],
	});
	const trigger = poller({ emitExisting: true, partner: 'PARTNER_OK', idsOnly: true });
	const items = await trigger.poll();
	expect(ids(items)).toEqual(old);
	expect(Object.keys(items![0].json).sort()).toEqual(['event', 'messageIdentifier', 'timestamp']);
});
