/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: dev-only, never part of the published package */
import { readFileSync } from 'node:fs';

import { MdnError, readMdn, verifyMdn, type ReadMdn } from '../../nodes/MftGateway/as2/mdn';
import { makeCertificate } from '../../sandbox/as2/certificate';
import { mdnBytes, reportEntity } from '../fixtures/mdn/build';
import { MDN_VARIANTS, type MdnVariant } from '../fixtures/mdn/variants';
import { describeWithOpenssl, openssl, workDir } from './openssl';

const work = workDir();
afterAll(() => work.cleanup());

/** A key and self-signed certificate made by openssl itself. */
function opensslIdentity(label: string, keyArgs = ['-newkey', 'rsa:2048']) {
	const key = work.path(`${label}.key`);
	const cert = work.path(`${label}.pem`);
	const made = openssl([
		'req',
		'-x509',
		...keyArgs,
		'-nodes',
		'-keyout',
		key,
		'-out',
		cert,
		'-subj',
		`/C=US/O=Partner/CN=${label}`,
		'-days',
		'365',
	]);
	if (!made.ok) throw new Error(made.err);
	return { key, cert, certPem: readFileSync(cert, 'utf8') };
}

function opensslSign(
	identity: { key: string; cert: string },
	content: Buffer,
	digest: string,
	opaque = false,
): Buffer {
	const input = work.write('report.mime', content);
	const args = [
		'cms',
		'-sign',
		'-binary',
		'-md',
		digest,
		'-signer',
		identity.cert,
		'-inkey',
		identity.key,
		'-in',
		input,
		'-outform',
		'DER',
	];
	if (opaque) args.push('-nodetach');
	const signed = openssl(args);
	if (!signed.ok) throw new Error(signed.err);
	return signed.out;
}

/** openssl's verdict on an MDN's signature: the CMS and the exact content our parser found (text mode, as S/MIME is). */
function opensslVerifies(read: ReadMdn, trustedCert: string, nointern = false): boolean {
	const args = [
		'cms',
		'-verify',
		'-inform',
		'DER',
		'-in',
		work.write('sig.der', read.signature!),
		'-CAfile',
		trustedCert,
		'-out',
		work.path('out'),
	];
	if (read.signedContent) args.push('-content', work.write('content', read.signedContent));
	if (nointern) args.push('-certfile', trustedCert, '-nointern');
	return openssl(args).ok;
}

/** Changes one byte inside the signed report ("text/plain" → "text/PLAIN"), where the signature covers it. */
function tamper(raw: Buffer, variant: MdnVariant): Buffer {
	if (variant.opaque) {
		const text = raw.toString('latin1');
		const start = text.search(/\r?\n\r?\n/);
		const bodyStart = start + /\r?\n\r?\n/.exec(text.slice(start))![0].length;
		const der = Buffer.from(text.slice(bodyStart).replace(/\s+/g, ''), 'base64');
		const at = der.indexOf('text/plain');
		der[at + 5] = 0x50; // 'P'
		return Buffer.concat([
			raw.subarray(0, bodyStart),
			Buffer.from(der.toString('base64') + '\r\n'),
		]);
	}
	const copy = Buffer.from(raw);
	const at = copy.indexOf('text/plain');
	copy.write('PLAIN', at + 5, 'latin1');
	return copy;
}

