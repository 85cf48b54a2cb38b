/**
 * MIME entities as AS2 software writes them (RFC 2045/2046/2231, RFC 1847), byte-exact.
 *
 * API: `parseEntity(bytes)` → {@link MimeEntity} (headers unfolded, any case, CRLF or LF-only; `raw` is the
 * entity's exact bytes, which is what a multipart/signed signature and the MIC cover); `parts(entity)` splits
 * a multipart body by its boundary, each part keeping its exact bytes; `decodeBody(entity)` undoes the
 * transfer encoding (base64, quoted-printable, 7bit, 8bit, binary); `bodyText(entity)` also decodes the
 * charset (UTF-8, ISO-8859-1, US-ASCII, windows-1252); `parseHeaderValue` splits `value; a=b; c*=…`.
 */

export interface HeaderValue {
	/** The value before the first `;`, trimmed (lower-cased for Content-Type by `mediaType`). */
	value: string;
	/** Parameters by lower-case name; RFC 2231 continuations and charsets decoded. */
	params: Record<string, string>;
}

export interface MimeEntity {
	/** Unfolded header values by lower-case name (first occurrence wins). */
	headers: Map<string, string>;
	/** The exact bytes of the entity: headers, blank line and body. */
	raw: Buffer;
	/** The body as it is on the wire (still transfer-encoded). */
	body: Buffer;
	/** The lower-case media type (`text/plain` when there is no Content-Type). */
	mediaType: string;
	contentType: HeaderValue;
}

export class MimeError extends Error {}

const HEADER_LINE = /^[!-9;-~]+[ \t]*:/;

/** Where the header block ends: the index of the blank line and where the body starts. */
function headerEnd(text: string): { end: number; bodyStart: number } | undefined {
	const m = /\r?\n\r?\n/.exec(text);
	if (!m) return undefined;
	return { end: m.index, bodyStart: m.index + m[0].length };
}

export function parseHeaders(block: string): Map<string, string> {
	const headers = new Map<string, string>();
	// Unfold continuation lines (RFC 5322 §2.2.3), then split "Name: value".
	for (const line of block.replace(/\r?\n(?=[ \t])/g, '').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon).trim().toLowerCase();
		if (!headers.has(name)) headers.set(name, line.slice(colon + 1).trim());
	}
	return headers;
}

