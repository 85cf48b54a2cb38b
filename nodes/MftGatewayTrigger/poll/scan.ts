import type { IDataObject } from 'n8n-workflow';

import { TaskPool } from '../../MftGateway/helpers/concurrency';
import type { Side } from '../../MftGateway/transport/ids';
import { listPages, readMessage, timestampOf } from '../../MftGateway/transport/messages';
import { accountThrottle, type MftContext } from '../../MftGateway/transport/request';
import { MAX_IN_FLIGHT } from '../../MftGateway/transport/throttle';
import type { TimestampCache } from './state';

/** A list to watch: its path, the filters, and the box its messages are read from. */
export interface Folder {
	path: string;
	side: Side;
	qs: IDataObject;
}

export interface Candidate {
	id: string;
	ts: number;
	/** The message object, when the scan had to read it anyway. */
	message?: IDataObject;
}

/** Most pages one scan reads: 10,000 ids. */
const MAX_SCAN_PAGES = 100;
/** Reads messages with bounded parallelism, in order; a message deleted meanwhile comes back undefined. */
export async function readMessages(
	this: MftContext,
	side: Side,
	ids: string[],
): Promise<Array<IDataObject | undefined>> {
	const pool = new TaskPool<IDataObject | undefined>(MAX_IN_FLIGHT, accountThrottle(this));
	for (const id of ids)
		pool.add(async () => await readMessage.call(this, side, id, { notFoundOk: true }));
	return await pool.results();
}

/**
 * Reads a folder newest first down to `lower` and returns the messages in that window not handled yet.
 * Lists are sorted by timestamp and give ids only, so an unknown id's timestamp is read once (and
 * cached; handled ids carry theirs); the scan ends at the first id older than `lower`. A quiet poll whose window fits in one page
 * costs one list request. Ids seen twice (pages shift while messages arrive) count once.
 */
export async function scanWindow(
	this: MftContext,
	folder: Folder,
	lower: number,
	handled: Map<string, number>,
	cache: TimestampCache,
): Promise<Candidate[]> {
	const candidates: Candidate[] = [];
	const timestamp = (id: string) => handled.get(id) ?? cache.get(id);
	for await (const page of listPages.call(this, {
		path: folder.path,
		qs: { ...folder.qs, sortDir: 'desc' },
		maxPages: MAX_SCAN_PAGES,
	})) {
		const unknown = page.filter((id) => timestamp(id) === undefined);
		const read = new Map<string, IDataObject>();
		(await readMessages.call(this, folder.side, unknown)).forEach((message, index) => {
			if (!message) return; // deleted since it was listed
			read.set(unknown[index], message);
			cache.set(unknown[index], timestampOf(message));
		});
		for (const id of page) {
			const ts = timestamp(id);
			if (ts === undefined) continue;
			if (ts < lower) return candidates;
			if (!handled.has(id)) candidates.push({ id, ts, message: read.get(id) });
		}
	}
	return candidates;
}

/**
 * One step of emitting the messages that existed at activation, oldest first from `page` on: up to `max`
 * ids not handled yet. Index pages of an oldest-first list stay put while new messages arrive (they are
 * appended), so each poll goes on where the last one stopped: draining N messages costs about N/100
 * list requests and N reads.
 */
export async function drainStep(
	this: MftContext,
	folder: Folder,
	page: number,
	handled: Set<string>,
	max: number,
): Promise<{ ids: string[]; page: number; finished: boolean }> {
	const ids: string[] = [];
	let index = page;
	for await (const ids_ of listPages.call(this, {
		path: folder.path,
		qs: { ...folder.qs, sortDir: 'asc' },
		firstPage: page,
	})) {
		for (const [position, id] of ids_.entries()) {
			if (handled.has(id)) continue;
			ids.push(id);
			// A page taken to its end is not listed again.
			if (ids.length >= max)
				return { ids, page: position === ids_.length - 1 ? index + 1 : index, finished: false };
		}
		index++;
	}
	return { ids, page: index, finished: true };
}

/**
 * Read-flag mode: the unread list is the truth. Lists it oldest first and returns up to `max` ids that
 * are neither waiting to be marked read nor to be ignored; `complete` tells whether the whole list was
 * seen (then `seen` holds every unread id).
 */
export async function unreadStep(
	this: MftContext,
	folder: Folder,
	skip: Set<string>,
	max: number,
): Promise<{ ids: string[]; complete: boolean; seen: Set<string> }> {
	const ids: string[] = [];
	const seen = new Set<string>();
	for await (const page of listPages.call(this, {
		path: folder.path,
		qs: { ...folder.qs, sortDir: 'asc', fetchAll: false },
		maxPages: MAX_SCAN_PAGES,
	})) {
		for (const id of page) {
			seen.add(id);
			if (skip.has(id)) continue;
			ids.push(id);
			if (ids.length >= max) return { ids, complete: false, seen };
		}
	}
	return { ids, complete: true, seen };
}