describeWithOpenssl('MDN corpus (openssl-signed, product layouts)', () => {
	let partner: ReturnType<typeof opensslIdentity>;
	let other: ReturnType<typeof opensslIdentity>;
	beforeAll(() => {
		partner = opensslIdentity('PARTNER_OK');
		other = opensslIdentity('SOMEONE_ELSE');
	});

	test(`the corpus has at least 30 variants (${MDN_VARIANTS.length})`, () => {
		expect(MDN_VARIANTS.length).toBeGreaterThanOrEqual(30);
		expect(new Set(MDN_VARIANTS.map((v) => v.name)).size).toBe(MDN_VARIANTS.length);
	});

	describe.each(MDN_VARIANTS.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
		let raw: Buffer;
		let read: ReadMdn;
		beforeAll(() => {
			const report = reportEntity(variant);
			const signature = variant.digest
				? opensslSign(partner, report, variant.digest, variant.opaque)
				: undefined;
			raw = mdnBytes(variant, report, signature);
			read = readMdn(raw);
		});

		test('every field is what the variant says', () => {
			const e = variant.expected;
			expect(read.report).toMatchObject({
				signed: variant.digest !== null,
				// A body stored without its headers has lost the micalg parameter.
				signatureMicAlgorithm: variant.outerHeaders === false ? null : (variant.micalg ?? null),
				originalMessageId: variant.originalMessageId,
				reportingUa: variant.reportingUa,
				finalRecipient: 'rfc822; MYSTATION',
				originalRecipient: 'rfc822; MYSTATION',
				humanReadable: variant.text,
				disposition: {
					actionMode: 'automatic-action',
					sendingMode: 'MDN-sent-automatically',
					type: e.type,
					modifier: e.modifier,
					successful: e.successful,
				},
				receivedContentMic: e.micDigest
					? {
							digest: e.micDigest,
							algorithm: e.micAlgorithm,
							digestAlgorithm: e.micDigestAlgorithm,
						}
					: null,
			});
		});

		if (!variant.digest) {
			test('unsigned: verification says it cannot verify, never valid', () => {
				expect(verifyMdn(read, { certificates: partner.certPem })).toEqual({
					valid: null,
					reason: 'cannot verify: the MDN is not signed',
				});
			});
			return;
		}

		test('valid: we and openssl cms -verify both accept it', () => {
			const ours = verifyMdn(read, { certificates: partner.certPem });
			expect(ours.reason).toBeUndefined();
			expect(ours).toMatchObject({ valid: true, digestAlgorithm: variant.digest });
			expect(ours.signer?.subject).toBe('CN=PARTNER_OK, O=Partner, C=US');
			expect(opensslVerifies(read, partner.cert)).toBe(true);
		});

		if (variant.outerHeaders !== false)
			test("openssl's own S/MIME reading of the whole MDN agrees (valid, and tampered refused)", () => {
				const args = (file: string) => [
					'cms',
					'-verify',
					'-in',
					file,
					'-CAfile',
					partner.cert,
					'-out',
					work.path('out'),
				];
				expect(openssl(args(work.write('mdn.eml', raw))).ok).toBe(true);
				expect(openssl(args(work.write('mdn.eml', tamper(raw, variant)))).ok).toBe(false);
			});

		test('tampered: we and openssl both refuse it', () => {
			const changed = readMdn(tamper(raw, variant));
			const ours = verifyMdn(changed, { certificates: partner.certPem });
			expect(ours.valid).toBe(false);
			expect(ours.reason).toMatch(/changed after signing|does not match/);
			expect(opensslVerifies(changed, partner.cert)).toBe(false);
		});

		test('wrong certificate: we and openssl both refuse it', () => {
			const ours = verifyMdn(read, { certificates: other.certPem });
			expect(ours.valid).toBe(false);
			expect(ours.reason).toMatch(/signed with a different certificate/);
			expect(opensslVerifies(read, other.cert, true)).toBe(false);
		});
	});
});

