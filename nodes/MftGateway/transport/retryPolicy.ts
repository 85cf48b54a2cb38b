import type { HttpFailure } from './failure';

/** The one retry policy of the package (documented in the README). */
export const RETRY_POLICY = {
	/** Attempts in all, the first included. */
	maxAttempts: 5,
	baseDelayMs: 500,
	maxDelayMs: 8_000,
	/** No retry starts later than this after the first attempt. */
	maxTotalMs: 60_000,
	/** A Retry-After longer than this is not waited for. */
	maxRetryAfterMs: 30_000,
	retryStatuses: [429, 500, 502, 503, 504],
};

export type RetryMode =
	/** Reads and idempotent calls: 429, 5xx and network errors are retried. */
	| 'idempotent'
	/** A message submit: retried only when the server surely did not take it (429, connection refused). */
	| 'submit'
	/** A login: like `idempotent`, but a refused connection or an unknown host fails at once (a wrong Base URL, not a blip). */
	| 'login'
	/** Never retried. */
	| 'none';

/** Network failures that happen before a connection exists: nothing reached the server. */
export const NOT_CONNECTED = [
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'ENETUNREACH',
	'EHOSTUNREACH',
];

export function isRetryable(failure: HttpFailure, mode: RetryMode): boolean {
	if (mode === 'none' || failure.login) return false;
	if (mode === 'submit')
		return (
			failure.status === 429 || (failure.status === 0 && NOT_CONNECTED.includes(failure.code ?? ''))
		);
	if (mode === 'login' && (failure.code === 'ECONNREFUSED' || failure.code === 'ENOTFOUND'))
		return false;
	return (
		RETRY_POLICY.retryStatuses.includes(failure.status) ||
		(failure.status === 0 && failure.code !== undefined)
	);
}

/** Delay before attempt `attempt + 1`: Retry-After when given, else capped exponential backoff with full jitter. */
export function retryDelay(failure: HttpFailure, attempt: number, random = Math.random): number {
	if (failure.retryAfterMs !== undefined) return failure.retryAfterMs;
	const ceiling = Math.min(RETRY_POLICY.maxDelayMs, RETRY_POLICY.baseDelayMs * 2 ** (attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

export type AttemptResult<T> = { ok: true; value: T } | { ok: false; failure: HttpFailure };

/**
 * Runs `attempt` until it succeeds, the failure is not retryable for `mode`, or the policy's attempts or
 * total time run out. Never throws for HTTP failures: the caller turns the last one into an error.
 */
export async function withRetries<T>(
	mode: RetryMode,
	attempt: (attemptNo: number) => Promise<AttemptResult<T>>,
	wait: (ms: number) => Promise<void>,
): Promise<AttemptResult<T> & { attempts: number }> {
	const started = Date.now();
	for (let attemptNo = 1; ; attemptNo++) {
		const result = await attempt(attemptNo);
		if (result.ok) return { ...result, attempts: attemptNo };
		const delay = retryDelay(result.failure, attemptNo);
		const tooLong =
			(result.failure.retryAfterMs ?? 0) > RETRY_POLICY.maxRetryAfterMs ||
			Date.now() - started + delay > RETRY_POLICY.maxTotalMs;
		if (!isRetryable(result.failure, mode) || attemptNo >= RETRY_POLICY.maxAttempts || tooLong)
			return { ...result, attempts: attemptNo };
		await wait(delay);
	}
}
