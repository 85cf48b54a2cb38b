import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger remembers between polls (in the workflow's static data). Its size does not grow with
 * the number of messages ever seen:
 * - `floor`: the newest timestamp handled. Messages older than it are never emitted again.
 * - `handled`: [id, timestamp] of the messages handled at or above the floor, so a message sharing a
 *   millisecond with emitted ones is neither lost nor emitted twice. Normally just the newest millisecond;
 *   while a same-millisecond group that crossed a page boundary keeps the floor back (see scan.ts), the
 *   messages emitted since. Bounded by MAX_HANDLED (past it the floor moves on regardless).
 * - `timestamps`: a cache of message timestamps looked up (lists return ids only), so a quiet poll needs one
 *   list request. Bounded (MAX_TIMESTAMPS, oldest entries dropped).
 * - `queued` (outbound events): the ids in the Queued folder at the last poll; one that leaves it is looked
 *   up, so a message that fails hours after it was sent is still reported. Bounded by the queue length.
 * - `toMarkRead` (read-flag mode): ids emitted by the last poll, marked read in the API by the next one.
 * It is replaced only at the end of a successful poll.
 */
export interface PollState {
	version: 2;
	/** Event, tracking mode and filters this state belongs to; another key starts afresh. */
	key: string;
	floor: number;
	handled: Array<[string, number]>;
	timestamps: Array<[string, number]>;
	queued: string[];
	toMarkRead: string[];
}

export const MAX_TIMESTAMPS = 500;
export const MAX_HANDLED = 2000;
export const MAX_QUEUED = 5000;

export function readState(staticData: IDataObject, key: string): PollState | undefined {
	const state = staticData.mftGatewayPoll as PollState | undefined;
	return state && state.version === 2 && state.key === key ? state : undefined;
}

export function writeState(staticData: IDataObject, state: PollState): void {
	staticData.mftGatewayPoll = state as unknown as IDataObject;
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
