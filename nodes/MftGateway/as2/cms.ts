import { constants, createHash, verify } from 'crypto';

import {
	OID,
	Tag,
	child,
	intOf,
	isContext,
	isUniversal,
	nodeBytes,
	octetsOf,
	oidName,
	oidOf,
	readDer,
	timeOf,
	type DerNode,
} from './der';
import { certificatesFrom, parseCertificate, type Certificate } from './x509';

/**
 * CMS SignedData (RFC 5652) reading and verification with `crypto`, and the AS2 MIC (RFC 4130 §7.3.1).
 *
 * API: `parseSignedData(bytes)`; `verifySignedData(bytes, { content, certificates, at })` → {@link Verification}
 * (`valid: true | false`, or `null` with a note when it cannot be verified: unsupported algorithm, no
 * content, unreadable structure); `computeMic(bytes, algorithm)`; `digestFromMicAlgorithm('SHA-256')`.
 */

export type DigestName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';
const DIGESTS: DigestName[] = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

const SIGNATURE_DIGEST: Record<string, DigestName> = {
	[OID.sha1WithRSAEncryption]: 'sha1',
	[OID.sha224WithRSAEncryption]: 'sha224',
	[OID.sha256WithRSAEncryption]: 'sha256',
	[OID.sha384WithRSAEncryption]: 'sha384',
	[OID.sha512WithRSAEncryption]: 'sha512',
};

export interface SignerInfo {
	/** issuerAndSerialNumber, or subjectKeyIdentifier (version 3). */
	issuerDer?: Buffer;
	serialNumber?: bigint;
	subjectKeyIdentifier?: Buffer;
	/** Digest algorithm OID. */
	digestAlgorithm: string;
	/** The signed attributes re-encoded as the SET OF the signature covers. */
	signedAttributes?: Buffer;
	messageDigest?: Buffer;
	contentType?: string;
	signingTime?: Date;
	/** Signature algorithm OID and, for RSASSA-PSS, its parameters. */
	signatureAlgorithm: string;
	pss?: { hash: string; saltLength: number };
	signature: Buffer;
}

export interface SignedData {
	contentType: string;
	/** The encapsulated content, when the signature is not detached. */
	content?: Buffer;
	certificates: Certificate[];
	signers: SignerInfo[];
}

export class CmsError extends Error {}

function algorithmOf(node: DerNode): string {
	return oidOf(child(node, 0, 'algorithm identifier'));
}

function pssParameters(params: DerNode | undefined): { hash: string; saltLength: number } {
	// RFC 4055 defaults: SHA-1, MGF1 with SHA-1, salt length 20.
	let hash: string = OID.sha1;
	let saltLength = 20;
	for (const field of params?.children ?? []) {
		if (isContext(field, 0)) hash = algorithmOf(child(field, 0, 'hash algorithm'));
		if (isContext(field, 2)) saltLength = Number(intOf(child(field, 0, 'salt length')));
	}
	return { hash, saltLength };
}

function parseSignerInfo(node: DerNode): SignerInfo {
	const [, sid, digestAlgorithm, ...rest] = node.children;
	if (!digestAlgorithm) throw new CmsError('The CMS SignerInfo is incomplete');
	const signer: Partial<SignerInfo> = { digestAlgorithm: algorithmOf(digestAlgorithm) };
	if (isContext(sid, 0)) signer.subjectKeyIdentifier = sid.content;
	else {
		signer.issuerDer = nodeBytes(child(sid, 0, 'issuer'));
		signer.serialNumber = intOf(child(sid, 1, 'serial number'));
	}
	let k = 0;
	if (isContext(rest[k], 0)) {
		const attributes = rest[k++];
		// The signature covers the attributes with the SET OF tag instead of [0] IMPLICIT.
		const encoded = Buffer.from(nodeBytes(attributes));
		encoded[0] = 0x31;
		signer.signedAttributes = encoded;
		for (const attribute of attributes.children) {
			const type = oidOf(child(attribute, 0, 'attribute type'));
			const value = child(child(attribute, 1, 'attribute values'), 0, 'attribute value');
			if (type === OID.messageDigest) signer.messageDigest = octetsOf(value);
			if (type === OID.contentType) signer.contentType = oidOf(value);
			if (type === OID.signingTime) signer.signingTime = timeOf(value);
		}
	}
	const signatureAlgorithm = rest[k++];
	const signature = rest[k++];
	if (!signatureAlgorithm || !signature) throw new CmsError('The CMS SignerInfo has no signature');
	signer.signatureAlgorithm = algorithmOf(signatureAlgorithm);
	if (signer.signatureAlgorithm === OID.rsassaPss)
		signer.pss = pssParameters(signatureAlgorithm.children[1]);
	signer.signature = octetsOf(signature);
	return signer as SignerInfo;
}

