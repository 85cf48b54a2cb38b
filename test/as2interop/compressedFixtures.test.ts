/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not n8n node code */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { computeMic } from '../../nodes/MftGateway/as2/cms';
import { parseEntity } from '../../nodes/MftGateway/as2/mime';
import { certificatesFrom } from '../../nodes/MftGateway/as2/x509';
import { compress, decompress } from '../../sandbox/as2/compress';
import { unwrapAs2Message } from '../../sandbox/as2/message';

/**
 * Compression against data we did not write: Debian's openssl has no zlib, so the fixtures were made once by
 * Python's zlib and DER (and openssl for the signing and encryption around it); see fixtures/make-fixtures.sh.
 */
const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name));
const content = fixture('compressed-content.mime');

test('CompressedData from another implementation, DER and BER indefinite lengths, decompresses', () => {
	expect(decompress(fixture('compressed-definite.der'), 1 << 20).equals(content)).toBe(true);
	expect(decompress(fixture('compressed-indefinite.ber'), 1 << 20).equals(content)).toBe(true);
	// And ours is the same structure: Python's DER equals ours up to the deflate bytes.
	expect(decompress(compress(content), 1 << 20).equals(content)).toBe(true);
});

test('an AS2 message compressed (Python), then signed and encrypted (openssl) unwraps with its MIC', () => {
	const message = parseEntity(fixture('message-compressed-signed-encrypted.smime'));
	const station = certificatesFrom(fixture('station.pem'))[0];
	const unwrapped = unwrapAs2Message(
		Object.fromEntries(message.headers),
		message.body,
		{
			keyPem: fixture('station.key').toString(),
			certificate: station,
			partnerCertificate: certificatesFrom(fixture('partner.pem'))[0],
		},
		{ micDigest: 'sha256', maxSize: 1 << 20 },
	);
	expect(unwrapped).toMatchObject({ encrypted: true, signed: true, compressed: true });
	expect(unwrapped.files).toHaveLength(1);
	expect(unwrapped.files[0].name).toBe('payload.edi');
	expect(unwrapped.files[0].content.equals(fixture('payload.edi'))).toBe(true);
	// The MIC covers the signed entity: the compressed-data entity Python wrote.
	expect(unwrapped.mic).toBe(computeMic(fixture('compressed-entity.mime'), 'sha256'));
});
