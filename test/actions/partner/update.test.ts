import { env, run, useActionEnv } from '../setup';

useActionEnv({ deliveryDelayMs: 10 });

describe('Partner → Create and Update', () => {
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
