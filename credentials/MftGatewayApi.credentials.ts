import { createHash } from 'crypto';
import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IDataObject,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { LOGIN_FAILED, readFailure } from '../nodes/MftGateway/transport/failure';
import { withRetries } from '../nodes/MftGateway/transport/retryPolicy';
import {
	credentialSecrets,
	describeLoginFailure,
	normaliseBaseUrl,
	readTokens,
	TOKEN_CHECK,
} from '../nodes/MftGateway/transport/session';

/** One-way fingerprint of the login a stored token belongs to: changing any of these discards the token. */
function sessionOwner(credentials: ICredentialDataDecryptedObject): string {
	const apiToken = credentials.authentication !== 'password';
	const parts = [
		normaliseBaseUrl(credentials.baseUrl),
		apiToken ? 'apiToken' : 'password',
		String((apiToken ? credentials.tokenId : credentials.username) ?? ''),
		String((apiToken ? credentials.tokenSecret : credentials.password) ?? ''),
	];
	return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 40);
}

/**
 * A renewal gives up after this long, whatever the server does: a login answer that trickles in byte by
 * byte never meets the socket's idle timeout, and every request of the credential waits for the renewal.
 * Covers the login's own retries (at most 60 s of them).
 */
export const RENEWAL_POLICY = { deadlineMs: 90_000 };

/** Renewals in flight, and the newest session per login, shared by every execution of this process. */
const renewals = new Map<string, Promise<IDataObject>>();
const newestSessions = new Map<string, IDataObject>();

const expired = (session: IDataObject) => Number(session.sessionExpiresAt || 0) <= Date.now();

/** Thrown instead of sending a request without a token: n8n answers a 401 by renewing the session and retrying. */
function mustRenew(): Error {
	return Object.assign(new Error('The MFT Gateway session must be renewed before this request'), {
		response: { status: 401 },
	});
}

/** Keeps a token the server still accepts, else refreshes (username/password) or logs in. */
async function renewSession(
	this: IHttpRequestHelper,
	credentials: ICredentialDataDecryptedObject,
	owner: string,
	deadline: AbortSignal,
): Promise<IDataObject> {
	const baseURL = normaliseBaseUrl(credentials.baseUrl);
	// A redirect is not followed: it would carry the password, token secret or token to another host.
	const post = (url: string, body: IDataObject) =>
		this.helpers.httpRequest({
			method: 'POST',
			baseURL,
			url,
			body,
			json: true,
			timeout: 30_000,
			disableFollowRedirect: true,
			abortSignal: deadline,
		});
	const ours = credentials.sessionOwner === owner;
	const token = ours ? String(credentials.sessionToken ?? '') : '';
	if (token && !expired(credentials)) {
		try {
			await this.helpers.httpRequest({
				...TOKEN_CHECK,
				baseURL,
				headers: { Authorization: token },
				json: true,
				timeout: 30_000,
				disableFollowRedirect: true,
				abortSignal: deadline,
			});
			return {
				sessionToken: token,
				refreshToken: credentials.refreshToken ?? '',
				sessionExpiresAt: credentials.sessionExpiresAt,
				sessionOwner: owner,
			};
		} catch {
			// Refused (or no answer): renew below.
		}
	}
	const usePassword = credentials.authentication === 'password';
	if (usePassword && ours && credentials.refreshToken) {
		try {
			const refreshed = readTokens(
				await post('/refresh-session', {
					username: credentials.username as string,
					refreshToken: credentials.refreshToken as string,
				}),
			);
			return {
				...refreshed,
				refreshToken: refreshed.refreshToken || (credentials.refreshToken as string),
				sessionOwner: owner,
			};
		} catch {
			// Refused (expired, rotated by another process, revoked): a full login below heals it.
		}
	}
	const body: IDataObject = usePassword
		? { username: credentials.username as string, password: credentials.password as string }
		: { tokenID: credentials.tokenId as string, tokenSecret: credentials.tokenSecret as string };
	// A login that meets a passing fault (429, 5xx, network) is tried again, with the request path's policy.
	const login = await withRetries(
		'login',
		async () => {
			try {
				return { ok: true as const, value: await post('/authorize', body) };
			} catch (error) {
				return { ok: false as const, failure: readFailure(error) };
			}
		},
		sleep,
	);
	// A fresh error: the original one carries the request body (the password or token secret).
	if (!login.ok)
		throw new Error(
			describeLoginFailure(login.failure, baseURL, usePassword, credentialSecrets(credentials)),
		);
	return { ...readTokens(login.value), sessionOwner: owner };
}

export class MftGatewayApi implements ICredentialType {
	name = 'mftGatewayApi';

	displayName = 'MFT Gateway API';

	icon: Icon = { light: 'file:../icons/mftGateway.svg', dark: 'file:../icons/mftGateway.dark.svg' };

