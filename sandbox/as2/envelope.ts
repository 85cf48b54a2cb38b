import { createCipheriv, createDecipheriv, createPrivateKey, randomBytes } from 'node:crypto';

import {
	child,
	der,
	type DerNode,
	isContext,
	nodeBytes,
	OID,
	octetsOf,
	oidName,
	oidOf,
	readDer,
} from '../../nodes/MftGateway/as2/der';
import type { Certificate } from '../../nodes/MftGateway/as2/x509';
import { As2Failure, failingAs } from './failure';
import { type KeyTransport, type OaepHash, unwrapKey, wrapKey } from './keyTransport';

/** Content-encryption ciphers the sandbox speaks, by the partner setting's name. */
export const CONTENT_CIPHERS = {
	DES_EDE3_CBC: { oid: OID.desEde3Cbc, node: 'des-ede3-cbc', keyLength: 24, ivLength: 8 },
	AES128_CBC: { oid: OID.aes128Cbc, node: 'aes-128-cbc', keyLength: 16, ivLength: 16 },
	AES192_CBC: { oid: OID.aes192Cbc, node: 'aes-192-cbc', keyLength: 24, ivLength: 16 },
	AES256_CBC: { oid: OID.aes256Cbc, node: 'aes-256-cbc', keyLength: 32, ivLength: 16 },
} as const;
export type ContentCipher = keyof typeof CONTENT_CIPHERS;

const OAEP_HASHES: OaepHash[] = ['sha1', 'sha256', 'sha384', 'sha512'];

/** A certificate's IssuerAndSerialNumber (the CMS recipient identifier), as DER. */
function issuerAndSerial(certificate: Certificate): Buffer {
	return der.seq(der.raw(certificate.issuerDer), der.int(certificate.serialNumber));
}

/** CMS EnvelopedData (RFC 5652 §6) to one RSA recipient, as a DER ContentInfo. */
export function encryptEnveloped(
	content: Buffer,
	recipient: Certificate,
	cipherName: ContentCipher,
	transport: KeyTransport = 'rsa',
): Buffer {
	const cipher = CONTENT_CIPHERS[cipherName];
	const key = randomBytes(cipher.keyLength);
	const iv = randomBytes(cipher.ivLength);
	const encipher = createCipheriv(cipher.node, key, iv);
	const encrypted = Buffer.concat([encipher.update(content), encipher.final()]);
	const recipientInfo = der.seq(
		der.int(0),
		issuerAndSerial(recipient),
		transport === 'oaep'
			? der.seq(der.oid(OID.rsaesOaep), der.seq())
			: der.seq(der.oid(OID.rsaEncryption), der.nul()),
		der.octets(wrapKey(key, recipient.publicKey, transport)),
	);
	const envelopedData = der.seq(
		der.int(0),
		der.set(recipientInfo),
		der.seq(
			der.oid(OID.data),
			der.seq(der.oid(cipher.oid), der.octets(iv)),
			der.implicit(0, encrypted),
		),
	);
	return der.seq(der.oid(OID.envelopedData), der.explicit(0, envelopedData));
}

/**
 * Decrypts a CMS EnvelopedData ContentInfo with our RSA key. Our recipient entry is chosen by issuer and
 * serial number; without one that matches, each RSA recipient is tried. Failures are As2Failures with the
 * MDN modifier they call for.
 */
export function decryptEnveloped(
	contentInfo: Buffer,
	privateKeyPem: string,
	certificate: Certificate,
): Buffer {
	const envelopedData = failingAs('error: decryption-failed', 'Unreadable EnvelopedData', () => {
		const info = readDer(contentInfo);
		if (oidOf(child(info, 0, 'content type')) !== OID.envelopedData)
			throw new Error('the content is not CMS EnvelopedData');
		return child(child(info, 1, 'content'), 0, 'EnvelopedData');
	});
	const privateKey = createPrivateKey(privateKeyPem);
	const hasOriginatorInfo = isContext(child(envelopedData, 1, 'recipients'), 0);
	const recipients = child(envelopedData, hasOriginatorInfo ? 2 : 1, 'recipientInfos').children;
	const contentInfoNode = child(envelopedData, hasOriginatorInfo ? 3 : 2, 'encryptedContentInfo');
	const algorithm = child(contentInfoNode, 1, 'contentEncryptionAlgorithm');
	const cipherOid = oidOf(child(algorithm, 0, 'cipher'));
	const cipherEntry = Object.values(CONTENT_CIPHERS).find((c) => c.oid === cipherOid);
	if (!cipherEntry)
		throw new As2Failure(
			'error: decryption-failed',
			`Unsupported content encryption algorithm ${oidName(cipherOid) ?? cipherOid}; the sandbox supports 3DES and AES-128/192/256 CBC`,
		);
	const iv = octetsOf(child(algorithm, 1, 'IV'));
	const encryptedNode = contentInfoNode.children[2];
	if (!encryptedNode || !isContext(encryptedNode, 0))
		throw new As2Failure('error: decryption-failed', 'EnvelopedData carries no encrypted content');
	const encrypted = octetsOf(encryptedNode);
	const ours = issuerAndSerial(certificate);
	const candidates = recipients.filter((r) => r.children.length === 4);
	const matching = candidates.filter((r) => nodeBytes(r.children[1]).equals(ours));
	if (candidates.length === 0)
		throw new As2Failure(
			'error: decryption-failed',
			'The message is encrypted for no RSA key-transport recipient',
		);
	let lastError: Error | undefined;
	for (const recipient of matching.length ? matching : candidates) {
		try {
			const key = unwrapRecipientKey(recipient, privateKey, cipherEntry.keyLength);
			const decipher = createDecipheriv(cipherEntry.node, key, iv);
			return Buffer.concat([decipher.update(encrypted), decipher.final()]);
		} catch (error) {
			lastError = error as Error;
		}
	}
	throw new As2Failure(
		'error: decryption-failed',
		`The message could not be decrypted with the station's key (${lastError?.message ?? 'no key'})`,
	);
}

function unwrapRecipientKey(
	recipient: DerNode,
	privateKey: ReturnType<typeof createPrivateKey>,
	keyLength: number,
): Buffer {
	const algorithm = child(recipient, 2, 'keyEncryptionAlgorithm');
	const oid = oidOf(child(algorithm, 0, 'key transport'));
	const wrapped = octetsOf(child(recipient, 3, 'encryptedKey'));
	if (oid === OID.rsaEncryption) return unwrapKey(wrapped, privateKey, 'rsa', keyLength);
	if (oid !== OID.rsaesOaep)
		throw new As2Failure(
			'error: decryption-failed',
			`Unsupported key transport ${oidName(oid) ?? oid}; the sandbox supports RSA PKCS#1 v1.5 and RSAES-OAEP`,
		);
	return unwrapKey(wrapped, privateKey, 'oaep', keyLength, oaepHashOf(algorithm.children[1]));
}

// RSAES-OAEP-params: [0] hashAlgorithm (default SHA-1), [1] maskGenAlgorithm MGF1 with the same hash.
function oaepHashOf(params: DerNode | undefined): OaepHash {
	const hashParam = params?.children.find((c) => isContext(c, 0));
	if (!hashParam) return 'sha1';
	const name = oidName(oidOf(child(child(hashParam, 0, 'hash'), 0, 'hash OID')));
	if (!name || !OAEP_HASHES.includes(name as OaepHash))
		throw new As2Failure('error: decryption-failed', 'Unsupported RSAES-OAEP hash');
	return name as OaepHash;
}