/** Splits a header value into its main value and parameters (quoted, unquoted, RFC 2231 `name*`, `name*0*`). */
export function parseHeaderValue(header: string | undefined): HeaderValue {
	const text = header ?? '';
	const params: Record<string, string> = {};
	const pieces: Record<string, Array<{ index: number; value: string; encoded: boolean }>> = {};
	const re = /;\s*([^=;\s]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	const first = text.indexOf(';');
	const value = (first >= 0 ? text.slice(0, first) : text).trim();
	let m: RegExpExecArray | null;
	while ((m = re.exec(text))) {
		const rawName = m[1].toLowerCase();
		const val = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : m[3].trim();
		const split = /^([^*]+)(?:\*(\d+))?(\*)?$/.exec(rawName);
		if (!split) continue;
		const [, name, index, star] = split;
		if (index === undefined && !star) {
			if (!(name in params)) params[name] = val;
			continue;
		}
		(pieces[name] ??= []).push({ index: Number(index ?? 0), value: val, encoded: !!star });
	}
	for (const [name, list] of Object.entries(pieces)) {
		list.sort((a, b) => a.index - b.index);
		let charset = 'utf-8';
		const bytes: Buffer[] = [];
		for (const [k, piece] of list.entries()) {
			let v = piece.value;
			if (piece.encoded && k === 0) {
				// charset'language'value
				const parts = /^([^']*)'[^']*'(.*)$/.exec(v);
				if (parts) {
					charset = parts[1] || charset;
					v = parts[2];
				}
			}
			bytes.push(
				piece.encoded
					? Buffer.from(
							v.replace(/%([0-9a-f]{2})/gi, (_, hex: string) =>
								String.fromCharCode(parseInt(hex, 16)),
							),
							'latin1',
						)
					: Buffer.from(v, 'latin1'),
			);
		}
		params[name] = decodeCharset(Buffer.concat(bytes), charset);
	}
	return { value, params };
}

/**
 * Parses one entity. Without a header block (the text does not start with a header line) the whole input is
 * the body, as some stores keep only the body of an MDN.
 */
export function parseEntity(raw: Buffer): MimeEntity {
	let bytes = raw;
	// A UTF-8 byte-order mark before the headers is not part of the entity.
	if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
	const text = bytes.toString('latin1');
	let headers = new Map<string, string>();
	let body = bytes;
	if (/^\r?\n/.test(text)) body = bytes.subarray(/^\r?\n/.exec(text)![0].length);
	else if (HEADER_LINE.test(text)) {
		const split = headerEnd(text);
		headers = parseHeaders(split ? text.slice(0, split.end) : text);
		body = split ? bytes.subarray(split.bodyStart) : Buffer.alloc(0);
	}
	const contentType = parseHeaderValue(headers.get('content-type'));
	return {
		headers,
		raw: bytes,
		body,
		mediaType: (contentType.value || 'text/plain').toLowerCase(),
		contentType,
	};
}

/** The boundary of a multipart entity, or the first `--boundary` line of a body that lost its headers. */
function boundaryOf(entity: MimeEntity): string | undefined {
	const declared = entity.contentType.params.boundary;
	if (declared) return declared;
	return /^--([^\r\n]*?)[ \t]*\r?$/m.exec(entity.body.toString('latin1'))?.[1];
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The parts of a multipart entity, each with its exact bytes: the CRLF (or LF) before a delimiter line
 * belongs to the delimiter (RFC 2046 §5.1.1), so it is not part of the part before it.
 */
export function parts(entity: MimeEntity): MimeEntity[] {
	return splitMultipart(entity).parts;
}

/** The parts, and whether the closing `--boundary--` line was there (a cut-off body has none). */
export function splitMultipart(entity: MimeEntity): { parts: MimeEntity[]; complete: boolean } {
	const boundary = boundaryOf(entity);
	if (!boundary) throw new MimeError(`The ${entity.mediaType} entity has no boundary`);
	const text = entity.body.toString('latin1');
	const delimiter = new RegExp(
		`(?:^|\\r?\\n)--${escapeRegExp(boundary)}(--)?[ \\t]*(?:\\r?\\n|$)`,
		'g',
	);
	const found: Array<{ start: number; end: number; close: boolean }> = [];
	let m: RegExpExecArray | null;
	while ((m = delimiter.exec(text))) {
		found.push({ start: m.index, end: m.index + m[0].length, close: !!m[1] });
		if (m[1]) break;
		// The line end that closed this delimiter may open the next one (an empty part).
		if (m[0].endsWith('\n'))
			delimiter.lastIndex = m.index + m[0].length - (m[0].endsWith('\r\n') ? 2 : 1);
	}
	if (!found.length) throw new MimeError(`No "--${boundary}" delimiter in the multipart body`);
	const result: MimeEntity[] = [];
	for (let k = 0; k + 1 < found.length; k++) {
		const from = found[k].end;
		const to = found[k + 1].start;
		if (found[k].close) break;
		result.push(parseEntity(entity.body.subarray(from, Math.max(from, to))));
	}
	// A body cut off before its next delimiter still yields the part it has.
	const last = found[found.length - 1];
	if (!last.close && last.end < text.length)
		result.push(parseEntity(entity.body.subarray(last.end)));
	return { parts: result, complete: last.close };
}

function decodeQuotedPrintable(body: Buffer): Buffer {
	const text = body
		.toString('latin1')
		.replace(/[ \t]+(?=\r?\n)/g, '')
		.replace(/=\r?\n/g, '');
	const out: number[] = [];
	for (let k = 0; k < text.length; k++) {
		const hex = text[k] === '=' ? text.slice(k + 1, k + 3) : '';
		if (/^[0-9A-Fa-f]{2}$/.test(hex)) {
			out.push(parseInt(hex, 16));
			k += 2;
		} else out.push(text.charCodeAt(k) & 0xff);
	}
	return Buffer.from(out);
}

/** The body with its Content-Transfer-Encoding undone. */
export function decodeBody(entity: MimeEntity): Buffer {
	const encoding = (entity.headers.get('content-transfer-encoding') ?? '7bit').trim().toLowerCase();
	if (encoding === 'base64')
		return Buffer.from(entity.body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
	if (encoding === 'quoted-printable') return decodeQuotedPrintable(entity.body);
	return entity.body;
}

// windows-1252 differs from ISO-8859-1 in 0x80–0x9F (undefined positions stay as the C1 control).
const WINDOWS_1252 = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

/** Text from bytes in a MIME charset; unknown charsets are read as UTF-8 (or Latin-1 when not valid UTF-8). */
export function decodeCharset(bytes: Buffer, charset: string | undefined): string {
	const name = (charset ?? 'us-ascii').trim().toLowerCase().replace(/^"|"$/g, '');
	if (/^(iso[-_]?8859-1|latin-?1|l1|iso_8859-1:1987|cp819|ibm819)$/.test(name))
		return bytes.toString('latin1');
	if (/^(windows-1252|cp1252|x-cp1252)$/.test(name))
		return Array.from(bytes, (b) =>
			b >= 0x80 && b <= 0x9f ? WINDOWS_1252[b - 0x80] : String.fromCharCode(b),
		).join('');
	const utf8 = bytes.toString('utf8');
	// US-ASCII (or an unknown charset) with 8-bit bytes: UTF-8 when it decodes cleanly, Latin-1 otherwise.
	if (name !== 'utf-8' && name !== 'utf8' && utf8.includes('\ufffd'))
		return bytes.toString('latin1');
	return utf8;
}

/** The decoded text of a text entity, in its declared charset. */
export function bodyText(entity: MimeEntity): string {
	return decodeCharset(decodeBody(entity), entity.contentType.params.charset);
}