/** Reads a CMS ContentInfo holding SignedData (DER or BER). */
export function parseSignedData(bytes: Buffer): SignedData {
	let info: DerNode | undefined;
	let unreadable = '';
	try {
		info = readDer(bytes);
	} catch (error) {
		unreadable = (error as Error).message;
	}
	if (!info) throw new CmsError(`The signature is not readable CMS: ${unreadable}`);
	if (!isUniversal(info, Tag.sequence) || oidOf(child(info, 0, 'content type')) !== OID.signedData)
		throw new CmsError('The signature is not CMS SignedData');
	const signedData = child(child(info, 1, 'SignedData'), 0, 'SignedData');
	const [, , encapsulated, ...rest] = signedData.children;
	if (!encapsulated) throw new CmsError('The CMS SignedData is incomplete');
	const eContent = encapsulated.children[1];
	const certificates: Certificate[] = [];
	let signerInfos: DerNode | undefined;
	for (const node of rest) {
		if (isContext(node, 0)) {
			for (const cert of node.children)
				// Only X.509 certificates (SEQUENCE); attribute certificates and others are skipped.
				if (isUniversal(cert, Tag.sequence)) certificates.push(parseCertificate(nodeBytes(cert)));
		} else if (isUniversal(node, Tag.set)) signerInfos = node;
	}
	if (!signerInfos?.children.length) throw new CmsError('The CMS SignedData has no signer');
	return {
		contentType: oidOf(child(encapsulated, 0, 'content type')),
		content: eContent ? octetsOf(child(eContent, 0, 'content')) : undefined,
		certificates,
		signers: signerInfos.children.map(parseSignerInfo),
	};
}

export interface Verification {
	/** true: signature and certificate check out; false: they do not; null: cannot be verified (see `note`). */
	valid: boolean | null;
	/** Why it is not valid, or why it cannot be verified. */
	reason?: string;
	digestAlgorithm?: string;
	signer?: {
		subject: string;
		issuer: string;
		serialNumber: string;
		notBefore: string;
		notAfter: string;
	};
	signingTime?: string;
}

function signerMatches(signer: SignerInfo, cert: Certificate): boolean {
	if (signer.subjectKeyIdentifier)
		return signer.subjectKeyIdentifier.equals(cert.subjectKeyIdentifier);
	return signer.serialNumber === cert.serialNumber && !!signer.issuerDer?.equals(cert.issuerDer);
}

function digestNameOf(oid: string): DigestName | undefined {
	const name = oidName(oid);
	return name && (DIGESTS as string[]).includes(name) ? (name as DigestName) : undefined;
}

function describeSigner(cert: Certificate): NonNullable<Verification['signer']> {
	return {
		subject: cert.subject,
		issuer: cert.issuer,
		serialNumber: cert.serialNumberHex,
		notBefore: cert.notBefore.toISOString(),
		notAfter: cert.notAfter.toISOString(),
	};
}

export interface VerifyOptions {
	/** The signed content of a detached signature (the exact bytes of the first multipart/signed part). */
	content?: Buffer;
	/**
	 * The certificates the signer must be one of (the partner's). Without them the certificate embedded in
	 * the signature is used, which proves integrity but not who signed.
	 */
	certificates?: Certificate[] | string;
	/** When the certificate must be valid; now by default. */
	at?: Date;
}

