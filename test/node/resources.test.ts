import { createHash } from 'node:crypto';

import { useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, runNode } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
let inboxId: string;
beforeAll(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv({ config: { deliveryDelayMs: 10 } });
	[inboxId] = await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'files',
		count: 1,
		files: [
			{
				name: 'ORDERS.edifact',
				contentType: 'application/edifact',
				content: Buffer.from("UNB+UNOC:3+SENDER+RECEIVER'"),
			},
			{ name: 'label.pdf', contentType: 'application/pdf', content: Buffer.from('%PDF-1.7 label') },
		],
	});
});
afterAll(async () => await env.close());

const run = (parameters: Record<string, unknown>) =>
	runNode({ credentials: env.credentials, parameters: parameters as never });

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

describe('MDN → Get', () => {
	test('inbox: the MDN we sent, parsed, and the raw MDN as binary', async () => {
		const result = await run({
			resource: 'mdn',
			operation: 'get',
			box: 'inbox',
			messageId: inboxId,
			binaryPropertyName: 'mdn',
		});
		const digest = createHash('sha256')
			.update("UNB+UNOC:3+SENDER+RECEIVER'")
			.update('%PDF-1.7 label')
			.digest('base64');
		expect(result.items[0].json).toMatchObject({
			messageIdentifier: inboxId,
			signed: true,
			originalMessageId: inboxId,
			disposition: {
				actionMode: 'automatic-action',
				sendingMode: 'MDN-sent-automatically',
				type: 'processed',
				modifier: null,
				successful: true,
			},
			receivedContentMic: { digest, algorithm: 'sha-256' },
			finalRecipient: `rfc822; ${SEED.station}`,
		});
		expect(result.items[0].json.humanReadable).toMatch(/^MDN for Message-ID: /);
		expect(result.items[0].json.url).toBeUndefined();
		expect((await binaryBytes(result.items[0].binary!.mdn)).toString()).toMatch(
			/^Content-Type: multipart\/signed/,
		);
	});

	test('outbox: no MDN yet for a queued message is a clear 404', async () => {
		env.running.sandbox.config.deliveryDelayMs = 60_000;
		const sent = await run({
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_OK',
			payload: 'text',
			text: 'x',
			fileName: 'a.edi',
		});
		const result = await run({
			resource: 'mdn',
			operation: 'get',
			box: 'outbox',
			messageId: sent.items[0].json.messageIdentifier,
			binaryPropertyName: 'mdn',
		});
		expect(result.error?.message).toMatch(
			/failed: MDN not found\. No MDN yet: the message may still be queued/,
		);
	});
});

