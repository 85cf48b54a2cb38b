/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- the sandbox is dev-only tooling, not n8n node code */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** An error that becomes a JSON `{"message"}` response with the given status (the API's error shape). */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly extra: Record<string, unknown> = {},
		readonly headers: Record<string, string> = {},
	) {
		super(message);
	}
}

export function sendJson(
	res: ServerResponse,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'Content-Type': 'application/json; charset=utf-8',
		'Content-Length': Buffer.byteLength(text),
		...headers,
	});
	res.end(text);
}

export function sendError(res: ServerResponse, error: ApiError): void {
	sendJson(res, error.status, { message: error.message, ...error.extra }, error.headers);
}

/** Reads the whole body into memory, refusing more than `limit` bytes with 413. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
	const declared = Number(req.headers['content-length'] ?? 0);
	if (declared > limit) throw tooLarge(limit);
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > limit) throw tooLarge(limit);
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks);
}

export function tooLarge(limit: number): ApiError {
	return new ApiError(413, `Request payload too large: the limit is ${limit} bytes`);
}

/** Parses a JSON object body; malformed JSON or a non-object is a 400 with a readable message. */
export async function readJson(
	req: IncomingMessage,
	limit = 1024 * 1024,
): Promise<Record<string, unknown>> {
	const raw = await readBody(req, limit);
	if (raw.length === 0) return {};
	let parsed: unknown;
	try {
		parsed = JSON.parse(raw.toString('utf8'));
	} catch {
		throw new ApiError(400, 'Malformed JSON in request body');
	}
	if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
		throw new ApiError(400, 'Request body must be a JSON object');
	}
	return parsed as Record<string, unknown>;
}

export function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

/** A header as text: RFC 2047 encoded-words (`=?UTF-8?B?…?=`, `=?UTF-8?Q?…?=`) are decoded, as MIME readers do. */
export function headerText(req: IncomingMessage, name: string): string | undefined {
	const value = header(req, name);
	if (value === undefined) return undefined;
	return value
		.replace(/\?=\s+=\?/g, '?==?')
		.replace(
			/=\?([\w-]+)\?([BQbq])\?([^?]*)\?=/g,
			(word, charset: string, encoding: string, text: string) => {
				if (!/^utf-?8$/i.test(charset) && !/^(iso-8859-1|latin1|us-ascii)$/i.test(charset))
					return word;
				const bytes =
					encoding.toUpperCase() === 'B'
						? Buffer.from(text, 'base64')
						: Buffer.from(
								text
									.replace(/_/g, ' ')
									.replace(/=([0-9A-F]{2})/gi, (_, hex: string) =>
										String.fromCharCode(parseInt(hex, 16)),
									),
								'latin1',
							);
				return bytes.toString(/^utf-?8$/i.test(charset) ? 'utf8' : 'latin1');
			},
		);
}

/** Boolean query flag: absent → default; `true`/`false` (any case) otherwise 400. */
export function queryBoolean(query: URLSearchParams, name: string, fallback: boolean): boolean {
	const value = query.get(name);
	if (value === null || value === '') return fallback;
	if (/^true$/i.test(value)) return true;
	if (/^false$/i.test(value)) return false;
	throw new ApiError(400, `Invalid value for ${name}: expected true or false`);
}

/** Integer query value within [min, max]; absent → default; anything else 400. */
export function queryInteger(
	query: URLSearchParams,
	name: string,
	fallback: number,
	min: number,
	max: number,
): number {
	const value = query.get(name);
	if (value === null || value === '') return fallback;
	if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
		throw new ApiError(
			400,
			`Invalid value for ${name}: expected an integer between ${min} and ${max === Number.MAX_SAFE_INTEGER ? 'any' : max}`,
		);
	}
	return Number(value);
}