describeWithOpenssl('MDN signatures we cannot or must not accept', () => {
	const variant = MDN_VARIANTS[0];
	const report = reportEntity(variant);

	test('an expired signer certificate: refused, as openssl refuses it', () => {
		const expired = makeCertificate({
			commonName: 'OLD_PARTNER',
			notBefore: new Date(Date.UTC(2019, 0, 1)),
			notAfter: new Date(Date.UTC(2021, 0, 1)),
		});
		const identity = {
			key: work.write('old.key', expired.keyPem),
			cert: work.write('old.pem', expired.certPem),
		};
		const read = readMdn(mdnBytes(variant, report, opensslSign(identity, report, 'sha256')));
		const ours = verifyMdn(read, { certificates: expired.certPem });
		expect(ours).toMatchObject({
			valid: false,
			reason: 'the signer certificate expired on 2021-01-01T00:00:00.000Z',
		});
		expect(opensslVerifies(read, identity.cert)).toBe(false);
		// The same signature checked at a time the certificate was valid is fine.
		expect(
			verifyMdn(read, { certificates: expired.certPem, at: new Date(Date.UTC(2020, 0, 1)) }).valid,
		).toBe(true);
	});

	test('BER with indefinite lengths (openssl cms -sign -stream): read and verified like DER', () => {
		const identity = opensslIdentity('STREAM_PARTNER');
		const signed = openssl([
			'cms',
			'-sign',
			'-binary',
			'-stream',
			'-md',
			'sha256',
			'-signer',
			identity.cert,
			'-inkey',
			identity.key,
			'-in',
			work.write('report.mime', report),
			'-outform',
			'DER',
		]);
		expect(signed.ok).toBe(true);
		expect(signed.out.subarray(0, 2).toString('hex')).toBe('3080');
		const read = readMdn(mdnBytes(variant, report, signed.out));
		expect(verifyMdn(read, { certificates: identity.certPem })).toMatchObject({ valid: true });
		expect(opensslVerifies(read, identity.cert)).toBe(true);
	});

	test('MD5: a clear "cannot verify", not a verdict', () => {
		const identity = opensslIdentity('MD5_PARTNER');
		const read = readMdn(
			mdnBytes({ ...variant, micalg: 'md5' }, report, opensslSign(identity, report, 'md5')),
		);
		expect(verifyMdn(read, { certificates: identity.certPem })).toEqual({
			valid: null,
			reason: 'cannot verify: digest algorithm md5 is not supported (SHA-1 and SHA-2 are)',
		});
	});

	test('an ECDSA signature: a clear "cannot verify"', () => {
		const identity = opensslIdentity('EC_PARTNER', [
			'-newkey',
			'ec',
			'-pkeyopt',
			'ec_paramgen_curve:prime256v1',
		]);
		const read = readMdn(mdnBytes(variant, report, opensslSign(identity, report, 'sha256')));
		const ours = verifyMdn(read, { certificates: identity.certPem });
		expect(ours.valid).toBeNull();
		expect(ours.reason).toMatch(
			/^cannot verify: signature algorithm (ecdsaWithSha256|[\d.]+) is not supported/,
		);
	});
});

describe('malformed MDNs: a clear error, never invented values', () => {
	const variant = MDN_VARIANTS[0];
	const unsigned = mdnBytes({ ...variant, digest: null }, reportEntity(variant));

	test.each([
		['empty', Buffer.alloc(0), 'The MDN is empty'],
		['whitespace', Buffer.from('\r\n  \r\n'), 'The MDN is empty'],
		[
			'an HTML error page',
			Buffer.from(
				'<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>',
			),
			'The MDN is an HTML page, not an MDN ("502 Bad Gateway"): the server answered with an error page',
		],
		[
			'an HTML error page with HTTP headers',
			Buffer.from(
				'HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<h1>Bad gateway</h1>',
			),
			'The MDN is an HTML page, not an MDN: the server answered with an error page',
		],
		[
			'plain text',
			Buffer.from('Content-Type: text/plain\r\n\r\nhello'),
			'The MDN has no message/disposition-notification part',
		],
	])('%s', (_name, raw, message) => {
		expect(() => readMdn(raw)).toThrow(new MdnError(message));
	});

	test('truncated anywhere: an MdnError or the complete report, never a partial one', () => {
		const whole = readMdn(unsigned).report;
		for (let cut = 0; cut < unsigned.length; cut += 7) {
			let report;
			try {
				report = readMdn(unsigned.subarray(0, cut)).report;
			} catch (error) {
				expect(error).toBeInstanceOf(MdnError);
				continue;
			}
			expect(report).toEqual(whole);
		}
	});
});
