/** A place in an account's in-flight limit, held for one request. */
export interface Slot {
	/** The throttle's generation when the request went out (see `rateLimited`). */
	generation: number;
}

/**
 * How many requests may be in flight to one account, shared by every execution, poll and webhook call of
 * this n8n process: a real semaphore (`acquire` waits for a free place, in order). A 429 halves the limit,
 * and it grows back by one after as many successes as it allows (additive increase, multiplicative
 * decrease, as TCP does), up to the ceiling. A busy account is not hammered, and a quiet one is read at
 * full speed.
 */
export class Throttle {
	private allowed: number;
	private successes = 0;
	private inFlight = 0;
	/** Bumped by every decrease: a 429 to a request sent before it is the same burst, already answered. */
	private generation = 0;
	private readonly waiting: Array<() => void> = [];

	constructor(private readonly ceiling = MAX_IN_FLIGHT) {
		this.allowed = ceiling;
	}

	/** Requests that may run at once now, for a caller that wants at most `wanted`. */
	limit(wanted: number): number {
		return Math.max(1, Math.min(wanted, Math.floor(this.allowed)));
	}

	/** Requests of this account in flight now. */
	get running(): number {
		return this.inFlight;
	}

	/** Waits for a place (first come, first served). Release it with `release`, whatever happens. */
	async acquire(): Promise<Slot> {
		if (this.waiting.length === 0 && this.inFlight < this.limit(this.ceiling)) this.inFlight++;
		else await new Promise<void>((resolve) => this.waiting.push(resolve));
		return { generation: this.generation };
	}

	release(slot: Slot, outcome: 'ok' | 'rateLimited' | 'failed'): void {
		this.inFlight--;
		if (outcome === 'ok') this.succeeded();
		else if (outcome === 'rateLimited') this.rateLimited(slot.generation);
		while (this.waiting.length > 0 && this.inFlight < this.limit(this.ceiling)) {
			this.inFlight++;
			this.waiting.shift()!();
		}
	}

	/**
	 * Halves the limit, once per burst: 429s to requests sent before the last decrease do not halve it
	 * again (25 parallel 429s would pin it at 1 for ~300 requests). Without `sentAt`, always halves.
	 */
	rateLimited(sentAt = this.generation): void {
		if (sentAt !== this.generation) return;
		this.generation++;
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
