/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is dev-only tooling, not n8n node code */
import { deflateSync, inflateSync } from 'node:zlib';

import { child, der, OID, octetsOf, oidName, oidOf, readDer } from '../../nodes/MftGateway/as2/der';
import { As2Failure, failingAs } from './failure';

/** CMS CompressedData with zlib (RFC 3274), as a DER ContentInfo. */
export function compress(content: Buffer): Buffer {
	return der.seq(
		der.oid(OID.compressedData),
		der.explicit(
			0,
			der.seq(
				der.int(0),
				der.seq(der.oid(OID.zlibCompress)),
				der.seq(der.oid(OID.data), der.explicit(0, der.octets(deflateSync(content)))),
			),
		),
	);
}

/** The content of a CMS CompressedData; more than `maxOutput` bytes is refused (a zip bomb stays small). */
export function decompress(contentInfo: Buffer, maxOutput: number): Buffer {
	return failingAs('error: decompression-failed', 'The compressed data is unreadable', () => {
		const info = readDer(contentInfo);
		if (oidOf(child(info, 0, 'content type')) !== OID.compressedData)
			throw new Error('the content is not CMS CompressedData');
		const compressed = child(child(info, 1, 'content'), 0, 'CompressedData');
		const algorithm = oidOf(child(child(compressed, 1, 'compressionAlgorithm'), 0, 'algorithm'));
		if (algorithm !== OID.zlibCompress)
			throw new As2Failure(
				'error: decompression-failed',
				`Unsupported compression ${oidName(algorithm) ?? algorithm}; the sandbox supports zlib`,
			);
		const encapsulated = child(compressed, 2, 'encapContentInfo');
		const data = octetsOf(child(child(encapsulated, 1, 'eContent'), 0, 'OCTET STRING'));
		return inflateSync(data, { maxOutputLength: maxOutput });
	});
}
