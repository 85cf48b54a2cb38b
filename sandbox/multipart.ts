import { ApiError } from './http';

export interface MultipartPart {
	fieldName: string;
	fileName?: string;
	contentType: string;
	data: Buffer;
}

/**
 * A header parameter. A quoted `filename` is read as browsers write it (WHATWG HTML): UTF-8 bytes, with
 * `"` CR LF as %22 %0D %0A, and a backslash is a character, not an escape. `filename*` is ignored, as
 * RFC 7578 §4.2 says it must not be used in multipart/form-data (a name sent only there is lost).
 */
function headerParam(value: string, name: string): string | undefined {
	if (name === 'filename') {
		const browser = /(?:^|;)\s*filename="([^"]*)"/i.exec(value);
		if (browser)
			return browser[1].replace(/%(22|0D|0A)/gi, (_, hex: string) =>
				String.fromCharCode(parseInt(hex, 16)),
			);
	}
	const match = new RegExp(`(?:^|;)\\s*${name}=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;]*))`, 'i').exec(
		value,
	);
	if (!match) return undefined;
	return match[1] !== undefined ? match[1].replace(/\\(.)/g, '$1') : match[2].trim();
}

/** Parses a buffered multipart/form-data body (RFC 7578). Malformed input is a 400. */
export function parseMultipart(body: Buffer, contentType: string): MultipartPart[] {
	const boundary = headerParam(contentType, 'boundary');
	if (!boundary)
		throw new ApiError(400, 'Malformed multipart body: the Content-Type has no boundary');
	const delimiter = Buffer.from(`--${boundary}`);
	const parts: MultipartPart[] = [];
	let pos = body.indexOf(delimiter);
	if (pos < 0) throw new ApiError(400, 'Malformed multipart body: boundary not found');
	for (;;) {
		pos += delimiter.length;
		if (body.subarray(pos, pos + 2).toString() === '--') break;
		if (body.subarray(pos, pos + 2).toString() !== '\r\n')
			throw new ApiError(400, 'Malformed multipart body');
		pos += 2;
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0)
			throw new ApiError(400, 'Malformed multipart body: part headers not terminated');
		const headers = new Map<string, string>();
		for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
			const colon = line.indexOf(':');
			if (colon > 0)
				headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
		}
		const next = body.indexOf(Buffer.concat([Buffer.from('\r\n'), delimiter]), headerEnd + 4);
		if (next < 0) throw new ApiError(400, 'Malformed multipart body: closing boundary not found');
		const disposition = headers.get('content-disposition') ?? '';
		parts.push({
			fieldName: headerParam(disposition, 'name') ?? '',
			fileName: headerParam(disposition, 'filename'),
			contentType: headers.get('content-type') ?? 'application/octet-stream',
			data: body.subarray(headerEnd + 4, next),
		});
		pos = next + 2;
	}
	return parts;
}
