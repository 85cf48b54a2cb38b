import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	IN8nHttpFullResponse,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { toNodeApiError } from './errors';
import { type HttpFailure, readFailure } from './failure';
import { type AttemptResult, type RetryMode, withRetries } from './retryPolicy';
import { type Throttle, throttleFor } from './throttle';
import { credentialSecrets, normaliseBaseUrl, TOKEN_CHECK } from './session';

/** Where API requests are made: node runs, polls, webhook calls, and the editor's list searches. */
export type MftContext =
	| IExecuteFunctions
	| IPollFunctions
	| IWebhookFunctions
	| ILoadOptionsFunctions;
/** Where binary data can be written too. */
export type RunContext = IExecuteFunctions | IPollFunctions | IWebhookFunctions;

export const CREDENTIALS_TYPE = 'mftGatewayApi';

export interface ApiRequest {
	method: IHttpRequestMethods;
	/** Path under the Base URL, already encoded (see ids.ts). */
	path: string;
	qs?: IDataObject;
	/** JSON body, a Buffer, or a function that makes the body anew for every attempt (streams). */
	body?: IDataObject | Buffer | (() => unknown);
	headers?: IDataObject;
	/** Adds `service=as2` (message and partner endpoints). */
	service?: boolean;
	/** Default: `idempotent` for GET/PUT/DELETE, `none` otherwise. */
	retry?: RetryMode;
	timeoutMs?: number;
	/** For error messages, e.g. `Get message <id> from the inbox`. */
	action: string;
	notFoundHint?: string;
	invalidHint?: string;
	itemIndex?: number;
	/** Answer a 404 as `{ statusCode: 404 }` instead of an error (for "is it there?" checks). */
	notFoundOk?: boolean;
}

export interface ApiResponse {
	/** Parsed JSON: an object for almost every endpoint (GET /certificate answers an array). */
	body: IDataObject;
	headers: IDataObject;
	statusCode: number;
}

const DEFAULT_TIMEOUT_MS = 60_000;
/** Session renewals one request may trigger: the second covers a token revoked right after it was issued. */
const MAX_RENEWALS = 2;

/** The API host and the secret values of the credential, for error messages (read only when one is made). */
async function errorFacts(ctx: MftContext): Promise<{ host: string; secrets: string[] }> {
	try {
		const credentials = await ctx.getCredentials(CREDENTIALS_TYPE);
		return {
			host: new URL(normaliseBaseUrl(credentials.baseUrl)).host,
			secrets: credentialSecrets(credentials),
		};
	} catch {
		return { host: 'MFT Gateway', secrets: [] };
	}
}

function failureFromResponse(response: IN8nHttpFullResponse): HttpFailure {
	return readFailure({
		response: { status: response.statusCode, data: response.body, headers: response.headers },
	});
}

/**
 * The one request path of the package: auth (through the credential), `service=as2`, timeouts, the retry
 * policy, and errors that say what to do.
 *
 * Error statuses are read as responses (`ignoreHttpStatusErrors`), because n8n 2.8 turns a thrown HTTP
 * error into a NodeApiError without its headers (Retry-After would be lost). A 401 is then renewed here:
 * a replayable request is sent once more through n8n's own 401 handling (it logs in and retries); an
 * upload renews the session with a cheap read first and sends a fresh body, because n8n 2.8 would resend
 * the spent stream and hang. A 401 means the server took nothing, so this never duplicates a message.
 */
export async function apiRequestFull(this: MftContext, req: ApiRequest): Promise<ApiResponse> {
	const throttle = accountThrottle(this);
	const mode: RetryMode =
		req.retry ?? (['GET', 'PUT', 'DELETE', 'HEAD'].includes(req.method) ? 'idempotent' : 'none');
	const send = async (letN8nRenewOn401: boolean): Promise<AttemptResult<ApiResponse>> => {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.path,
			qs: req.service ? { service: 'as2', ...req.qs } : req.qs,
			headers: req.headers,
			body: (typeof req.body === 'function'
				? await req.body()
				: req.body) as IHttpRequestOptions['body'],
			json: true,
			timeout: req.timeoutMs ?? DEFAULT_TIMEOUT_MS,
			returnFullResponse: true,
			ignoreHttpStatusErrors: !letN8nRenewOn401,
			// The API does not redirect. Not following keeps the token on its host, and spares the copy of
			// the whole request body that redirect support keeps (a 200 MB upload would sit in memory).
			disableFollowRedirect: true,
		};
		const slot = await throttle.acquire();
		let result: AttemptResult<ApiResponse>;
		try {
			const response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIALS_TYPE,
				options,
			)) as IN8nHttpFullResponse;
			result =
				response.statusCode < 300
					? { ok: true, value: response as unknown as ApiResponse }
					: { ok: false, failure: failureFromResponse(response) };
		} catch (error) {
			result = { ok: false, failure: readFailure(error) };
		}
		throttle.release(
			slot,
			result.ok ? 'ok' : result.failure.status === 429 ? 'rateLimited' : 'failed',
		);
		return result;
	};
	let renewals = 0;
	const result = await withRetries(
		mode,
		async () => {
			let result = await send(false);
			// A token revoked again right after its renewal (another request's 401 renewed it meanwhile) gets one more.
			while (!result.ok && result.failure.status === 401 && renewals < MAX_RENEWALS) {
				renewals++;
				if (typeof req.body !== 'function') result = await send(true);
				else {
					await renewSession.call(this, throttle);
					result = await send(false);
				}
			}
			return result;
		},
		sleep,
	);
	if (result.ok) return result.value;
	if (req.notFoundOk && result.failure.status === 404)
		return { body: {}, headers: {}, statusCode: 404 };
	throw toNodeApiError(this.getNode(), result.failure, {
		action: req.action,
		notFoundHint: req.notFoundHint,
		invalidHint: req.invalidHint,
		attempts: result.attempts,
		itemIndex: req.itemIndex,
		maybeSent: mode === 'submit',
		...(await errorFacts(this)),
	});
}

/** The in-flight limit of the account this node's credential logs in to, shared across executions. */
export function accountThrottle(ctx: MftContext): Throttle {
	return throttleFor(ctx.getNode().credentials?.[CREDENTIALS_TYPE]?.id ?? ctx.getNode().id);
}

export async function apiRequest(this: MftContext, req: ApiRequest): Promise<IDataObject> {
	return (await apiRequestFull.call(this, req)).body;
}

/** A cheap authenticated read through n8n's 401 handling: it logs in again, so the next call has a fresh token. */
async function renewSession(this: MftContext, throttle: Throttle): Promise<void> {
	const slot = await throttle.acquire();
	try {
		await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIALS_TYPE, {
			...TOKEN_CHECK,
			json: true,
			timeout: DEFAULT_TIMEOUT_MS,
			disableFollowRedirect: true,
		});
	} catch {
		// The resend that follows reports whatever is still wrong.
	} finally {
		throttle.release(slot, 'failed');
	}
}