	documentationUrl =
		'https://aayutechnologies.com/docs/product/mft-gateway/integrations/rest-api-integration/';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'API Token',
					value: 'apiToken',
					description:
						'Token ID and Token Secret created under Integrations → REST API (recommended)',
				},
				{
					name: 'Username & Password (Legacy)',
					value: 'password',
					description: 'A dedicated MFT Gateway user without MFA',
				},
			],
			default: 'apiToken',
		},
		{
			displayName: 'Token ID',
			name: 'tokenId',
			type: 'string',
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiToken'] } },
			description:
				'The Token ID from the CSV file MFT Gateway downloaded when the API token was created',
		},
		{
			displayName: 'Token Secret',
			name: 'tokenSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiToken'] } },
			description: 'Shown only once, when the token is created; if it is lost, create a new token',
		},
		{
			displayName: 'Username',
			description: 'The e-mail address you log in to MFT Gateway with',
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'api-user@example.com',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
			description:
				'Your MFT Gateway password (used only to log in; the session is renewed with a refresh token)',
			name: 'password',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: 'https://api.mftgateway.com',
			placeholder: 'https://api.mftgateway.com',
			description: 'Change only for another region or the local sandbox',
			hint: 'The local sandbox (npm run sandbox) is at http://127.0.0.1:8870',
		},
		// Session kept between executions (n8n persists what preAuthentication returns).
		{
			displayName: 'Session Token',
			name: 'sessionToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'hidden',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Session Owner',
			name: 'sessionOwner',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Session Expires At',
			name: 'sessionExpiresAt',
			type: 'hidden',
			default: 0,
		},
	];

	/**
	 * Gets an api token. In one n8n process, every request that needs a new session at the same time waits
	 * for one renewal (single flight), and a request that still holds a token replaced by another request
	 * takes the new one instead of renewing again: ten parallel 401s make one login (API token) or one
	 * refresh (username/password). A token that has not expired is first checked with one cheap read, so a
	 * caller that renews on any error (n8n's HTTP Request node) does not log in again for a 404.
	 */
	async preAuthentication(
		this: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
	): Promise<IDataObject> {
		const owner = sessionOwner(credentials);
		const inFlight = renewals.get(owner);
		if (inFlight) return { ...(await inFlight) };
		const newest = newestSessions.get(owner);
		if (newest && !expired(newest) && newest.sessionToken !== credentials.sessionToken)
			return { ...newest };
		const deadline = AbortSignal.timeout(RENEWAL_POLICY.deadlineMs);
		const givenUp = new Promise<never>((_, reject) =>
			deadline.addEventListener(
				'abort',
				() =>
					reject(
						new Error(
							`${LOGIN_FAILED}${new URL(normaliseBaseUrl(credentials.baseUrl)).host} did not finish the login within ${RENEWAL_POLICY.deadlineMs / 1000} s. Try again; if it persists, check the Base URL and any proxy in between.`,
						),
					),
				{ once: true },
			),
		);
		// Settled by the race; after a renewal that succeeds, the deadline still passes, unheard.
		givenUp.catch(() => undefined);
		const renewal = Promise.race([renewSession.call(this, credentials, owner, deadline), givenUp])
			.then((session) => {
				newestSessions.set(owner, session);
				return session;
			})
			.finally(() => {
				if (renewals.get(owner) === renewal) renewals.delete(owner);
			});
		renewals.set(owner, renewal);
		return { ...(await renewal) };
	}

	/**
	 * Adds the token, only for the host and login it was issued for. A request to the API without a usable
	 * token never goes out bare: it is answered here as a 401, which makes n8n renew the session first.
	 * Accepts n8n's current request options (`url`) and the legacy ones of the HTTP Request node (`uri`).
	 */
	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const baseURL = normaliseBaseUrl(credentials.baseUrl);
		const legacyUri = (requestOptions as { uri?: unknown }).uri;
		const address = String(requestOptions.url ?? legacyUri ?? '');
		const absolute = /^https?:\/\//i.test(address);
		const options: IHttpRequestOptions =
			absolute || legacyUri !== undefined
				? { ...requestOptions }
				: { ...requestOptions, baseURL: requestOptions.baseURL ?? baseURL };
		let target: URL;
		try {
			target = new URL(absolute ? address : (requestOptions.baseURL ?? baseURL));
		} catch {
			return options;
		}
		if (target.origin !== new URL(baseURL).origin) return options;
		if (
			!credentials.sessionToken ||
			credentials.sessionOwner !== sessionOwner(credentials) ||
			expired(credentials)
		)
			throw mustRenew();
		options.headers = {
			...requestOptions.headers,
			Authorization: credentials.sessionToken as string,
		};
		return options;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: TOKEN_CHECK.url,
			qs: TOKEN_CHECK.qs,
		},
	};
}
