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
const SEND = {
	resource: 'message',
	operation: 'send',
	station: SEED.station,
	partner: 'PARTNER_OK',
	payload: 'binary',
	binaryProperties: 'data',
};

describe('Send', () => {
	test('three attachments go as one multipart message and come back byte-identical, with names and types', async () => {
		const files = {
			order: {
				data: Buffer.from('ISA*00*order~'),
				fileName: 'order.x12',
				mimeType: 'application/edi-x12',
			},
			invoice: {
				data: Buffer.from("UNA:+.? 'UNB+UNOC:3'"),
				fileName: 'invoice.edifact',
				mimeType: 'application/edifact',
			},
			scan: {
				data: Buffer.from(Array.from({ length: 4096 }, (_, i) => i % 256)),
				fileName: 'scan.pdf',
				mimeType: 'application/pdf',
			},
		};
		const sent = await run(
			{ ...SEND, binaryProperties: 'order, invoice, scan', options: { subject: 'Three files' } },
			{ items: [{ binary: files }] },
		);
		expect(sent.error).toBeUndefined();
		const out = sent.items[0];
		expect(out.pairedItem).toEqual({ item: 0 });
		expect(out.json).toMatchObject({
			deliveryStatus: 'queued',
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'Three files',
			message: 'Message queued successfully',
		});
		expect(out.json.link).toContain('/message/outbox/');
		const back = await run({
			resource: 'attachment',
			operation: 'getAll',
			box: 'outbox',
			messageId: out.json.messageIdentifier,
			output: 'binary',
			binaryMode: 'separate',
			binaryPropertyName: 'data',
		});
		expect(
			back.items.map((i) => [i.json.name, i.binary!.data.mimeType, i.binary!.data.fileName]),
		).toEqual([
			['order.x12', 'application/edi-x12', 'order.x12'],
			['invoice.edifact', 'application/edifact', 'invoice.edifact'],
			['scan.pdf', 'application/pdf', 'scan.pdf'],
		]);
		const bytes = await Promise.all(back.items.map((i) => binaryBytes(i.binary!.data)));
		expect(bytes).toEqual([files.order.data, files.invoice.data, files.scan.data]);
	});

	test('text payload with Wait for Delivery returns the sent message with its MDN summary', async () => {
		const result = await run({
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_FLAKY',
			payload: 'text',
			text: 'ISA*00*~',
			fileName: 'po.x12',
			waitForDelivery: true,
			waitTimeout: 10,
			pollInterval: 1,
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			deliveryStatus: 'sent',
			msgStatus: 'Sent',
			failures: 2,
			timedOut: false,
			mdn: {
				status: 'Received; MDN Signature Verified',
				disposition: 'automatic-action/MDN-sent-automatically; processed',
				signed: true,
				micMatches: true,
			},
		});
		expect(result.items[0].json.timestampIso).toBe(
			new Date(result.items[0].json.timestamp as number).toISOString(),
		);
	});

	test('Wait for Delivery: failed, incomplete and timeout are data the workflow branches on, never an error', async () => {
		const failed = await run(
			{
				...SEND,
				partner: 'PARTNER_REJECTS',
				waitForDelivery: true,
				waitTimeout: 10,
				pollInterval: 1,
			},
			{ items: [{ binary: { data: { data: 'x', fileName: 'a.edi', mimeType: 'text/plain' } } }] },
		);
		expect(failed.error).toBeUndefined();
		expect(failed.items[0].json).toMatchObject({
			deliveryStatus: 'failed',
			timedOut: false,
			failureReason: 'Received HTTP status code of 422',
			note: expect.stringMatching(/gave up delivering it/),
		});
		const incomplete = await run({
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_NO_MDN',
			payload: 'text',
			text: 'x',
			fileName: 'a.edi',
			waitForDelivery: true,
			waitTimeout: 10,
			pollInterval: 1,
		});
		expect(incomplete.items[0].json).toMatchObject({
			deliveryStatus: 'incomplete',
			msgStatus: 'Incomplete',
			mdn: null,
		});
		env.running.sandbox.config.deliveryDelayMs = 60_000;
		const pending = await run({
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_OK',
			payload: 'text',
			text: 'x',
			fileName: 'a.edi',
			waitForDelivery: true,
			waitTimeout: 1,
			pollInterval: 1,
		});
		expect(pending.items[0].json).toMatchObject({
			deliveryStatus: 'queued',
			timedOut: true,
			note: expect.stringMatching(/it is still queued/),
		});
	});

	test('bad input is refused before anything is sent, naming the field', async () => {
		const cases: Array<[Record<string, unknown>, Parameters<typeof runNode>[0]['items'], RegExp]> =
			[
				[
					SEND,
					[{ json: {} }],
					/This operation expects the node's input data to contain a binary file 'data'/,
				],
				[
					SEND,
					[{ binary: { data: { data: '', fileName: 'empty.edi', mimeType: 'text/plain' } } }],
					/The file in binary property "data" is empty/,
				],
				[{ ...SEND, station: '={{ "  " }}' }, undefined, /Station \(AS2-From\) is empty/],
				[
					{ ...SEND, waitForDelivery: true, waitTimeout: 'soon', pollInterval: 1 },
					[{ binary: { data: { data: 'x', fileName: 'a', mimeType: 'text/plain' } } }],
					/Wait Timeout \(Seconds\) must be a number of at least 1 \(got "soon"\)/,
				],
				[
					{
						resource: 'message',
						operation: 'send',
						station: SEED.station,
						partner: 'PARTNER_OK',
						payload: 'text',
						text: '={{ "" }}',
						fileName: 'a.edi',
					},
					undefined,
					/Text is empty/,
				],
			];
		for (const [parameters, items, expected] of cases) {
			const result = await run(parameters, { items });
			expect(result.error?.message).toMatch(expected);
		}
		expect(count('submit')).toBe(0);
	});

	test('an unknown partner: the API message plus what to check', async () => {
		const result = await run({
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'NOBODY',
			payload: 'text',
			text: 'x',
			fileName: 'a.edi',
		});
		expect(result.error?.message).toBe(
			'Send to partner NOBODY failed: Unable to find partner with AS2 identifier: NOBODY. Check that station "MYSTATION" and partner "NOBODY" exist in MFT Gateway (AS2 identifiers are case-sensitive).',
		);
	});
});

