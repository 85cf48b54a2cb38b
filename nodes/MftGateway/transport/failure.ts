import { cutForScan, redact } from './redact';

/** Starts every login failure message, so the request path can tell it from an API error (and not retry it). */
export const LOGIN_FAILED = 'Login failed: ';

/** What went wrong with one HTTP call, read from an axios error or an n8n error wrapping one. */
export interface HttpFailure {
	/** HTTP status, or 0 when there was no answer (network error, timeout). */
	status: number;
	/** Network error code such as ECONNREFUSED, when there was no answer. */
	code?: string;
	/** The API's `message`, or readable text from an HTML/plain body; redacted. */
	apiMessage?: string;
	/** Milliseconds from a Retry-After header (seconds or HTTP date). */
	retryAfterMs?: number;
	/** The credential could not log in; `apiMessage` says why and what to change. */
	login?: boolean;
	/** Where a 3xx answer pointed. */
	location?: string;
}

interface ErrorLike {
	code?: string;
	description?: string | null;
	context?: { data?: unknown };
	message?: string;
	cause?: unknown;
	httpCode?: string | null;
	response?: { status?: number; data?: unknown; headers?: Record<string, unknown> };
}

const NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
];

/**
 * Network failures in words. The code itself stays out of messages: n8n replaces any error message that
 * contains one (ECONNRESET, …) with a generic text of its own.
 */
const NETWORK_WORDS: Record<string, string> = {
	ECONNRESET: 'the connection was closed before an answer came',
	ECONNREFUSED: 'the connection was refused',
	ECONNABORTED: 'the request timed out',
	ETIMEDOUT: 'the request timed out',
	ESOCKETTIMEDOUT: 'the request timed out',
	ERR_SOCKET_CONNECTION_TIMEOUT: 'the connection timed out',
	EPIPE: 'the connection broke while sending',
	ENOTFOUND: 'the host name was not found',
	EAI_AGAIN: 'the host name could not be resolved',
	ENETUNREACH: 'the network is unreachable',
	EHOSTUNREACH: 'the host is unreachable',
};

export function networkProblem(code: string | undefined): string {
	return (code && NETWORK_WORDS[code]) ?? 'no answer came';
}

function findResponseError(error: unknown): ErrorLike {
	let current = error as ErrorLike | undefined;
	for (let depth = 0; current && depth < 5; depth++) {
		if (current.response || (current.code && NETWORK_CODES.includes(current.code))) return current;
		current = current.cause as ErrorLike | undefined;
	}
	return (error ?? {}) as ErrorLike;
}

/**
 * How much of a non-JSON error body is read. The patterns below cost more than the text is long when tags
 * are left open (320 kB of `<script` took 6.8 s with the event loop blocked); the headline of an error
 * page is near its start.
 */
export const ERROR_PAGE_CHARS = 4096;

function bodyText(data: unknown): string | undefined {
	if (data === undefined || data === null || data === '') return undefined;
	if (typeof (data as { pipe?: unknown }).pipe === 'function') return undefined; // an unread stream
	if (typeof data === 'object' && !Buffer.isBuffer(data)) {
		const { message, errors } = data as { message?: unknown; errors?: unknown };
		if (typeof message !== 'string' || !message)
			return cutForScan(JSON.stringify(data), ERROR_PAGE_CHARS);
		// Validation errors: [{"as2Identifier": "Station already exists …"}, …] say which field to fix.
		const details = Array.isArray(errors)
			? errors.flatMap((e) =>
					e && typeof e === 'object'
						? Object.entries(e).map(([field, why]) => `${field}: ${String(why)}`)
						: [],
				)
			: [];
		return details.length ? `${message.replace(/\.?$/, '')} (${details.join('; ')})` : message;
	}
	const whole = Buffer.isBuffer(data) ? data.toString('utf8') : String(data);
	try {
		const parsed = JSON.parse(whole) as unknown;
		if (parsed && typeof parsed === 'object') return bodyText(parsed);
	} catch {
		// not JSON: an HTML page from a proxy, an S3 XML error, plain text
	}
	const text = cutForScan(whole, ERROR_PAGE_CHARS);
	const headline =
		/<Message>([^<]*)<\/Message>/.exec(text)?.[1] ??
		/<h1[^>]*>([^<]*)<\/h1>/i.exec(text)?.[1] ??
		/<title[^>]*>([^<]*)<\/title>/i.exec(text)?.[1];
	const readable = (
		headline ?? text.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')
	)
		.replace(/\s+/g, ' ')
		.trim();
	// Shortened for display only after redaction (errors.ts), never here.
	return readable || undefined;
}

function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const text = String(value).trim();
	if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
	const at = Date.parse(text);
	return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

export function readFailure(error: unknown): HttpFailure {
	const text = (error as ErrorLike | undefined)?.message ?? '';
	if (text.startsWith(LOGIN_FAILED)) return { status: 0, login: true, apiMessage: redact(text) };
	const source = findResponseError(error);
	const response = source.response;
	if (response?.status) {
		const headers = response.headers ?? {};
		const location = headers.location ?? headers.Location;
		return {
			status: response.status,
			apiMessage: redact(bodyText(response.data) ?? ''),
			retryAfterMs: parseRetryAfter(headers['retry-after'] ?? headers['Retry-After']),
			...(typeof location === 'string' ? { location: redact(location) } : {}),
		};
	}
	// n8n's NodeApiError keeps only the status (or network code) in httpCode and the parsed body in context.data.
	const wrapped = error as ErrorLike;
	if (typeof wrapped?.httpCode === 'string' && /^\d{3}$/.test(wrapped.httpCode)) {
		return {
			status: Number(wrapped.httpCode),
			apiMessage: redact(bodyText(wrapped.context?.data) ?? wrapped.description ?? ''),
		};
	}
	if (typeof wrapped?.httpCode === 'string' && /^E[A-Z_]+$/.test(wrapped.httpCode))
		return { status: 0, code: wrapped.httpCode };
	const httpCode = Number(wrapped?.httpCode);
	const code =
		source.code && NETWORK_CODES.includes(source.code)
			? source.code
			: /timeout/i.test(source.message ?? '')
				? 'ETIMEDOUT'
				: /socket hang up|aborted/i.test(source.message ?? '')
					? 'ECONNRESET'
					: undefined;
	if (code) return { status: 0, code };
	return {
		status: Number.isInteger(httpCode) && httpCode >= 400 ? httpCode : 0,
		apiMessage: redact((error as ErrorLike)?.message ?? 'Unknown error'),
	};
}
