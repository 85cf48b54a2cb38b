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
	/** Largest AS2 message the sandbox's AS2 endpoint accepts (larger: 413, no MDN). */
	maxAs2BodyBytes: number;
	/** How long a real-AS2 send waits for an asynchronous MDN before the message is incomplete. */
	asyncMdnTimeoutMs: number;
	/** Hosts an asynchronous MDN may be POSTed to (Receipt-Delivery-Option); others get no MDN. */
	asyncMdnAllowedHosts: string[];
	/** Partners created through the API send real AS2 to their URL (behaviour `as2`) instead of a simulation. */
	realAs2ForNewPartners: boolean;
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
	maxAs2BodyBytes: 32 * 1024 * 1024,
	asyncMdnTimeoutMs: 120_000,
	asyncMdnAllowedHosts: ['127.0.0.1', 'localhost', '::1'],
	realAs2ForNewPartners: false,
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
		if (key === 'asyncMdnAllowedHosts') {
			if (!Array.isArray(value) || value.some((h) => typeof h !== 'string' || !h.trim()))
				throw new Error('asyncMdnAllowedHosts must be a list of host names');
			next.asyncMdnAllowedHosts = value.map((h: string) => h.trim().toLowerCase());
			continue;
		}
		if (key === 'realAs2ForNewPartners') {
			if (typeof value !== 'boolean')
				throw new Error('realAs2ForNewPartners must be true or false');
			next.realAs2ForNewPartners = value;
			continue;
		}
		if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
			throw new Error(`${key} must be a non-negative number`);
		}
		(next as unknown as Record<string, number>)[key] = value;
	}
	return next;
}
