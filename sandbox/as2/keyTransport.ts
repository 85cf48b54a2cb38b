import {
	constants,
	createHash,
	createHmac,
	type KeyObject,
	privateDecrypt,
	publicEncrypt,
} from 'node:crypto';

/** How the content-encryption key travels to the recipient (CMS KeyTransRecipientInfo). */
export type KeyTransport = 'rsa' | 'oaep';

/** The hash of RSAES-OAEP (and its MGF1); `sha1` is the CMS default and what `openssl cms` uses unless told. */
export type OaepHash = 'sha1' | 'sha256' | 'sha384' | 'sha512';

export function wrapKey(
	key: Buffer,
	recipient: KeyObject,
	transport: KeyTransport,
	oaepHash: OaepHash = 'sha1',
): Buffer {
	return transport === 'oaep'
		? publicEncrypt({ key: recipient, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, key)
		: publicEncrypt({ key: recipient, padding: constants.RSA_PKCS1_PADDING }, key);
}

/**
 * Recovers a content-encryption key of `expectedLength` bytes. For PKCS#1 v1.5, Node 20/22 refuse
 * `privateDecrypt` with that padding (CVE-2023-46809), so the raw RSA result is unpadded here with implicit
 * rejection: a bad padding yields a key derived from the ciphertext and our private key instead of an error,
 * so a padding oracle learns nothing; the content decryption then fails like any wrong key.
 */
export function unwrapKey(
	wrapped: Buffer,
	privateKey: KeyObject,
	transport: KeyTransport,
	expectedLength: number,
	oaepHash: OaepHash = 'sha1',
): Buffer {
	if (transport === 'oaep')
		return privateDecrypt(
			{ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
			wrapped,
		);
	const modulusBytes = Math.ceil((privateKey.asymmetricKeyDetails?.modulusLength ?? 0) / 8);
	const synthetic = syntheticKey(wrapped, privateKey, expectedLength);
	if (wrapped.length !== modulusBytes) return synthetic;
	const padded = privateDecrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, wrapped);
	return unpadPkcs1(padded, expectedLength) ?? synthetic;
}

// EM = 00 02 PS(>= 8 non-zero bytes) 00 M; checked over every byte, without early exits.
function unpadPkcs1(padded: Buffer, expectedLength: number): Buffer | undefined {
	let good = (padded[0] === 0 ? 1 : 0) & (padded[1] === 2 ? 1 : 0);
	let separator = 0;
	for (let i = 2; i < padded.length; i++) {
		const isZero = padded[i] === 0 ? 1 : 0;
		const first = isZero & (separator === 0 ? 1 : 0);
		separator = first ? i : separator;
	}
	good &= separator >= 10 ? 1 : 0;
	good &= padded.length - separator - 1 === expectedLength ? 1 : 0;
	return good ? padded.subarray(separator + 1) : undefined;
}

// The implicit-rejection key: HMAC keyed by a hash of the private key over the ciphertext, so it is the same
// for the same ciphertext (no timing or retry distinguisher) and unknowable without the key.
function syntheticKey(wrapped: Buffer, privateKey: KeyObject, length: number): Buffer {
	const secret = createHash('sha256')
		.update(String(privateKey.export({ format: 'jwk' }).d))
		.digest();
	const out: Buffer[] = [];
	for (let counter = 0; out.length * 32 < length; counter++)
		out.push(createHmac('sha256', secret).update(wrapped).update(String(counter)).digest());
	return Buffer.concat(out).subarray(0, length);
}
