import { readMdn, verifyMdn } from '../../nodes/MftGateway/as2/mdn';
import { buildMdn, writeMdn } from '../../sandbox/mdn';
import { createPrivateKey, createPublicKey } from 'node:crypto';

import { certificatesFrom } from '../../nodes/MftGateway/as2/x509';
import { SEED, seedState, signingIdentity } from '../../sandbox/seed';
import { describeWithOpenssl, openssl, workDir } from './openssl';

const work = workDir();
afterAll(() => work.cleanup());

const partner = signingIdentity('PARTNER_OK');

test('the kept keys of the seeded station and partners match the certificates the account lists', () => {
	const state = seedState();
	for (const as2Id of [SEED.station, ...Object.keys(SEED.partners)]) {
		const { keyPem, certPem } = signingIdentity(as2Id);
		const [cert] = certificatesFrom(certPem);
		const listed = state.certificates.find((c) => c.belongsTo.includes(as2Id))!;
		expect({
			serial: cert.serialNumberHex,
			subject: cert.subject,
			from: cert.notBefore.getTime(),
			to: cert.notAfter.getTime(),
		}).toEqual({
			serial: listed.serialNumberHex,
			subject: listed.subjectDistinguishName,
			from: listed.validFrom,
			to: listed.expiry,
		});
		const publicOfKey = createPublicKey(createPrivateKey(keyPem)).export({
			format: 'der',
			type: 'spki',
		});
		expect(cert.publicKey.export({ format: 'der', type: 'spki' }).equals(publicOfKey)).toBe(true);
	}
});

describe('the sandbox writes real signed MDNs', () => {
	test('writeMdn: a failed/error MDN, signed, reads back and verifies with the partner certificate', () => {
		const mdn = writeMdn({
			originalMessageId: '<1@station>',
			finalRecipient: 'PARTNER_OK',
			disposition: 'processed',
			modifier: 'error: decryption-failed',
			text: 'Entschlüsselung fehlgeschlagen',
			signWith: { keyPem: partner.keyPem, certPem: partner.certPem, digest: 'sha384' },
		});
		expect(mdn.contentType).toMatch(
			/^multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-384; boundary="/,
		);
		const read = readMdn(
			Buffer.concat([Buffer.from(`Content-Type: ${mdn.contentType}\r\n\r\n`), mdn.body]),
		);
		expect(read.report).toMatchObject({
			signed: true,
			originalMessageId: '<1@station>',
			finalRecipient: 'rfc822; PARTNER_OK',
			humanReadable: 'Entschlüsselung fehlgeschlagen',
			disposition: {
				type: 'processed',
				modifier: { kind: 'error', text: 'decryption-failed' },
				successful: false,
			},
			receivedContentMic: null,
		});
		expect(verifyMdn(read, { certificates: partner.certPem })).toMatchObject({
			valid: true,
			digestAlgorithm: 'sha384',
		});
	});

	test('buildMdn: the seeded partner signs with the certificate the account lists (same serial)', () => {
		const { raw } = buildMdn({
			originalMessageId: '<2@station>',
			reportingAs2Id: 'PARTNER_OK',
			recipientAs2Id: 'MYSTATION',
			mic: 'AAAA, sha-256',
			disposition: 'automatic-action/MDN-sent-automatically; processed',
			signed: true,
			receivedAt: Date.UTC(2026, 5, 1),
		});
		const verification = verifyMdn(readMdn(raw));
		expect(verification).toMatchObject({
			valid: true,
			signer: {
				subject: 'CN=PARTNER_OK, O=Sandbox, C=US',
				serialNumber: Buffer.from('partner_ok-cert').toString('hex'),
			},
		});
	});
});

describeWithOpenssl('openssl agrees about the sandbox MDN', () => {
	test('openssl cms -verify accepts the whole MDN (S/MIME), and refuses it changed', () => {
		const { raw } = buildMdn({
			originalMessageId: '<3@station>',
			reportingAs2Id: 'PARTNER_OK',
			recipientAs2Id: 'MYSTATION',
			mic: 'AAAA, sha-256',
			disposition: 'automatic-action/MDN-sent-automatically; processed',
			signed: true,
			receivedAt: Date.UTC(2026, 5, 1),
		});
		const cert = work.write('partner.pem', partner.certPem);
		const verify = (bytes: Buffer) =>
			openssl([
				'cms',
				'-verify',
				'-in',
				work.write('mdn.eml', bytes),
				'-CAfile',
				cert,
				'-out',
				work.path('out'),
			]).ok;
		expect(verify(raw)).toBe(true);
		expect(
			verify(Buffer.from(raw.toString('latin1').replace('<3@station>', '<4@station>'), 'latin1')),
		).toBe(false);
	});
});
