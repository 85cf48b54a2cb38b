import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { TRIGGER_NODE_TYPE, useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, runPoll } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

/**
 * The trigger with Download Attachments when a file cannot be had: gone from storage (404) is reported on
 * the item and the trigger goes on; a passing failure (429, 5xx) fails the poll and the next one catches up.
 */

let env: TestEnv;
beforeEach(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv();
});
afterEach(async () => await env.close());

const deliver = (files: Array<{ name: string; text: string }>, count = 1) =>
	env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'in',
		count,
		files: files.map((f) => ({
			name: f.name,
			contentType: 'application/edi-x12',
			content: Buffer.from(f.text),
		})),
	});

/**
 * The storage loses a file the API still lists (S3 lifecycle, a manual delete): its pre-signed URL then
 * answers 404 NoSuchKey, as S3 does, while the attachment list goes on naming it.
 */
function loseFile(messageId: string, name: string): void {
	const sandbox = env.running.sandbox;
	const file = sandbox.store
		.findMessage(messageId, ['inbox'])!
		.attachments.find((a) => a.name === name)!;
	const sign = sandbox.presignedUrl.bind(sandbox);
	sandbox.presignedUrl = (f) => sign(f.key === file.key ? { ...f, key: `${f.key}.gone` } : f);
}

function trigger(trackBy: 'n8n' | 'readFlag', options: IDataObject = {}) {
	let staticData: IDataObject = {};
	return async (): Promise<INodeExecutionData[] | null> => {
		const result = await runPoll({
			credentials: env.credentials,
			nodeType: TRIGGER_NODE_TYPE,
			staticData,
			parameters: {
				event: 'messageReceived',
				trackBy,
				options: { downloadAttachments: true, ...options } as never,
			},
		});
		staticData = result.staticData;
		return result.items;
	};
}

const idOf = (item: INodeExecutionData) => item.json.messageIdentifier ?? item.json.identifier;

test.each(['n8n', 'readFlag'] as const)(
	'a message whose file is gone (404) is emitted with a downloadError, and the messages after it come too (%s)',
	async (trackBy) => {
		const poll = trigger(trackBy);
		expect(await poll()).toBeNull();
		const [gone] = await deliver([{ name: 'lost.x12', text: 'LOST' }]);
		const after = await deliver([{ name: 'ok.x12', text: 'OK' }], 2);
		loseFile(gone, 'lost.x12');
		const items = (await poll())!;
		expect(items.map(idOf)).toEqual([gone, ...after]);
		expect(items[0].binary).toBeUndefined();
		expect(items[0].json.downloadError).toEqual(expect.stringContaining('"lost.x12"'));
		expect(items[0].json.downloadError).toEqual(expect.stringContaining('404'));
		for (const item of items.slice(1)) {
			expect(item.json.downloadError).toBeUndefined();
			expect((await binaryBytes(item.binary!.attachment_0)).toString()).toBe('OK');
		}
		expect(await poll()).toBeNull();
	},
);

test('of two files, the one still in storage is on the item; the error names only the lost one', async () => {
	const poll = trigger('n8n');
	await poll();
	const [id] = await deliver([
		{ name: 'a.x12', text: 'AAA' },
		{ name: 'b.x12', text: 'BBB' },
	]);
	loseFile(id, 'a.x12');
	const [item] = (await poll())!;
	expect(Object.keys(item.binary!)).toEqual(['attachment_0']);
	expect(item.binary!.attachment_0.fileName).toBe('b.x12');
	expect((await binaryBytes(item.binary!.attachment_0)).toString()).toBe('BBB');
	expect(item.json.downloadError).toBe(`Not in the file storage (404): "a.x12" of message ${id}`);
});

test('a message the API lists no files for (404 on its attachments) is emitted with a downloadError', async () => {
	const poll = trigger('n8n');
	await poll();
	const [id] = await deliver([{ name: 'a.x12', text: 'AAA' }]);
	const message = env.running.sandbox.store.findMessage(id, ['inbox'])!;
	env.running.sandbox.store.deleteFile(message.attachments[0].key);
	const [item] = (await poll())!;
	expect(item.binary).toBeUndefined();
	expect(item.json.downloadError).toBe(`MFT Gateway lists no files of message ${id} (404)`);
});

test('downloads that keep failing with 503 fail the poll (nothing lost, nothing half-emitted); the next poll emits every message once with its files', async () => {
	const poll = trigger('n8n');
	await poll();
	const fresh = await deliver([{ name: 'f.x12', text: 'FILE' }], 5);
	// More 503s than the retries of one download: the poll fails as a whole.
	env.running.sandbox.faults.add({
		route: 'file',
		action: { kind: 'status', status: 503, retryAfter: 0 },
		times: 30,
	});
	await expect(poll()).rejects.toThrow(/server error/);
	env.running.sandbox.faults.clear();
	const items = (await poll())!;
	expect(items.map(idOf)).toEqual(fresh);
	for (const item of items) {
		expect(item.json.downloadError).toBeUndefined();
		expect((await binaryBytes(item.binary!.attachment_0)).toString()).toBe('FILE');
	}
	expect(await poll()).toBeNull();
});

test('a storm of 429s on the attachment lists and files during a poll: every message once, with its files', async () => {
	const poll = trigger('readFlag');
	await poll();
	const fresh = await deliver([{ name: 'f.x12', text: 'FILE' }], 20);
	for (const route of ['attachments', 'file'])
		env.running.sandbox.faults.add({
			route,
			action: { kind: 'status', status: 429, retryAfter: 0 },
			rate: 0.3,
		});
	const emitted: INodeExecutionData[] = [];
	for (let i = 0; i < 6 && emitted.length < fresh.length; i++) {
		try {
			emitted.push(...((await poll()) ?? []));
		} catch {
			// a poll that gives up emits nothing; the next one catches up
		}
	}
	env.running.sandbox.faults.clear();
	emitted.push(...((await poll()) ?? []));
	expect(emitted.map(idOf).sort()).toEqual([...fresh].sort());
	for (const item of emitted) {
		expect(item.json.downloadError).toBeUndefined();
		expect((await binaryBytes(item.binary!.attachment_0)).toString()).toBe('FILE');
	}
});

test('a message deleted between the list and its read is skipped; the others are emitted with their files', async () => {
	const poll = trigger('readFlag');
	await poll();
	const fresh = await deliver([{ name: 'f.x12', text: 'FILE' }], 3);
	const store = env.running.sandbox.store;
	const victim = store.findMessage(fresh[1], ['inbox'])!;
	const list = store.messagesIn.bind(store);
	// The unread list is answered with the victim in it; it is deleted right after.
	store.messagesIn = (boxes) => {
		const answer = list(boxes);
		if (answer.includes(victim)) queueMicrotask(() => store.deleteMessage(victim));
		return answer;
	};
	const items = (await poll())!;
	expect(items.map(idOf)).toEqual([fresh[0], fresh[2]]);
	expect(items.map((i) => i.json.downloadError)).toEqual([undefined, undefined]);
	expect(await poll()).toBeNull();
});