/** Verifies the first signer of a CMS SignedData. Never throws: problems are in the answer. */
export function verifySignedData(cms: Buffer, options: VerifyOptions = {}): Verification {
	let signedData: SignedData;
	let trusted: Certificate[] | undefined;
	try {
		signedData = parseSignedData(cms);
		trusted =
			typeof options.certificates === 'string'
				? certificatesFrom(options.certificates)
				: options.certificates;
	} catch (error) {
		const message = (error as Error).message;
		return { valid: null, reason: `cannot verify: ${message}` };
	}
	const signer = signedData.signers[0];
	const digest = digestNameOf(signer.digestAlgorithm);
	const digestLabel = oidName(signer.digestAlgorithm) ?? signer.digestAlgorithm;
	if (!digest)
		return {
			valid: null,
			reason: `cannot verify: digest algorithm ${digestLabel} is not supported (SHA-1 and SHA-2 are)`,
		};
	const result: Verification = { valid: false, digestAlgorithm: digest };
	if (signer.signingTime) result.signingTime = signer.signingTime.toISOString();
	const candidates = trusted ?? signedData.certificates;
	const cert = candidates.find((c) => signerMatches(signer, c));
	if (!cert) {
		const embedded = signedData.certificates.find((c) => signerMatches(signer, c));
		if (embedded) result.signer = describeSigner(embedded);
		result.reason = trusted
			? `signed with a different certificate (${embedded ? `serial ${embedded.serialNumberHex}, ${embedded.subject}` : 'not embedded'}) than the one given (serial ${trusted.map((c) => c.serialNumberHex).join(', ')})`
			: 'the signer certificate is not in the signature, and no certificate was given';
		return result;
	}
	result.signer = describeSigner(cert);
	const content = options.content ?? signedData.content;
	if (!content)
		return { ...result, valid: null, reason: 'cannot verify: the signed content is missing' };
	let signedBytes = content;
	if (signer.signedAttributes) {
		const actual = createHash(digest).update(content).digest();
		if (!signer.messageDigest)
			return { ...result, reason: 'the signed attributes have no message digest' };
		if (!actual.equals(signer.messageDigest))
			return {
				...result,
				reason: 'the content does not match the signed message digest (changed after signing)',
			};
		signedBytes = signer.signedAttributes;
	}
	let ok: boolean;
	try {
		if (signer.signatureAlgorithm === OID.rsassaPss) {
			const pssHash = digestNameOf(signer.pss!.hash);
			if (!pssHash)
				return { ...result, valid: null, reason: 'cannot verify: unsupported RSASSA-PSS hash' };
			ok = verify(
				pssHash,
				signedBytes,
				{
					key: cert.publicKey,
					padding: constants.RSA_PKCS1_PSS_PADDING,
					saltLength: signer.pss!.saltLength,
				},
				signer.signature,
			);
		} else if (
			signer.signatureAlgorithm === OID.rsaEncryption ||
			SIGNATURE_DIGEST[signer.signatureAlgorithm]
		) {
			if (cert.publicKey.asymmetricKeyType !== 'rsa')
				return { ...result, valid: null, reason: 'cannot verify: the certificate key is not RSA' };
			ok = verify(
				SIGNATURE_DIGEST[signer.signatureAlgorithm] ?? digest,
				signedBytes,
				{ key: cert.publicKey, padding: constants.RSA_PKCS1_PADDING },
				signer.signature,
			);
		} else {
			const label = oidName(signer.signatureAlgorithm) ?? signer.signatureAlgorithm;
			return {
				...result,
				valid: null,
				reason: `cannot verify: signature algorithm ${label} is not supported (RSA PKCS#1 v1.5 and PSS are)`,
			};
		}
	} catch (error) {
		return { ...result, valid: null, reason: `cannot verify: ${(error as Error).message}` };
	}
	if (!ok) return { ...result, reason: 'the signature does not match the content and certificate' };
	const at = options.at ?? new Date();
	if (at < cert.notBefore)
		return {
			...result,
			reason: `the signer certificate is not valid before ${cert.notBefore.toISOString()}`,
		};
	if (at > cert.notAfter)
		return {
			...result,
			reason: `the signer certificate expired on ${cert.notAfter.toISOString()}`,
		};
	return { ...result, valid: true };
}

/** The digest of an AS2 MIC algorithm however it is spelled (`sha-256`, `SHA256`, `sha1`, `SHA-1`). */
export function digestFromMicAlgorithm(
	spelling: string | undefined | null,
): DigestName | undefined {
	const compact = (spelling ?? '')
		.trim()
		.toLowerCase()
		.replace(/[^a-z0-9]/g, '');
	return (DIGESTS as string[]).includes(compact) ? (compact as DigestName) : undefined;
}

/** A MIC (RFC 4130 §7.3.1) as AS2 writes it: `base64digest, sha-256`. */
export function computeMic(bytes: Buffer, digest: DigestName): string {
	// RFC 4130 writes SHA-1 as "sha1"; RFC 5751 names SHA-2 "sha-256" etc.
	const name = digest === 'sha1' ? 'sha1' : digest.replace(/^sha/, 'sha-');
	return `${createHash(digest).update(bytes).digest('base64')}, ${name}`;
}
