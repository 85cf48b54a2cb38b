import type { DigestName } from '../../nodes/MftGateway/as2/cms';
import { certificatesFrom, type Certificate } from '../../nodes/MftGateway/as2/x509';
import { makeCertificate } from '../../sandbox/as2/certificate';
import { CONTENT_CIPHERS, type ContentCipher } from '../../sandbox/as2/envelope';
import { openssl, workDir } from '../as2/openssl';

/** One side of an interop test: a key pair made by us, also written to files for openssl. */
export interface PeerKeys {
	keyPem: string;
	certPem: string;
	certificate: Certificate;
	keyFile: string;
	certFile: string;
}

/** The interop matrix: no signature or each digest, no encryption or each cipher. */
export const SIGNS: Array<DigestName | undefined> = [
	undefined,
	'sha1',
	'sha256',
	'sha384',
	'sha512',
];
export const CIPHERS: Array<ContentCipher | undefined> = [
	undefined,
	...(Object.keys(CONTENT_CIPHERS) as ContentCipher[]),
];
export const matrixLabel = (sign?: string, cipher?: string) =>
	`sign ${sign ?? 'none'} × encrypt ${cipher ?? 'none'}`;

/** openssl's name for each content cipher the sandbox speaks. */
export const OPENSSL_CIPHER: Record<ContentCipher, string> = {
	DES_EDE3_CBC: '-des3',
	AES128_CBC: '-aes128',
	AES192_CBC: '-aes192',
	AES256_CBC: '-aes256',
};

/** A scratch folder, and `openssl cms` as the independent AS2 peer (its errors fail the test with its message). */
export function interopDir() {
	const dir = workDir();
	const run = (args: string[]): Buffer => {
		const result = openssl(args);
		if (!result.ok) throw new Error(`openssl ${args.join(' ')} failed: ${result.err}`);
		return result.out;
	};
	return {
		...dir,
		run,
		keys(name: string): PeerKeys {
			const made = makeCertificate({ commonName: name, organization: 'Interop' });
			return {
				keyPem: made.keyPem,
				certPem: made.certPem,
				certificate: certificatesFrom(made.certPem)[0],
				keyFile: dir.write(`${name}.key`, made.keyPem),
				certFile: dir.write(`${name}.pem`, made.certPem),
			};
		},
		/** multipart/signed S/MIME (detached), `-binary`: the entity is signed byte for byte. */
		sign: (entity: Buffer, signer: PeerKeys, digest: string, binary = true): Buffer =>
			run([
				'cms',
				'-sign',
				...(binary ? ['-binary'] : []),
				'-md',
				digest,
				'-outform',
				'SMIME',
				'-in',
				dir.write('to-sign.mime', entity),
				'-signer',
				signer.certFile,
				'-inkey',
				signer.keyFile,
			]),
		encrypt: (
			content: Buffer,
			recipientCertFile: string,
			cipher: ContentCipher,
			outform: 'SMIME' | 'DER',
			extra: string[] = [],
		): Buffer =>
			run([
				'cms',
				'-encrypt',
				'-binary',
				OPENSSL_CIPHER[cipher],
				'-outform',
				outform,
				'-in',
				dir.write('to-encrypt.bin', content),
				'-recip',
				recipientCertFile,
				// -keyopt applies to the -recip before it.
				...extra,
			]),
		decrypt: (input: Buffer, recipient: PeerKeys, inform: 'SMIME' | 'DER'): Buffer =>
			run([
				'cms',
				'-decrypt',
				'-binary',
				'-inform',
				inform,
				'-in',
				dir.write('to-decrypt.bin', input),
				'-recip',
				recipient.certFile,
				'-inkey',
				recipient.keyFile,
			]),
		/**
		 * Checks a multipart/signed entity's signature against `certFile` and returns the signed part. Without
		 * -binary: openssl 3.0 keeps the CR before the boundary when it reads binary S/MIME.
		 */
		verify: (smime: Buffer, certFile: string): Buffer =>
			run([
				'cms',
				'-verify',
				'-inform',
				'SMIME',
				'-noverify',
				'-in',
				dir.write('to-verify.mime', smime),
				'-certfile',
				certFile,
			]),
	};
}
