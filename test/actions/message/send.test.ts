import { binaryBytes, runNode } from '../../harness/run';
import { SEED } from '../../harness/sandbox';
import { env, run, count, SEND, useActionEnv } from '../setup';

useActionEnv();

describe('Message → Send', () => {
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
