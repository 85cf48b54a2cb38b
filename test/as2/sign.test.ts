import { makeCertificate } from '../../sandbox/as2/certificate';
import { signCms, type SignOptions } from '../../sandbox/as2/sign';
import { certificatesFrom } from '../../nodes/MftGateway/as2/x509';
import { describeWithOpenssl, openssl, workDir } from './openssl';

const work = workDir();
afterAll(() => work.cleanup());

const notBefore = new Date(Date.UTC(2026, 0, 1));
const station = makeCertificate({
	commonName: 'MYSTATION',
	organization: 'Sandbox',
	country: 'US',
	notBefore,
	serialNumber: Buffer.from('8001020304', 'hex'),
});

test('our certificate reads back: subject, serial, validity', () => {
	const [cert] = certificatesFrom(station.certPem);
	expect(cert).toMatchObject({
		subject: 'CN=MYSTATION, O=Sandbox, C=US',
		issuer: 'CN=MYSTATION, O=Sandbox, C=US',
		subjectCommonName: 'MYSTATION',
		serialNumberHex: '8001020304',
		notBefore,
	});
	expect(station.serialNumberHex).toBe('8001020304');
});

describeWithOpenssl('certificate and CMS signature, checked by openssl', () => {
	test('openssl x509 reads the certificate we wrote, and its self-signature verifies', () => {
		const certFile = work.write('station.pem', station.certPem);
		const text = openssl(['x509', '-in', certFile, '-noout', '-text']);
		expect(text.ok).toBe(true);
		expect(text.out.toString()).toMatch(/Version: 3/);
		expect(text.out.toString()).toMatch(/Serial Number: 549772722948 \(0x8001020304\)/);
		expect(text.out.toString()).toMatch(/Subject: C = US, O = Sandbox, CN = MYSTATION/);
		expect(text.out.toString()).toMatch(/Not Before: Jan {2}1 00:00:00 2026 GMT/);
		expect(openssl(['verify', '-CAfile', certFile, certFile]).ok).toBe(true);
	});

	const content = Buffer.from('Content-Type: text/plain\r\n\r\nhello\r\n');
	const variants: Array<[string, Partial<SignOptions>]> = [
		['sha1, issuer and serial', { digest: 'sha1' }],
		['sha256', { digest: 'sha256' }],
		['sha384, RSASSA-PSS', { digest: 'sha384', pss: true }],
		['sha512, subject key identifier', { digest: 'sha512', bySubjectKeyIdentifier: true }],
		['sha224, no signed attributes', { digest: 'sha224', signedAttributes: false }],
		['sha256, content inside', { digest: 'sha256', detached: false }],
	];
	test.each(variants)('openssl cms -verify accepts our SignedData (%s)', (_name, options) => {
		const signature = signCms({
			content,
			keyPem: station.keyPem,
			certPem: station.certPem,
			digest: 'sha256',
			...options,
		});
		const certFile = work.write('station.pem', station.certPem);
		const sigFile = work.write('sig.der', signature);
		const args = [
			'cms',
			'-verify',
			'-binary',
			'-inform',
			'DER',
			'-in',
			sigFile,
			'-CAfile',
			certFile,
		];
		if (options.detached !== false) args.push('-content', work.write('content', content));
		const result = openssl(args);
		expect(result.err).toMatch(/Verification successful|^$/);
		expect(result.ok).toBe(true);
		expect(result.out.equals(content)).toBe(true);
		// and a changed byte is refused
		if (options.detached !== false) {
			const tampered = Buffer.from(content);
			tampered[tampered.length - 3] ^= 1;
			args[args.indexOf('-content') + 1] = work.write('content', tampered);
			expect(openssl(args).ok).toBe(false);
		}
	});
});
