import { randomBytes } from 'node:crypto';

import { computeMic, type DigestName, verifySignedData } from '../../nodes/MftGateway/as2/cms';
import { child, OID, oidOf, readDer } from '../../nodes/MftGateway/as2/der';
import {
	decodeBody,
	type MimeEntity,
	MimeError,
	parseEntity,
	parseHeaderValue,
	parts,
} from '../../nodes/MftGateway/as2/mime';
import type { Certificate } from '../../nodes/MftGateway/as2/x509';
import { compress, decompress } from './compress';
import { type ContentCipher, decryptEnveloped, encryptEnveloped } from './envelope';
import { As2Failure, failingAs } from './failure';
import type { KeyTransport } from './keyTransport';
import { signCms } from './sign';

/** What a partner's settings decide about the shape of an outbound AS2 message (RFC 4130, RFC 5402). */
export interface As2Profile {
	/** Digest of the signature; absent = unsigned. */
	sign?: DigestName;
	/** Content cipher; absent = not encrypted. */
	encrypt?: ContentCipher;
	keyTransport?: KeyTransport;
	/** Compress the content before signing, or the signed entity after signing. */
	compress?: 'before' | 'after';
	transferEncoding: 'binary' | 'base64';
	/** MIC algorithm when the message is not signed (the receipt's signed-receipt-micalg). */
	micDigest?: DigestName;
}

export interface PayloadFile {
	name: string;
	contentType: string;
	content: Buffer;
}

/** One MIME entity being built: header lines and the (already transfer-encoded) body. */
interface Entity {
	headers: string[];
	body: Buffer;
}

export interface BuiltMessage {
	/** The outermost entity's headers (Content-Type, -Transfer-Encoding, -Disposition): they become HTTP headers. */
	headers: Record<string, string>;
	body: Buffer;
	/** The MIC the receiver's MDN must return (RFC 4130 §7.3.1), as `base64digest, sha-256`. */
	mic: string;
}

const CRLF = '\r\n';

/** The micalg name of a digest, spelled as in the MIC (one naming rule: cms.ts computeMic). */
export const micalgName = (digest: DigestName): string =>
	computeMic(Buffer.alloc(0), digest).split(', ')[1];

export const entityBytes = (entity: Entity): Buffer =>
	Buffer.concat([Buffer.from(entity.headers.join(CRLF) + CRLF + CRLF, 'latin1'), entity.body]);

function encodeBody(content: Buffer, encoding: As2Profile['transferEncoding']): Buffer {
	if (encoding === 'binary') return content;
	const lines = content.toString('base64').match(/.{1,76}/g) ?? [];
	return Buffer.from(lines.join(CRLF) + CRLF, 'latin1');
}

const quoted = (value: string) => `"${value.replace(/["\\\r\n]/g, '_')}"`;

function fileEntity(file: PayloadFile, encoding: As2Profile['transferEncoding']): Entity {
	return {
		headers: [
			`Content-Type: ${file.contentType}`,
			`Content-Transfer-Encoding: ${encoding}`,
			`Content-Disposition: attachment; filename=${quoted(file.name)}`,
		],
		body: encodeBody(file.content, encoding),
	};
}

