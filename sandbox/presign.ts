import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Pre-signed URLs in the shape of S3's query-string auth (X-Amz-*), signed with the sandbox's key.
 * The file host is a separate listener, so the URLs point at another origin than the API, as on AWS.
 */
export interface PresignedFile {
	key: string;
	contentType: string;
	fileName: string;
}

export type PresignCheck =
	| { ok: true; file: PresignedFile }
	| { ok: false; status: 403 | 400; code: string; message: string };

const amzDate = (ms: number) =>
	new Date(ms)
		.toISOString()
		.replace(/[-:]/g, '')
		.replace(/\.\d{3}/, '');

function parseAmzDate(value: string): number {
	const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(value);
	return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : NaN;
}

export class Presigner {
	constructor(private readonly key: string) {}

	sign(baseUrl: string, file: PresignedFile, ttlSeconds: number, now = Date.now()): string {
		const path = '/' + file.key.split('/').map(encodeURIComponent).join('/');
		const query = new URLSearchParams({
			'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
			'X-Amz-Credential': `SANDBOXKEY/${amzDate(now).slice(0, 8)}/us-east-1/s3/aws4_request`,
			'X-Amz-Date': amzDate(now),
			'X-Amz-Expires': String(ttlSeconds),
			'X-Amz-SignedHeaders': 'host',
			'response-content-type': file.contentType,
			'response-content-disposition': `attachment; filename="${file.fileName.replace(/["\\]/g, '_')}"`,
		});
		query.set('X-Amz-Signature', this.mac(path, query));
		return `${baseUrl}${path}?${query.toString()}`;
	}

	/** Checks a request for a pre-signed file; refuses it the way S3 does. */
	check(
		rawPath: string,
		query: URLSearchParams,
		hasAuthorizationHeader: boolean,
		now = Date.now(),
	): PresignCheck {
		if (hasAuthorizationHeader) {
			return {
				ok: false,
				status: 403,
				code: 'AccessDenied',
				message:
					'Only one auth mechanism allowed; only the X-Amz-Algorithm query parameter or the Authorization header should be specified',
			};
		}
		const signature = query.get('X-Amz-Signature') ?? '';
		const unsigned = new URLSearchParams(query);
		unsigned.delete('X-Amz-Signature');
		const expected = Buffer.from(this.mac(rawPath, unsigned));
		if (
			expected.length !== signature.length ||
			!timingSafeEqual(expected, Buffer.from(signature))
		) {
			return {
				ok: false,
				status: 403,
				code: 'SignatureDoesNotMatch',
				message: 'The request signature we calculated does not match the signature you provided.',
			};
		}
		const issued = parseAmzDate(query.get('X-Amz-Date') ?? '');
		const ttl = Number(query.get('X-Amz-Expires'));
		if (!(issued + ttl * 1000 > now)) {
			return { ok: false, status: 403, code: 'AccessDenied', message: 'Request has expired' };
		}
		const disposition = query.get('response-content-disposition') ?? '';
		return {
			ok: true,
			file: {
				key: rawPath.slice(1).split('/').map(decodeURIComponent).join('/'),
				contentType: query.get('response-content-type') ?? 'application/octet-stream',
				fileName: /filename="(.*)"/.exec(disposition)?.[1] ?? 'download',
			},
		};
	}

	private mac(path: string, query: URLSearchParams): string {
		const canonical = [...query.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
		return createHmac('sha256', this.key)
			.update(path + '\n' + canonical.map(([k, v]) => `${k}=${v}`).join('&'))
			.digest('hex');
	}
}

export function s3ErrorXml(code: string, message: string): string {
	return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><RequestId>SANDBOX</RequestId></Error>`;
}
