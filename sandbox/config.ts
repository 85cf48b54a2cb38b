/** Settings a test or a user can change, at start or while the sandbox runs (PUT /_sandbox/config). */
export interface SandboxConfig {
	/** Lifetime of an api token (the real service: about an hour). */
	tokenTtlSeconds: number;
	refreshTtlSeconds: number;
	/** Lifetime of pre-signed attachment and MDN URLs (the real service: 600 s). */
	presignTtlSeconds: number;
	/** Time from submit to the first delivery attempt to the partner. */
	deliveryDelayMs: number;
	/** Time between delivery attempts when the partner answers 5xx. */
	retryDelayMs: number;
	/** Delivery attempts before a 5xx partner's message is failed. */
	maxAttempts: number;
	/** How many 5xx answers a `flaky` partner gives before it accepts. */
	flakyFailures: number;
	/** Largest raw (single attachment) submit body, streamed to disk. */
	maxRawBodyBytes: number;
	/** Largest multipart submit body (held in memory while parsed). */
	maxMultipartBytes: number;
	/**
	 * Order of messages with equal timestamps: `stable` (by id); `shuffle`, a random order that changes when
	 * reshuffleTies() is called (between polls, say); `shuffleEachRequest`, a new order on every list request
	 * (the worst case: a client paging through ties may miss some in one pass).
	 */
	tieOrder: 'stable' | 'shuffle' | 'shuffleEachRequest';
}

export const DEFAULT_CONFIG: SandboxConfig = {
	tokenTtlSeconds: 3600,
	refreshTtlSeconds: 30 * 24 * 3600,
	presignTtlSeconds: 600,
	deliveryDelayMs: 1500,
	retryDelayMs: 1000,
	maxAttempts: 3,
	flakyFailures: 2,
	maxRawBodyBytes: 1024 * 1024 * 1024,
	maxMultipartBytes: 64 * 1024 * 1024,
	tieOrder: 'stable',
};

/** Applies a partial update, refusing unknown keys and wrong types with a message that names the key. */
export function mergeConfig(base: SandboxConfig, update: Record<string, unknown>): SandboxConfig {
	const next: SandboxConfig = { ...base };
	for (const [key, value] of Object.entries(update)) {
		if (!(key in DEFAULT_CONFIG)) throw new Error(`Unknown config key: ${key}`);
		if (key === 'tieOrder') {
			if (value !== 'stable' && value !== 'shuffle' && value !== 'shuffleEachRequest')
				throw new Error('tieOrder must be "stable", "shuffle" or "shuffleEachRequest"');
			next.tieOrder = value;
			continue;
		}
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new Error(`${key} must be a non-negative number`);
		}
		(next as unknown as Record<string, number>)[key] = value;
	}
	return next;
}
