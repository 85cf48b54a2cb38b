import type { IDataObject } from 'n8n-workflow';

import { type HttpFailure, LOGIN_FAILED, networkProblem } from './failure';
import { clip, redact } from './redact';

export const DEFAULT_BASE_URL = 'https://api.mftgateway.com';

/**
 * The cheap authenticated read that checks a token (or the credential): one queued message id at most.
 * Used before logging in again for a token that has not expired, to renew a session before an upload,
 * and as the credential test.
 */
export const TOKEN_CHECK = {
	method: 'GET' as const,
	url: '/message/outbox/queued',
	qs: { service: 'as2', pageLength: 1 },
};

function parseUrl(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** Trims the Base URL and drops trailing slashes; refuses what is not an http(s) URL. */
export function normaliseBaseUrl(value: unknown): string {
	const text =
		String(value ?? '')
			.trim()
			.replace(/\/+$/, '') || DEFAULT_BASE_URL;
	const url = parseUrl(text);
	if (!url)
		throw new Error(
			`The Base URL "${text}" is not a URL. Use ${DEFAULT_BASE_URL}, or the sandbox URL.`,
		);
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new Error(`The Base URL must start with https:// (got "${text}")`);
	}
	return text;
}

/** The values of a credential that must never be shown: redacted by value wherever an error is made. */
export function credentialSecrets(credentials: IDataObject): string[] {
	return ['password', 'tokenSecret', 'sessionToken', 'refreshToken']
		.map((key) => credentials[key])
		.filter((value): value is string => typeof value === 'string' && value !== '');
}

/** Seconds left in a JWT, or undefined when it is not a JWT. */
function jwtSecondsLeft(token: string): number | undefined {
	const payload = token.split('.')[1];
	if (!payload) return undefined;
	try {
		const exp = (
			JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { exp?: unknown }
		).exp;
		return typeof exp === 'number' ? exp - Date.now() / 1000 : undefined;
	} catch {
		return undefined;
	}
}

const DEFAULT_TOKEN_SECONDS = 3300;

/** Reads a login or refresh answer, with the post-2024 names or the legacy ones. */
export function readTokens(response: unknown): {
	sessionToken: string;
	refreshToken: string;
	sessionExpiresAt: number;
} {
	const body = (response ?? {}) as IDataObject;
	const token = body.apiToken ?? body.api_token;
	if (typeof token !== 'string' || token === '')
		throw new Error(
			`${LOGIN_FAILED}MFT Gateway answered the login without an api token. Check the Base URL.`,
		);
	const refresh = body.refreshToken ?? body.refresh_token;
	const declared = Number(body.apiTokenExpiryIn);
	// A JWT that looks expired or nearly so says more about this machine's clock than about the token:
	// the default lifetime then applies, and a 401 renews it if the server disagrees.
	const jwtSeconds = jwtSecondsLeft(token);
	const seconds =
		Number.isFinite(declared) && declared > 0
			? declared
			: jwtSeconds !== undefined && jwtSeconds > 5
				? jwtSeconds
				: DEFAULT_TOKEN_SECONDS;
	return {
		sessionToken: token,
		refreshToken: typeof refresh === 'string' ? refresh : '',
		sessionExpiresAt: Math.floor(Date.now() + seconds * 1000),
	};
}

/** A login failure in plain words: what is wrong and what to change. Never includes the sent body. */
export function describeLoginFailure(
	failure: HttpFailure,
	baseUrl: string,
	usePassword: boolean,
	secrets: string[] = [],
): string {
	return LOGIN_FAILED + redact(loginProblem(failure, baseUrl, usePassword, secrets), secrets);
}

function loginProblem(
	failure: HttpFailure,
	baseUrl: string,
	usePassword: boolean,
	secrets: string[],
): string {
	const host = new URL(baseUrl).host;
	const said = failure.apiMessage ? ` ("${clip(redact(failure.apiMessage, secrets), 200)}")` : '';
	if (failure.code === 'ENOTFOUND' || failure.code === 'EAI_AGAIN') {
		return `The host ${host} was not found. Check the Base URL in the credential (normally ${DEFAULT_BASE_URL}).`;
	}
	if (failure.code === 'ECONNREFUSED')
		return `Could not connect to ${host}: the connection was refused. Check the Base URL and that the server is running.`;
	if (failure.code)
		return `Could not reach ${host}: ${networkProblem(failure.code)}. Check the Base URL and your network, then try again.`;
	if (failure.status === 401) {
		return usePassword
			? `MFT Gateway rejected the username or password${said}. Check them in the credential.`
			: `MFT Gateway rejected the Token ID or Token Secret${said}. Check both in the credential; a lost secret cannot be shown again, so create a new API token if needed.`;
	}
	if (failure.status >= 300 && failure.status < 400) {
		return `${baseUrl} answered the login with a redirect${failure.location ? ` to ${failure.location}` : ''}; it was not followed, so your login details stayed here. Set the Base URL to the final address (normally ${DEFAULT_BASE_URL}).`;
	}
	if (failure.status === 403) {
		return `This account is not allowed to use the MFT Gateway REST API${said}. Use an API token, or a dedicated user without MFA.`;
	}
	if (failure.status === 404 || failure.status === 405) {
		return `${baseUrl} does not look like the MFT Gateway API: POST /authorize answered HTTP ${failure.status}. Check the Base URL (normally ${DEFAULT_BASE_URL}).`;
	}
	return `Login to MFT Gateway failed with HTTP ${failure.status}${said}. Try again later; if it persists, check the Base URL.`;
}
