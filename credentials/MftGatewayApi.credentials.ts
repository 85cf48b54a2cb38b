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

import { readFailure } from '../nodes/MftGateway/transport/failure';
import { withRetries } from '../nodes/MftGateway/transport/retryPolicy';
import { describeLoginFailure, normaliseBaseUrl, readTokens } from '../nodes/MftGateway/transport/session';

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

export class MftGatewayApi implements ICredentialType {
	name = 'mftGatewayApi';

	displayName = 'MFT Gateway API';

	icon: Icon = { light: 'file:../icons/mftGateway.svg', dark: 'file:../icons/mftGateway.dark.svg' };

	documentationUrl = 'https://aayutechnologies.com/docs/product/mft-gateway/integrations/rest-api-integration/';

	properties: INodeProperties[] = [
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'options',
			options: [
				{
					name: 'API Token',
					value: 'apiToken',
					description: 'Token ID and Token Secret created under Integrations → REST API (recommended)',
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
			typeOptions: { password: true },
			default: '',
			required: true,
			displayOptions: { show: { authentication: ['apiToken'] } },
			description: 'The Token ID from the CSV file MFT Gateway downloaded when the API token was created',
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
			name: 'username',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'api-user@example.com',
			displayOptions: { show: { authentication: ['password'] } },
		},
		{
			displayName: 'Password',
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
			description: 'Change only for another region or the local sandbox (npm run sandbox prints its URL)',
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
	 * Gets an api token: for username/password first by refresh token (rotated on every use), falling back
	 * to a full login when the refresh is refused or the login details changed.
	 */
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject): Promise<IDataObject> {
		const baseURL = normaliseBaseUrl(credentials.baseUrl);
		const owner = sessionOwner(credentials);
		const post = (url: string, body: IDataObject) =>
			// A redirect is not followed: it would carry the password or token secret to another host.
			this.helpers.httpRequest({ method: 'POST', baseURL, url, body, json: true, timeout: 30_000, disableFollowRedirect: true });
		const usePassword = credentials.authentication === 'password';
		if (usePassword && credentials.refreshToken && credentials.sessionOwner === owner) {
			try {
				const refreshed = readTokens(await post('/refresh-session', { username: credentials.username as string, refreshToken: credentials.refreshToken as string }));
				return { ...refreshed, refreshToken: refreshed.refreshToken || (credentials.refreshToken as string), sessionOwner: owner };
			} catch {
				// Refused (expired, rotated by a concurrent run, revoked): a full login below heals it.
			}
		}
		const body: IDataObject = usePassword
			? { username: credentials.username as string, password: credentials.password as string }
			: { tokenID: credentials.tokenId as string, tokenSecret: credentials.tokenSecret as string };
		// A login that meets a passing fault (429, 5xx, network) is tried again, with the request path's policy.
		const login = await withRetries(
			'idempotent',
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
		if (!login.ok) throw new Error(describeLoginFailure(login.failure, baseURL, usePassword));
		return { ...readTokens(login.value), sessionOwner: owner };
	}

	/** Adds the token only for the account and host it was issued for; otherwise the 401 makes n8n log in anew. */
	async authenticate(credentials: ICredentialDataDecryptedObject, requestOptions: IHttpRequestOptions): Promise<IHttpRequestOptions> {
		const baseURL = normaliseBaseUrl(credentials.baseUrl);
		const target = requestOptions.url.startsWith('http') ? requestOptions.url : (requestOptions.baseURL ?? baseURL);
		const sameHost = new URL(target).origin === new URL(baseURL).origin;
		const options: IHttpRequestOptions = { ...requestOptions, baseURL: requestOptions.baseURL ?? baseURL };
		// A token known to be expired is not sent: the 401 makes n8n renew it.
		const fresh = !credentials.sessionExpiresAt || Number(credentials.sessionExpiresAt) > Date.now();
		if (sameHost && fresh && credentials.sessionToken && credentials.sessionOwner === sessionOwner(credentials)) {
			options.headers = { ...requestOptions.headers, Authorization: credentials.sessionToken as string };
		}
		return options;
	}

	test: ICredentialTestRequest = {
		request: {
			baseURL: '={{$credentials.baseUrl.replace(/\\/+$/, "")}}',
			url: '/message/outbox/queued',
			qs: { service: 'as2', pageLength: 1 },
		},
	};
}
