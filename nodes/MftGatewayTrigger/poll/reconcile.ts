import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import {
	type EventLedger,
	eventKey,
	LEDGER_KINDS,
	type LedgerEvent,
	ledgerFor,
	saveLedger,
} from '../../shared/eventLedger';
import type { Side } from '../../MftGateway/transport/ids';
import { timestampOf } from '../../MftGateway/transport/messages';
import { readMessages, type Candidate } from './scan';
import type { PollState } from './state';

/**
 * Reconcile Webhook Events: this trigger emits only what the MFT Gateway Webhook Trigger of the same
 * workflow did not (a lost notification), and only once the event is `graceMs` old, so that a webhook
 * that is merely late still wins. Both sides claim events in the workflow's event ledger.
 */
export interface Reconciliation {
	ledger: EventLedger;
	kind: LedgerEvent;
	graceMs: number;
	global: IDataObject;
}

export function reconciliationFor(
	this: IPollFunctions,
	event: string,
	graceMs: number | undefined,
): Reconciliation | undefined {
	const kind = LEDGER_KINDS[event];
	if (graceMs === undefined || !kind) return undefined;
	const global = this.getWorkflowStaticData('global');
	return { ledger: ledgerFor(this.getWorkflow().id ?? '', global), kind, graceMs, global };
}

/** When the notification for this event went out (or about then): what the grace is measured from. */
function eventTime(kind: LedgerEvent, candidate: Candidate): number {
	const m = candidate.message ?? {};
	const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : 0);
	const ts = Math.max(candidate.ts, num(timestampOf(m)));
	if (kind === 'received') return ts;
	const mdn = (m.mdnMessage ?? {}) as IDataObject;
	return Math.max(ts, num(m.lastAttemptTime), kind === 'sent' ? num(mdn.timestamp) : 0);
}

export interface Settled {
	/** Claimed by this poll: to emit. */
	chosen: Candidate[];
	/** Already started by the webhook trigger (or an earlier poll): not emitted, counted as handled. */
	elsewhere: Candidate[];
	/** Not old enough yet, or past `max`: looked at again next poll. */
	waiting: Candidate[];
}

/**
 * Reads the unclaimed candidates (their event times), then decides in one synchronous step, so no
 * webhook call can claim an event between the check and the claim.
 */
export async function settle(
	this: IPollFunctions,
	r: Reconciliation,
	side: Side,
	candidates: Candidate[],
	max: number,
): Promise<Settled> {
	const claimed = (c: Candidate) => r.ledger.has(eventKey(r.kind, c.id));
	const unread = candidates.filter((c) => !c.message && !claimed(c));
	const messages = await readMessages.call(
		this,
		side,
		unread.map((c) => c.id),
	);
	const read = new Map(unread.map((c, index) => [c.id, messages[index]]));
	const now = Date.now();
	const result: Settled = { chosen: [], elsewhere: [], waiting: [] };
	for (const candidate of candidates) {
		const c = read.has(candidate.id)
			? { ...candidate, message: read.get(candidate.id) }
			: candidate;
		if (claimed(c)) result.elsewhere.push(c);
		else if (read.has(c.id) && !c.message)
			continue; // deleted since it was listed
		else if (eventTime(r.kind, c) > now - r.graceMs || result.chosen.length >= max)
			result.waiting.push(c);
		else {
			r.ledger.claimPending(eventKey(r.kind, c.id), now);
			result.chosen.push(c);
		}
	}
	return result;
}

/** Gives back the claims of a poll that failed before its items were emitted. */
export function releaseClaims(r: Reconciliation | undefined, chosen: Candidate[]): void {
	r?.ledger.release(chosen.map((c) => eventKey(r.kind, c.id)));
}

/** The claims of emitted items become final (and part of the saved copy). */
export function confirmClaims(r: Reconciliation | undefined, chosen: Candidate[]): void {
	r?.ledger.confirm(chosen.map((c) => eventKey(r.kind, c.id)));
}

/**
 * The poller's state, whichever is newer: its own static data, or the progress the ledger holds (saved
 * with every webhook call, so it survives a restart even when this poller's polls emitted nothing).
 */
export function newestState(
	r: Reconciliation | undefined,
	name: string,
	own: PollState | undefined,
	key: string,
): PollState | undefined {
	const saved = r?.ledger.progress(name)?.state as PollState | undefined;
	if (!saved || saved.key !== key || saved.version !== 3) return own;
	return (saved.polledAt ?? -1) > (own?.polledAt ?? -1) ? { ...saved, timestamps: [] } : own;
}

/**
 * The ledger goes into the static data n8n saves (with an emitting poll, and with every webhook call),
 * together with this poller's progress: the oldest event time it may look at again (`floor`).
 */
export function keepLedger(
	r: Reconciliation | undefined,
	name: string,
	state: PollState,
	floor: number,
): void {
	if (!r) return;
	// The timestamp cache stays out: it is only a cache, and every webhook call saves this copy.
	const kept = { ...state } as unknown as IDataObject;
	delete kept.timestamps;
	r.ledger.setProgress(name, { polledAt: state.polledAt ?? Date.now(), floor, state: kept });
	saveLedger(r.ledger, r.global);
}
