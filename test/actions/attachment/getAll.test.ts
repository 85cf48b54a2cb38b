import { binaryBytes } from '../../harness/run';
import { run, inboxId, useActionEnv } from '../setup';

useActionEnv({ withInbound: true, deliveryDelayMs: 10 });

describe('Attachment → Get Many', () => {
	test('all files on one item with a prefix, names and MIME types set', async () => {
		const result = await run({
			resource: 'attachment',
			operation: 'getAll',
			box: 'inbox',
			messageId: inboxId,
			output: 'binary',
			binaryMode: 'single',
			binaryPrefix: 'file_',
		});
		const [out] = result.items;
		expect(Object.keys(out.binary!)).toEqual(['file_0', 'file_1']);
		expect([
			out.binary!.file_0.fileName,
			out.binary!.file_0.mimeType,
			out.binary!.file_1.fileName,
			out.binary!.file_1.mimeType,
		]).toEqual(['ORDERS.edifact', 'application/edifact', 'label.pdf', 'application/pdf']);
		expect((await binaryBytes(out.binary!.file_1)).toString()).toBe('%PDF-1.7 label');
		expect(out.json).toMatchObject({
			total: 2,
			attachments: [
				{ property: 'file_0', name: 'ORDERS.edifact' },
				{ property: 'file_1', name: 'label.pdf' },
			],
		});
	});

	test('URLs mode lists names and pre-signed URLs; a message without files is a clear 404', async () => {
		const urls = await run({
			resource: 'attachment',
			operation: 'getAll',
			box: 'inbox',
			messageId: inboxId,
			output: 'urls',
		});
		expect(urls.items.map((i) => i.json.name)).toEqual(['ORDERS.edifact', 'label.pdf']);
		expect(urls.items[0].json.url).toMatch(/X-Amz-Signature=/);
		const missing = await run({
			resource: 'attachment',
			operation: 'getAll',
			box: 'outbox',
			messageId: inboxId,
			output: 'urls',
		});
		expect(missing.error?.message).toMatch(
			/failed: Attachment\(s\) not found\. No attachments for this ID in the outbox/,
		);
	});
});