describe('Certificate, Station, Partner', () => {
	test('certificates: list by type with a limit, get one with ISO dates', async () => {
		const list = await run({
			resource: 'certificate',
			operation: 'getAll',
			certType: 'PARTNER',
			returnAll: false,
			limit: 2,
		});
		expect(list.items.map((i) => i.json.type)).toEqual(['PARTNER', 'PARTNER']);
		const one = await run({
			resource: 'certificate',
			operation: 'get',
			alias: 'mystation-signing',
		});
		expect(one.items[0].json).toMatchObject({
			alias: 'mystation-signing',
			subjectCommonName: SEED.station,
			validFromTimestampIso: '2026-01-01T00:00:00.000Z',
		});
		const missing = await run({ resource: 'certificate', operation: 'get', alias: 'nope' });
		expect(missing.error?.message).toMatch(
			/Unable to find certificate with alias: nope\. No certificate has this alias/,
		);
	});

	test('stations: create (self-signed), list, and the 422 errors are shown', async () => {
		const created = await run({
			resource: 'station',
			operation: 'create',
			name: 'EU Station',
			as2Identifier: 'EUSTATION',
			email: 'edi@example.com',
			certificateType: 'NEW_SELF_SIGN_CERTIFICATE',
			commonName: 'EU Station',
			keyPassword: 'key-pass',
			certificateDetails: { keyLength: 4096, validity: 2 },
		});
		expect(created.items[0].json).toMatchObject({
			message: 'Station created successfully',
			as2Identifier: 'EUSTATION',
		});
		const list = await run({ resource: 'station', operation: 'getAll', returnAll: true });
		expect(list.items.map((i) => i.json.identifier)).toEqual([SEED.station, 'EUSTATION']);
		const duplicate = await run({
			resource: 'station',
			operation: 'create',
			name: 'Again',
			as2Identifier: 'EUSTATION',
			email: 'edi@example.com',
			certificateType: 'FROM_CERTIFICATE_STORE',
			certificateAlias: 'mystation-signing',
		});
		expect(duplicate.error?.message).toBe(
			'Create station EUSTATION failed: User input validation failed. Please try again (as2Identifier: Station already exists with AS2 identifier: EUSTATION). See the errors listed: fix those fields and run again.',
		);
		const tooManyEmails = await run({
			resource: 'station',
			operation: 'create',
			name: 'x',
			as2Identifier: 'X',
			email: 'a@b.c,d@e.f,g@h.i,j@k.l',
			certificateType: 'FROM_CERTIFICATE_STORE',
			certificateAlias: 'x',
		});
		expect(tooManyEmails.error?.message).toBe('Email must hold 1 to 3 addresses (got 4)');
	});

	test('partners: create from a PEM certificate, update settings; then messages can go to it', async () => {
		const certificateBody = Buffer.from('not a real certificate, only its Base64 shape').toString(
			'base64',
		);
		const pem = `-----BEGIN CERTIFICATE-----\n${certificateBody}\n-----END CERTIFICATE-----\n`;
		const created = await run({
			resource: 'partner',
			operation: 'create',
			name: 'Initech',
			as2Identifier: 'INITECH',
			url: 'https://as2.initech.example/as2',
			encryptionCertificate: pem,
			additionalFields: {
				encryptionAlgorithm: 'AES256_CBC',
				signatureAlgorithm: 'SHA256',
				messageSubject: 'EDI from us',
				customHeaders: { header: [{ headerName: 'X-Route', headerValue: 'edi' }] },
			},
		});
		expect(created.error).toBeUndefined();
		const stored = env.running.sandbox.store.state.partners.find(
			(p) => p.as2Identifier === 'INITECH',
		)!;
		expect(stored.settings).toMatchObject({
			encryptionCertificate: certificateBody,
			encryptionAlgorithm: 'AES256_CBC',
			customHeaders: [{ headerName: 'X-Route', headerValue: 'edi' }],
		});
		const updated = await run({
			resource: 'partner',
			operation: 'update',
			identifier: 'INITECH',
			updateFields: { url: 'https://new.initech.example/as2', requestAsyncMDN: true },
		});
		expect(updated.items[0].json).toMatchObject({
			message: 'Partner updated successfully',
			identifier: 'INITECH',
		});
		expect(stored).toMatchObject({
			url: 'https://new.initech.example/as2',
			settings: { requestAsyncMDN: true },
		});
		const notACertificate = 'not base64 !!';
		const badCert = await run({
			resource: 'partner',
			operation: 'create',
			name: 'x',
			as2Identifier: 'X',
			url: 'https://x.example',
			encryptionCertificate: notACertificate,
		});
		expect(badCert.error?.message).toBe(
			'Encryption Certificate is not a Base64 or PEM certificate',
		);
		const nothing = await run({
			resource: 'partner',
			operation: 'update',
			identifier: 'INITECH',
			updateFields: {},
		});
		expect(nothing.error?.message).toBe('Nothing to update');
		const unknown = await run({
			resource: 'partner',
			operation: 'update',
			identifier: 'NOBODY',
			updateFields: { name: 'x' },
		});
		expect(unknown.error?.message).toMatch(/Unable to find partner with AS2 identifier: NOBODY/);
	});
});
