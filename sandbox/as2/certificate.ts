import { createHash, createPublicKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

import { OID, der, readDer, child, bitsOf } from '../../nodes/MftGateway/as2/der';

/**
 * Self-signed X.509 v3 certificates with an RSA key pair, for the sandbox's station and simulated partners
 * and for tests. API: `makeCertificate({ commonName, … })` → { keyPem, certPem, certDer, serialNumberHex }.
 */

export interface CertificateOptions {
	commonName: string;
	organization?: string;
	country?: string;
	/** Unsigned big-endian serial number; random 16 bytes when absent. */
	serialNumber?: Buffer;
	notBefore?: Date;
	notAfter?: Date;
	/** RSA modulus size; 2048 by default. */
	keyBits?: number;
	/** An existing private key (PKCS#8 PEM) to certify instead of a new one. */
	keyPem?: string;
}

export interface KeyAndCertificate {
	keyPem: string;
	certPem: string;
	certDer: Buffer;
	serialNumberHex: string;
}

function name(opts: CertificateOptions): Buffer {
	const rdn = (type: string, value: Buffer) => der.set(der.seq(der.oid(type), value));
	return der.seq(
		...(opts.country ? [rdn(OID.countryName, der.printable(opts.country))] : []),
		...(opts.organization ? [rdn(OID.organizationName, der.utf8(opts.organization))] : []),
		rdn(OID.commonName, der.utf8(opts.commonName)),
	);
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
	return der.seq(der.oid(id), ...(critical ? [der.bool(true)] : []), der.octets(value));
}

export function toPem(label: string, bytes: Buffer): string {
	const lines = bytes.toString('base64').match(/.{1,64}/g) ?? [];
	return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function makeCertificate(opts: CertificateOptions): KeyAndCertificate {
	const keyPem =
		opts.keyPem ??
		generateKeyPairSync('rsa', { modulusLength: opts.keyBits ?? 2048 }).privateKey.export({
			type: 'pkcs8',
			format: 'pem',
		});
	const spki = createPublicKey(keyPem).export({ type: 'spki', format: 'der' });
	const serial = opts.serialNumber ?? Buffer.concat([Buffer.from([0x01]), randomBytes(15)]);
	const notBefore = opts.notBefore ?? new Date(Date.now() - 60_000);
	const notAfter = opts.notAfter ?? new Date(notBefore.getTime() + 5 * 365 * 24 * 3600 * 1000);
	const signatureAlgorithm = der.seq(der.oid(OID.sha256WithRSAEncryption), der.nul());
	const ski = createHash('sha1')
		.update(bitsOf(child(readDer(spki), 1, 'public key')))
		.digest();
	const subject = name(opts);
	// keyUsage: digitalSignature (bit 0) + keyEncipherment (bit 2) = 0b101 in the first 3 bits.
	const keyUsage = der.bitString(Buffer.from([0xa0]), 5);
	const tbs = der.seq(
		der.explicit(0, der.int(2)),
		der.int(serial),
		signatureAlgorithm,
		subject,
		der.seq(der.time(notBefore), der.time(notAfter)),
		subject,
		der.raw(spki),
		der.explicit(
			3,
			der.seq(
				extension(OID.basicConstraints, true, der.seq()),
				extension(OID.keyUsage, true, keyUsage),
				extension(OID.subjectKeyIdentifier, false, der.octets(ski)),
			),
		),
	);
	const signature = sign('sha256', tbs, keyPem);
	const certDer = der.seq(tbs, signatureAlgorithm, der.bitString(signature));
	return {
		keyPem: String(keyPem),
		certPem: toPem('CERTIFICATE', certDer),
		certDer,
		serialNumberHex: BigInt('0x' + serial.toString('hex')).toString(16),
	};
}