describe('Get, Get Many, Mark as Unread, Delete', () => {
	test('Get Many returns all 250 over 3 pages; a limit stops early; details are fetched without marking read', async () => {
		env.running.sandbox.store.state.messages.length = 0;
		await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'bulk',
			count: 250,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		const all = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			options: { sortDir: 'asc' },
		});
		expect(all.items).toHaveLength(250);
		expect(new Set(all.items.map((i) => i.json.messageIdentifier)).size).toBe(250);
		expect(count('list')).toBe(3);
		env.running.sandbox.stats.reset();
		const some = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: false,
			limit: 120,
		});
		expect(some.items).toHaveLength(120);
		expect(count('list')).toBe(2);
		env.running.sandbox.stats.reset();
		const details = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: false,
			limit: 30,
			options: { includeDetails: true, concurrency: 4 },
		});
		expect(details.items).toHaveLength(30);
		expect(details.items[0].json).toMatchObject({
			incoming: true,
			msgStatus: 'Received',
			senderIdentifier: 'PARTNER_OK',
			isRead: false,
		});
		expect(count('get')).toBe(30);
		const again = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
		});
		expect(again.items).toHaveLength(250); // nothing was marked read
	});

	test('Get marks read by default (the API default), Mark as Unread clears it; ids without brackets work', async () => {
		const [id] = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'one',
			count: 1,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		const got = await run({
			resource: 'message',
			operation: 'get',
			box: 'inbox',
			messageId: id.slice(1, -1),
			markAsRead: true,
		});
		expect(got.items[0].json).toMatchObject({ identifier: id, isRead: true });
		const unread = await run({ resource: 'message', operation: 'markUnread', messageId: id });
		expect(unread.items[0].json).toEqual({
			messageIdentifier: id,
			markedUnread: true,
			message: `Successfully marked message ${id} as unread`,
		});
		expect(env.running.sandbox.store.findMessage(id, ['inbox'])?.isRead).toBe(false);
		const peek = await run({
			resource: 'message',
			operation: 'get',
			box: 'inbox',
			messageId: id,
			markAsRead: false,
		});
		expect(peek.items[0].json.isRead).toBe(false);
	});

	test('filters: station and partner are sent under the post-2024 names; a limit of 0 or a bad page size is refused', async () => {
		await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'failed',
			returnAll: true,
			filters: { station: SEED.station, partner: 'PARTNER_OK', subject: 'ignored' },
		});
		expect(env.running.sandbox.stats.requests.at(-1)?.path).toBe('/message/outbox/failed');
		const zero = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: false,
			limit: 0,
		});
		expect(zero.error?.message).toBe('Limit must be a whole number of at least 1 (got 0)');
		const page = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			options: { pageSize: 'ten' },
		});
		expect(page.error?.message).toBe('Page Size must be a whole number from 1 to 100 (got "ten")');
	});

	test('Delete Many: 230 ids in 3 batches of at most 100; unknown ids are reported, not fatal', async () => {
		env.running.sandbox.store.state.messages.length = 0;
		const ids = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'old',
			count: 230,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		env.running.sandbox.stats.reset();
		const result = await run({
			resource: 'message',
			operation: 'deleteMany',
			box: 'inbox',
			messageIds: [...ids, '<gone@x>'].join('\n'),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			requested: 231,
			deletedCount: 230,
			notFound: ['<gone@x>'],
		});
		expect(count('batchDelete')).toBe(3);
		expect(env.running.sandbox.store.messagesIn(['inbox'])).toHaveLength(0);
		const none = await run({
			resource: 'message',
			operation: 'deleteMany',
			box: 'inbox',
			messageIds: '<a@x>, <b@x>',
		});
		expect(none.items[0].json).toMatchObject({ deletedCount: 0, notFound: ['<a@x>', '<b@x>'] });
	});

	test('Delete and a 404: the item error has the API text and the right pairedItem with Continue on Fail', async () => {
		const [id] = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'del',
			count: 1,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		const result = await run(
			{ resource: 'message', operation: 'delete', box: 'inbox', messageId: '={{ $json.id }}' },
			{
				items: [{ json: { id } }, { json: { id: '<missing@x>' } }, { json: { id: '' } }],
				continueOnFail: true,
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json).toEqual({ deleted: id, box: 'inbox' });
		expect(result.items[1].json.error).toBe(
			'Delete message <missing@x> from the inbox failed: Unable to find message. No message with this ID is in the inbox (already deleted?).',
		);
		expect(result.items[2].json.error).toBe('Message ID is empty');
	});
});
