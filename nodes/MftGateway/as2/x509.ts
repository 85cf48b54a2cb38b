import { createHash, createPublicKey, type KeyObject } from 'crypto';

import {
	DerError,
	OID,
	Tag,
	child,
	isContext,
	isUniversal,
	nodeBytes,
	oidName,
	oidOf,
	intOf,
	readDer,
	textOf,
	timeOf,
	bitsOf,
	type DerNode,
} from './der';

/**
 * X.509 certificates, read with our DER reader: `parseCertificate(der)`, `certificatesFrom(text or bytes)`
 * (PEM with any number of certificates, bare Base64, or DER), `distinguishedName(nameNode)`.
 */

export interface Certificate {
	der: Buffer;
	serialNumber: bigint;
	/** Lower-case hex without leading zeros, as MFT Gateway's certificate metadata shows it. */
	serialNumberHex: string;
	/** The issuer Name element exactly as encoded (CMS issuerAndSerialNumber compares it). */
	issuerDer: Buffer;
	issuer: string;
	subject: string;
	subjectCommonName: string | null;
	notBefore: Date;
	notAfter: Date;
	publicKey: KeyObject;
	/** The subjectKeyIdentifier extension, or the SHA-1 of the public key bits (RFC 5280 §4.2.1.2 method 1). */
	subjectKeyIdentifier: Buffer;
}

const ATTRIBUTE_LABELS: Record<string, string> = {
	[OID.commonName]: 'CN',
	[OID.countryName]: 'C',
	[OID.localityName]: 'L',
	[OID.stateOrProvinceName]: 'ST',
	[OID.organizationName]: 'O',
	[OID.organizationalUnitName]: 'OU',
	[OID.emailAddress]: 'E',
};

function attributes(name: DerNode): Array<{ type: string; value: string }> {
	return name.children.flatMap((rdn) =>
		rdn.children.map((pair) => ({
			type: oidOf(child(pair, 0, 'attribute type')),
			value: textOf(child(pair, 1, 'attribute value')),
		})),
	);
}

/** A Name as "CN=…, O=…, C=…" (most specific first, as RFC 4514 and Java print it). */
export function distinguishedName(name: DerNode): string {
	return attributes(name)
		.reverse()
		.map(({ type, value }) => `${ATTRIBUTE_LABELS[type] ?? type}=${value}`)
		.join(', ');
}

export function parseCertificate(der: Buffer): Certificate {
	const cert = readDer(der);
	const tbs = child(cert, 0, 'TBSCertificate');
	if (!isUniversal(cert, Tag.sequence) || !isUniversal(tbs, Tag.sequence))
		throw new DerError('Not an X.509 certificate');
	// The version field is optional ([0] EXPLICIT, absent for v1).
	const fields = isContext(tbs.children[0], 0) ? tbs.children.slice(1) : tbs.children;
	const [serial, , issuer, validity, subject, spki, ...rest] = fields;
	if (!spki) throw new DerError('X.509 certificate is incomplete');
	const serialNumber = intOf(serial);
	const extensions = rest.find((n) => isContext(n, 3))?.children[0]?.children ?? [];
	let subjectKeyIdentifier: Buffer | undefined;
	for (const extension of extensions) {
		if (oidOf(child(extension, 0, 'extension id')) === OID.subjectKeyIdentifier) {
			const value = extension.children[extension.children.length - 1];
			subjectKeyIdentifier = readDer(value.content).content;
		}
	}
	const keyBits = bitsOf(child(spki, 1, 'public key'));
	return {
		der: nodeBytes(cert),
		serialNumber,
		serialNumberHex: serialNumber.toString(16),
		issuerDer: nodeBytes(issuer),
		issuer: distinguishedName(issuer),
		subject: distinguishedName(subject),
		subjectCommonName: attributes(subject).find((a) => a.type === OID.commonName)?.value ?? null,
		notBefore: timeOf(child(validity, 0, 'notBefore')),
		notAfter: timeOf(child(validity, 1, 'notAfter')),
		publicKey: createPublicKey({ key: nodeBytes(spki), format: 'der', type: 'spki' }),
		subjectKeyIdentifier: subjectKeyIdentifier ?? createHash('sha1').update(keyBits).digest(),
	};
}

/** The public key algorithm of a certificate's key, by name (e.g. `rsaEncryption`). */
export function keyAlgorithmOf(certificate: Certificate): string {
	const spki = readDer(certificate.publicKey.export({ format: 'der', type: 'spki' }) as Buffer);
	const dotted = oidOf(child(child(spki, 0, 'algorithm'), 0, 'algorithm id'));
	return oidName(dotted) ?? dotted;
}

/**
 * Certificates in PEM (any number of CERTIFICATE blocks), bare Base64 of one DER certificate, or DER bytes.
 */
export function certificatesFrom(input: string | Buffer): Certificate[] {
	const text = Buffer.isBuffer(input) ? input.toString('latin1') : input;
	const blocks = [
		...text.matchAll(/-----BEGIN (?:X509 |TRUSTED )?CERTIFICATE-----([\s\S]*?)-----END/g),
	];
	if (blocks.length)
		return blocks.map((m) => parseCertificate(Buffer.from(m[1].replace(/\s+/g, ''), 'base64')));
	if (Buffer.isBuffer(input) && input[0] === 0x30) return [parseCertificate(input)];
	const compact = text.replace(/\s+/g, '');
	if (/^[A-Za-z0-9+/]+=*$/.test(compact)) return [parseCertificate(Buffer.from(compact, 'base64'))];
	throw new DerError('No certificate found (expected PEM, Base64 or DER)');
}
