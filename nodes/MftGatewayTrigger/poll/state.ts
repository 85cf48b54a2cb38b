import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger remembers between polls (in the workflow's static data). Its size does not grow with
 * the number of messages ever seen:
 * - `floor`: the newest timestamp handled (-1: none yet). With `lookBackMs`, the scan reaches back to
 *   `floor - lookBackMs` (never below `cut`), so a message that becomes visible late, stamped older than
 *   messages already emitted, is still emitted while it is inside that window.
 * - `handled`: [id, timestamp] of the messages emitted (or present at activation) inside the window, so
 *   none is emitted twice. Bounded by MAX_HANDLED: past it the oldest are dropped and `cut` rises above
 *   them.
 * - `timestamps`: a cache of message timestamps looked up (lists return ids only), so a quiet poll needs one
 *   list request. Bounded (MAX_TIMESTAMPS, oldest entries dropped).
 * - `queued` (outbound events): ids in the Queued folder at the last poll, plus ids that left it and were
 *   not emitted yet; one that leaves it is looked up, so a message that fails hours after it was sent is
 *   still reported, even when Max Messages per Poll holds it back.
 * - `drain` (Emit Existing): the position in the oldest-first list while existing messages are emitted.
 * - read-flag mode: `toMarkRead`, the ids emitted by the last poll, marked read by the next one; `baseline`,
 *   the ids unread at activation that are not to be emitted (Emit Existing off).
 * It is replaced only at the end of a successful poll.
 */
export interface PollState {
	version: 3;
	/** Event, tracking mode and filters this state belongs to; another key starts afresh. */
	key: string;
	floor: number;
	cut: number;
	handled: Array<[string, number]>;
	timestamps: Array<[string, number]>;
	queued: string[];
	drain?: { page: number };
	toMarkRead: string[];
	baseline: string[];
	/** When the poll that wrote this state ran (n8n's clock): the newer of two saved copies wins. */
	polledAt?: number;
}

export const MAX_TIMESTAMPS = 500;
export const MAX_HANDLED = 2000;
export const MAX_QUEUED = 5000;
export const MAX_BASELINE = 5000;

export function newState(key: string): PollState {
	return {
		version: 3,
		key,
		floor: -1,
		cut: -1,
		handled: [],
		timestamps: [],
		queued: [],
		toMarkRead: [],
		baseline: [],
	};
}

export function readState(staticData: IDataObject, key: string): PollState | undefined {
	const state = staticData.mftGatewayPoll as
		| (Omit<Partial<PollState>, 'version'> & { version?: number })
		| undefined;
	if (!state || state.key !== key) return undefined;
	// Version 2 (before the look-back window) carries over: the same fields, with the new ones empty.
	if (state.version === 2)
		return { ...newState(key), ...(state as object), version: 3 } as PollState;
	return state.version === 3 ? (state as PollState) : undefined;
}

export function writeState(staticData: IDataObject, state: PollState): void {
	staticData.mftGatewayPoll = state as unknown as IDataObject;
}

/** Keeps the handled ids inside the window; past MAX_HANDLED the oldest go and the cut rises above them. */
export function pruneHandled(
	handled: Array<[string, number]>,
	lower: number,
	cut: number,
): { handled: Array<[string, number]>; cut: number } {
	let kept = handled.filter(([, ts]) => ts >= lower);
	if (kept.length <= MAX_HANDLED) return { handled: kept, cut };
	kept = [...kept].sort((a, b) => a[1] - b[1]);
	const dropped = kept.slice(0, kept.length - MAX_HANDLED);
	const newCut = Math.max(cut, dropped[dropped.length - 1][1] + 1);
	return { handled: kept.filter(([, ts]) => ts >= newCut), cut: newCut };
}

/** Timestamps known for ids; new entries win, the oldest are dropped past the bound. */
export class TimestampCache {
	private readonly map: Map<string, number>;

	constructor(entries: Array<[string, number]> = []) {
		this.map = new Map(entries);
	}

	get(id: string): number | undefined {
		return this.map.get(id);
	}

	set(id: string, ts: number): void {
		this.map.delete(id);
		this.map.set(id, ts);
	}

	toJSON(): Array<[string, number]> {
		const entries = [...this.map.entries()];
		return entries.slice(Math.max(0, entries.length - MAX_TIMESTAMPS));
	}
}
