import type { IDataObject } from 'n8n-workflow';

/**
 * Which message events a workflow has already started on, shared by the MFT Gateway Webhook Trigger and
 * an MFT Gateway Trigger that reconciles it (both run in n8n's main process; see README "Webhook trigger").
 *
 * n8n gives the two nodes no shared, concurrency-safe store: static data is saved as a whole by each
 * writer, last one wins, and the poller never reloads it (nor saves it when a poll emits nothing). So the
 * ledger lives in this process's memory, where a claim is atomic (check and set in one synchronous step),
 * and is copied into the workflow's global static data by both nodes, together with each reconciling
 * poller's progress, so that a restart starts from what was saved last:
 * - a poller's progress rides along with every webhook save, so it survives a restart even when its
 *   polls emit nothing (n8n saves a poll's static data only when it emits);
 * - the copy keeps every claim a poller may still meet: those made since its saved progress, or for
 *   events not older than its scan floor (with a margin for clock skew), and at least the last 30 min;
 * - a poller's claim is pending until its items are emitted: a pending claim blocks the webhook but is
 *   never copied, so a claim given back by a failed poll cannot come back from a saved copy.
 */

export type LedgerEvent = 'received' | 'sent' | 'failed';

/** The ledger kind of each trigger event (the webhook's and the poller's names are the same). */
export const LEDGER_KINDS: Record<string, LedgerEvent> = {
	messageReceived: 'received',
	messageSent: 'sent',
	messageFailed: 'failed',
};

/** Entries kept in memory and in the saved copy (the newest); claims older than RETENTION_MS are forgotten. */
export const MAX_ENTRIES = 5000;
export const RETENTION_MS = 24 * 60 * 60 * 1000;
/** The saved copy keeps at least this much (duplicate notifications come within minutes). */
export const SAVED_MS = 30 * 60 * 1000;
/** Gateway timestamps and n8n's clock may differ by this much (claims are stamped with n8n's clock). */
export const SKEW_MARGIN_MS = 15 * 60 * 1000;
const STATIC_KEY = 'mftGatewayEvents';
const PROGRESS_KEY = 'mftGatewayPollers';

/** `<abc@host>` and `abc@host` are the same message. */
export function eventKey(event: LedgerEvent, messageId: string): string {
	return `${event}:${messageId.trim().replace(/^<|>$/g, '')}`;
}

/** What a reconciling poller saved of itself: when it polled, the oldest event time it may look at again, its state. */
export interface PollerProgress {
	polledAt: number;
	floor: number;
	state: IDataObject;
}

export class EventLedger {
	private readonly claims = new Map<string, number>();
	private readonly pending = new Set<string>();
	private readonly pollers = new Map<string, PollerProgress>();

	/** Claims an event: true the first time, false when it is already claimed (by either node). */
	claim(key: string, now = Date.now()): boolean {
		if (this.claims.has(key)) return false;
		this.claims.set(key, now);
		this.prune(now);
		return true;
	}

	/** A poller's claim: blocks everyone at once, saved only once confirmed (its items were emitted). */
	claimPending(key: string, now = Date.now()): boolean {
		if (!this.claim(key, now)) return false;
		this.pending.add(key);
		return true;
	}

	confirm(keys: Iterable<string>): void {
		for (const key of keys) this.pending.delete(key);
	}

	has(key: string): boolean {
		return this.claims.has(key);
	}

	/** Gives back pending claims whose emission did not happen (a poll that failed after choosing them). */
	release(keys: Iterable<string>): void {
		for (const key of keys) {
			if (!this.pending.delete(key)) continue;
			this.claims.delete(key);
		}
	}

	get size(): number {
		return this.claims.size;
	}

	/** A reconciling poller's progress (kept when newer than what is known). */
	setProgress(name: string, progress: PollerProgress): void {
		const known = this.pollers.get(name);
		if (!known || known.polledAt <= progress.polledAt) this.pollers.set(name, progress);
	}

	progress(name: string): PollerProgress | undefined {
		return this.pollers.get(name);
	}

	/** Adds what static data holds (saved by this or another process before a restart). */
	merge(saved: unknown, progress?: unknown): void {
		if (Array.isArray(saved))
			for (const entry of saved) {
				if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number')
					continue;
				if (!this.claims.has(entry[0])) this.claims.set(entry[0], entry[1]);
			}
		if (progress && typeof progress === 'object' && !Array.isArray(progress))
			for (const [name, p] of Object.entries(progress as Record<string, PollerProgress>))
				if (
					p &&
					typeof p.polledAt === 'number' &&
					typeof p.floor === 'number' &&
					p.state &&
					typeof p.state === 'object'
				)
					this.setProgress(name, p);
		this.prune(Date.now());
	}

	toJSON(): Array<[string, number]> {
		return [...this.claims.entries()].sort((a, b) => a[1] - b[1]).slice(-MAX_ENTRIES);
	}

	/** The claims a restarted process may still need (confirmed ones only), for static data. */
	recent(now = Date.now()): Array<[string, number]> {
		let from = now - SAVED_MS;
		for (const p of this.pollers.values())
			if (p.polledAt >= now - RETENTION_MS)
				from = Math.min(from, Math.min(p.polledAt, p.floor) - SKEW_MARGIN_MS);
		return this.toJSON()
			.filter(([key, at]) => at >= from && !this.pending.has(key))
			.slice(-MAX_ENTRIES);
	}

	/** The pollers' progress of the last RETENTION_MS (a poller removed from the workflow ages out). */
	recentProgress(now = Date.now()): Record<string, PollerProgress> {
		const kept: Record<string, PollerProgress> = {};
		for (const [name, p] of this.pollers) if (p.polledAt >= now - RETENTION_MS) kept[name] = p;
		return kept;
	}

	private prune(now: number): void {
		if (this.claims.size <= MAX_ENTRIES && !this.oldestBefore(now - RETENTION_MS)) return;
		const kept = this.toJSON().filter(([, at]) => at >= now - RETENTION_MS);
		this.claims.clear();
		for (const [key, at] of kept) this.claims.set(key, at);
		for (const key of this.pending) if (!this.claims.has(key)) this.pending.delete(key);
	}

	private oldestBefore(limit: number): boolean {
		const first = this.claims.values().next();
		return !first.done && first.value < limit;
	}
}

const ledgers = new Map<string, EventLedger>();

/**
 * The ledger of one workflow in this process, with what its static data holds merged in. `global` is
 * the workflow's global static data of the calling context.
 */
export function ledgerFor(workflowId: string, global: IDataObject): EventLedger {
	let ledger = ledgers.get(workflowId);
	if (!ledger) {
		ledger = new EventLedger();
		ledgers.set(workflowId, ledger);
	}
	ledger.merge(global[STATIC_KEY], global[PROGRESS_KEY]);
	return ledger;
}

/** Copies the claims and the pollers' progress into the static data n8n saves after this call (both nodes write them all). */
export function saveLedger(ledger: EventLedger, global: IDataObject): void {
	global[STATIC_KEY] = ledger.recent() as unknown as IDataObject[];
	global[PROGRESS_KEY] = ledger.recentProgress() as unknown as IDataObject;
}

/** What a process restart does to the in-memory side (used by tests of the restart path). */
export function forgetLedger(workflowId: string): void {
	ledgers.delete(workflowId);
}