function multipart(type: string, parameters: string, parts: Buffer[]): Entity {
	const boundary = `----=_Part_${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const part of parts)
		chunks.push(Buffer.from(`--${boundary}${CRLF}`), part, Buffer.from(CRLF));
	chunks.push(Buffer.from(`--${boundary}--${CRLF}`));
	return {
		headers: [`Content-Type: ${type}; ${parameters}boundary=${quoted(boundary)}`],
		body: Buffer.concat(chunks),
	};
}

function pkcs7Mime(
	smimeType: string,
	fileName: string,
	der: Buffer,
	encoding: As2Profile['transferEncoding'],
): Entity {
	return {
		headers: [
			`Content-Type: application/pkcs7-mime; smime-type=${smimeType}; name=${fileName}`,
			`Content-Transfer-Encoding: ${encoding}`,
			`Content-Disposition: attachment; filename=${fileName}`,
		],
		body: encodeBody(der, encoding),
	};
}

/**
 * Builds the body of an AS2 POST: content → compressed (before) → signed (multipart/signed, detached) →
 * compressed (after) → encrypted, as the profile says, and the MIC the MDN must return.
 */
export function buildAs2Message(
	files: PayloadFile[],
	profile: As2Profile,
	keys: { signer?: { keyPem: string; certPem: string }; recipient?: Certificate },
): BuiltMessage {
	const encoding = profile.transferEncoding;
	let entity: Entity =
		files.length === 1
			? fileEntity(files[0], encoding)
			: multipart(
					'multipart/mixed',
					'',
					files.map((f) => entityBytes(fileEntity(f, encoding))),
				);
	// Unsigned, there is no "after signing": one compression layer, under the encryption.
	const compressAfter = profile.compress === 'after' && !!profile.sign;
	if (profile.compress && !compressAfter)
		entity = pkcs7Mime('compressed-data', 'smime.p7z', compress(entityBytes(entity)), encoding);
	// The MIC covers what is (or would be) signed: the MIME entity when signed or encrypted, else the
	// content alone (RFC 4130 §7.3.1; with compression, RFC 5402 §4).
	const mic = computeMic(
		profile.sign || profile.encrypt ? entityBytes(entity) : entity.body,
		profile.sign ?? profile.micDigest ?? 'sha256',
	);
	if (profile.sign) {
		if (!keys.signer) throw new Error('Signing needs the station key and certificate');
		const signed = entityBytes(entity);
		const signature = signCms({ content: signed, ...keys.signer, digest: profile.sign });
		entity = multipart(
			'multipart/signed',
			`protocol="application/pkcs7-signature"; micalg=${micalgName(profile.sign)}; `,
			[
				signed,
				entityBytes({
					headers: [
						'Content-Type: application/pkcs7-signature; name=smime.p7s',
						// Base64 always: S/MIME readers (openssl's among them) expect it here.
						'Content-Transfer-Encoding: base64',
						'Content-Disposition: attachment; filename=smime.p7s',
					],
					body: encodeBody(signature, 'base64'),
				}),
			],
		);
	}
	if (compressAfter)
		entity = pkcs7Mime('compressed-data', 'smime.p7z', compress(entityBytes(entity)), encoding);
	if (profile.encrypt) {
		if (!keys.recipient) throw new Error('Encryption needs the partner certificate');
		const encrypted = encryptEnveloped(
			entityBytes(entity),
			keys.recipient,
			profile.encrypt,
			profile.keyTransport,
		);
		entity = pkcs7Mime('enveloped-data', 'smime.p7m', encrypted, encoding);
	}
	const headers: Record<string, string> = {};
	for (const line of entity.headers) {
		const colon = line.indexOf(':');
		headers[line.slice(0, colon)] = line.slice(colon + 1).trim();
	}
	if (headers['Content-Transfer-Encoding'] === 'binary')
		delete headers['Content-Transfer-Encoding'];
	return { headers, body: entity.body, mic };
}

// ---- reading ----

/** The HTTP request or response as one MIME entity (its Content-Type and transfer encoding are HTTP headers). */
export function httpEntity(headers: Record<string, string | undefined>, body: Buffer): MimeEntity {
	const lines = [`Content-Type: ${headers['content-type'] ?? 'application/octet-stream'}`];
	for (const name of ['Content-Transfer-Encoding', 'Content-Disposition'])
		if (headers[name.toLowerCase()]) lines.push(`${name}: ${headers[name.toLowerCase()]}`);
	return parseEntity(Buffer.concat([Buffer.from(lines.join(CRLF) + CRLF + CRLF, 'latin1'), body]));
}

/** Checks a multipart/signed entity's detached signature over the exact bytes of its first part. */
function verifyMultipartSigned(
	entity: MimeEntity,
	certificate: Certificate | undefined,
): { content: MimeEntity; digest?: DigestName; error?: string; unsupported?: boolean } {
	const [content, signature] = parts(entity);
	if (!content || !signature) throw new MimeError('multipart/signed needs two parts');
	const check = verifySignedData(decodeBody(signature), {
		content: content.raw,
		certificates: certificate ? [certificate] : undefined,
	});
	return {
		content,
		digest: check.digestAlgorithm as DigestName | undefined,
		error: check.valid === true ? undefined : check.reason,
		unsupported: check.valid === null && /not supported/.test(check.reason ?? ''),
	};
}

/** An MDN as received: whether it was signed, the signature problem if any, and the report as text. */
export function readSignedEntity(
	headers: Record<string, string | undefined>,
	body: Buffer,
	certificate?: Certificate,
): { signed: boolean; signatureError?: string; reportText: string } {
	const entity = httpEntity(headers, body);
	if (entity.mediaType !== 'multipart/signed')
		return { signed: false, reportText: entity.raw.toString('latin1') };
	const checked = verifyMultipartSigned(entity, certificate);
	return {
		signed: true,
		signatureError: checked.error,
		reportText: checked.content.raw.toString('latin1'),
	};
}

export interface UnwrappedMessage {
	files: PayloadFile[];
	encrypted: boolean;
	signed: boolean;
	compressed: boolean;
	/** The MIC for the MDN, as `base64digest, sha-256`. */
	mic: string;
}

const MAX_LAYERS = 8;
const PKCS7_MIME = /^application\/(x-)?pkcs7-mime$/;

function smimeTypeOf(entity: MimeEntity, der: Buffer): string {
	const declared = entity.contentType.params['smime-type']?.toLowerCase();
	if (declared) return declared;
	// Some senders leave smime-type out: the CMS content type says what it is.
	const contentType = oidOf(child(readDer(der), 0, 'content type'));
	return contentType === OID.compressedData
		? 'compressed-data'
		: contentType === OID.envelopedData
			? 'enveloped-data'
			: 'signed-data';
}

function fileOf(entity: MimeEntity, index: number): PayloadFile {
	const disposition = parseHeaderValue(entity.headers.get('content-disposition'));
	return {
		name:
			disposition.params.filename ??
			entity.contentType.params.name ??
			`attachment-${index + 1}.dat`,
		contentType: entity.contentType.value || 'application/octet-stream',
		content: decodeBody(entity),
	};
}

/**
 * Unwraps a received AS2 message in whatever order its layers come (encrypted, signed, compressed), checking
 * the signature with the partner's certificate, and computes the MIC the MDN returns. Problems are
 * As2Failures carrying the MDN disposition modifier.
 */
export function unwrapAs2Message(
	headers: Record<string, string | undefined>,
	body: Buffer,
	keys: { keyPem?: string; certificate?: Certificate; partnerCertificate?: Certificate },
	opts: { micDigest: DigestName; maxSize: number },
): UnwrappedMessage {
	let entity = failingAs('error: unexpected-processing-error', 'Malformed MIME', () =>
		httpEntity(headers, body),
	);
	const result = { encrypted: false, signed: false, compressed: false };
	let decrypted: MimeEntity | undefined;
	let mic: string | undefined;
	for (let layer = 0; layer < MAX_LAYERS; layer++) {
		if (PKCS7_MIME.test(entity.mediaType)) {
			const der = decodeBody(entity);
			const smimeType = failingAs('error: unexpected-processing-error', 'Unreadable CMS', () =>
				smimeTypeOf(entity, der),
			);
			if (smimeType === 'enveloped-data') {
				if (!keys.keyPem || !keys.certificate)
					throw new As2Failure('error: decryption-failed', 'The station has no private key');
				const { keyPem, certificate } = keys;
				const plain = failingAs('error: decryption-failed', 'Unreadable EnvelopedData', () =>
					decryptEnveloped(der, keyPem, certificate),
				);
				entity = failingAs('error: decryption-failed', 'Malformed MIME inside the encryption', () =>
					parseEntity(plain),
				);
				decrypted ??= entity;
				result.encrypted = true;
			} else if (smimeType === 'compressed-data') {
				entity = failingAs(
					'error: decompression-failed',
					'Malformed MIME inside the compression',
					() => parseEntity(decompress(der, opts.maxSize)),
				);
				result.compressed = true;
			} else
				throw new As2Failure(
					'error: unexpected-processing-error',
					`Unsupported S/MIME type ${smimeType}`,
				);
			continue;
		}
		if (entity.mediaType === 'multipart/signed') {
			const checked = failingAs('error: integrity-check-failed', 'Malformed multipart/signed', () =>
				verifyMultipartSigned(entity, keys.partnerCertificate),
			);
			if (checked.unsupported)
				throw new As2Failure(
					'failure: unsupported MIC-algorithms',
					`The signature cannot be checked: ${checked.error}`,
				);
			if (checked.error)
				throw new As2Failure(
					/digest|changed after signing/.test(checked.error)
						? 'error: integrity-check-failed'
						: 'error: authentication-failed',
					`The signature is not valid: ${checked.error}`,
				);
			mic ??= computeMic(checked.content.raw, checked.digest ?? opts.micDigest);
			entity = checked.content;
			result.signed = true;
			continue;
		}
		const files = failingAs('error: unexpected-processing-error', 'Malformed MIME content', () =>
			entity.mediaType.startsWith('multipart/') ? parts(entity).map(fileOf) : [fileOf(entity, 0)],
		);
		// Unsigned: the MIC covers the decrypted entity, or the content alone (RFC 4130 §7.3.1).
		mic ??= computeMic(decrypted ? decrypted.raw : entity.body, opts.micDigest);
		return { ...result, files, mic };
	}
	throw new As2Failure('error: unexpected-processing-error', 'Too many nested S/MIME layers');
}
