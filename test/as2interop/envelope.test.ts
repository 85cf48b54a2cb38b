import { readDer } from '../../nodes/MftGateway/as2/der';
import { compress, decompress } from '../../sandbox/as2/compress';
import {
	CONTENT_CIPHERS,
	type ContentCipher,
	decryptEnveloped,
	encryptEnveloped,
} from '../../sandbox/as2/envelope';
import { As2Failure } from '../../sandbox/as2/failure';
import { describeWithOpenssl } from '../as2/openssl';
import { interopDir } from './peer';

const OAEP = ['-keyopt', 'rsa_padding_mode:oaep'];

describeWithOpenssl('CMS EnvelopedData against openssl cms', () => {
	const peer = interopDir();
	const ours = peer.keys('ours');
	const theirs = peer.keys('theirs');
	const content = Buffer.from('ISA*00*          *00*interop~\r\n\u00e9\u0000binary', 'utf8');
	const decrypt = (encrypted: Buffer) =>
		decryptEnveloped(encrypted, ours.keyPem, ours.certificate).equals(content);
	afterAll(() => peer.cleanup());

	for (const cipher of Object.keys(CONTENT_CIPHERS) as ContentCipher[]) {
		for (const transport of ['rsa', 'oaep'] as const) {
			it(`${cipher} / ${transport}: we encrypt, openssl decrypts`, () => {
				const encrypted = encryptEnveloped(content, theirs.certificate, cipher, transport);
				expect(peer.decrypt(encrypted, theirs, 'DER').equals(content)).toBe(true);
			});

			it(`${cipher} / ${transport}: openssl encrypts, we decrypt`, () => {
				const options = transport === 'oaep' ? OAEP : [];
				expect(decrypt(peer.encrypt(content, ours.certFile, cipher, 'DER', options))).toBe(true);
			});
		}
	}

	it('OAEP with SHA-256 from openssl', () => {
		const options = [...OAEP, '-keyopt', 'rsa_oaep_md:sha256'];
		expect(decrypt(peer.encrypt(content, ours.certFile, 'AES256_CBC', 'DER', options))).toBe(true);
	});

	it('BER indefinite lengths from openssl -stream', () => {
		const encrypted = peer.encrypt(content, ours.certFile, 'AES128_CBC', 'DER', ['-stream']);
		expect(readDer(encrypted).indefinite).toBe(true);
		expect(decrypt(encrypted)).toBe(true);
	});

	it('a message for another key fails as decryption-failed (implicit rejection, no padding oracle)', () => {
		const encrypted = encryptEnveloped(content, theirs.certificate, 'AES256_CBC');
		const attempt = () => decryptEnveloped(encrypted, ours.keyPem, ours.certificate);
		expect(attempt).toThrow(As2Failure);
		expect(attempt).toThrow(/could not be decrypted/);
	});

	it('CompressedData round-trips and refuses a zip bomb', () => {
		const big = Buffer.alloc(1_000_000, 'a');
		expect(decompress(compress(big), 2_000_000).equals(big)).toBe(true);
		expect(() => decompress(compress(big), 10_000)).toThrow(As2Failure);
	});
});
