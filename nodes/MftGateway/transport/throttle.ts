/**
 * How many requests may be in flight to one account, shared by every execution of this n8n process: a
 * 429 halves it, and it grows back by one after as many successes as it allows (additive increase,
 * multiplicative decrease, as TCP does), up to the ceiling a caller asks for. A busy account is not
 * hammered, and a quiet one is read at full speed.
 */
export class Throttle {
	private allowed: number;
	private successes = 0;

	constructor(private readonly ceiling = MAX_IN_FLIGHT) {
		this.allowed = ceiling;
	}

	/** Requests that may run at once now, for a caller that wants at most `wanted`. */
	limit(wanted: number): number {
		return Math.max(1, Math.min(wanted, Math.floor(this.allowed)));
	}

	rateLimited(): void {
		this.allowed = Math.max(1, Math.floor(this.allowed / 2));
		this.successes = 0;
	}

	succeeded(): void {
		if (this.allowed >= this.ceiling) return;
		if (++this.successes >= this.allowed) {
			this.allowed += 1;
			this.successes = 0;
		}
	}
}

/**
 * The most requests one account gets at once from this process. n8n opens a new connection (and TLS
 * handshake) for every request, so a read costs 3 round trips instead of 1: many small reads need this
 * many in flight to keep pace with a client that reuses 5 connections (see docs/performance.md).
 */
export const MAX_IN_FLIGHT = 25;

const throttles = new Map<string, Throttle>();

/** The throttle of one account (keyed by the credential it is used with). */
export function throttleFor(key: string): Throttle {
	let throttle = throttles.get(key);
	if (!throttle) {
		throttle = new Throttle();
		throttles.set(key, throttle);
	}
	return throttle;
}
