import type { IDataObject } from 'n8n-workflow';

/**
 * Which message events a workflow has already started on, shared by the MFT Gateway Webhook Trigger and
 * an MFT Gateway Trigger that reconciles it (both run in n8n's main process; see README "Webhook trigger").
 *
 * n8n gives the two nodes no shared, concurrency-safe store: static data is saved as a whole by each
 * writer, last one wins, and the poller never reloads it. So the ledger lives in this process's memory,
 * where a claim is atomic (check and set in one synchronous step), and is copied into the workflow's
 * global static data by both nodes, so that a restart starts from what was saved last.
 */

export type LedgerEvent = 'received' | 'sent' | 'failed';

/** Entries kept (the newest); an event older than this many claims is no longer recognised. */
export const MAX_ENTRIES = 5000;
/** Claims older than this are forgotten (reconciliation looks back minutes, not days). */
export const RETENTION_MS = 24 * 60 * 60 * 1000;
/**
 * What goes into static data: the claims of the last half hour, at most 1,000. Enough for a restart
 * (reconciliation looks back minutes), and small, since a webhook call saves it every time.
 */
export const SAVED_MS = 30 * 60 * 1000;
export const MAX_SAVED = 1000;
const STATIC_KEY = 'mftGatewayEvents';

/** `<abc@host>` and `abc@host` are the same message. */
export function eventKey(event: LedgerEvent, messageId: string): string {
	return `${event}:${messageId.trim().replace(/^<|>$/g, '')}`;
}

export class EventLedger {
	private readonly claims = new Map<string, number>();

	/** Claims an event: true the first time, false when it is already claimed (by either node). */
	claim(key: string, now = Date.now()): boolean {
		if (this.claims.has(key)) return false;
		this.claims.set(key, now);
		this.prune(now);
		return true;
	}

	has(key: string): boolean {
		return this.claims.has(key);
	}

	/** Gives back claims whose emission did not happen (a poll that failed after choosing them). */
	release(keys: Iterable<string>): void {
		for (const key of keys) this.claims.delete(key);
	}

	get size(): number {
		return this.claims.size;
	}

	/** Adds what static data holds (saved by this or another process before a restart). */
	merge(saved: unknown): void {
		if (!Array.isArray(saved)) return;
		for (const entry of saved) {
			if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number')
				continue;
			const known = this.claims.get(entry[0]);
			if (known === undefined) this.claims.set(entry[0], entry[1]);
		}
		this.prune(Date.now());
	}

	toJSON(): Array<[string, number]> {
		return [...this.claims.entries()].sort((a, b) => a[1] - b[1]).slice(-MAX_ENTRIES);
	}

	/** The recent claims, for static data. */
	recent(now = Date.now()): Array<[string, number]> {
		return this.toJSON()
			.filter(([, at]) => at >= now - SAVED_MS)
			.slice(-MAX_SAVED);
	}

	private prune(now: number): void {
		if (this.claims.size <= MAX_ENTRIES && !this.oldestBefore(now - RETENTION_MS)) return;
		const kept = this.toJSON().filter(([, at]) => at >= now - RETENTION_MS);
		this.claims.clear();
		for (const [key, at] of kept) this.claims.set(key, at);
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
	ledger.merge(global[STATIC_KEY]);
	return ledger;
}

/** Copies the recent claims into the static data n8n saves after this call (both nodes write them all). */
export function saveLedger(ledger: EventLedger, global: IDataObject): void {
	global[STATIC_KEY] = ledger.recent() as unknown as IDataObject[];
}

/** What a process restart does to the in-memory side (used by tests of the restart path). */
export function forgetLedger(workflowId: string): void {
	ledgers.delete(workflowId);
}
