import type { IDataObject } from 'n8n-workflow';

import { messagePath, type Side } from '../../MftGateway/transport/ids';
import { MAX_PAGE_LENGTH } from '../../MftGateway/transport/paging';
import { type MftContext, apiRequest } from '../../MftGateway/transport/request';
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

/** Most pages one poll reads from a folder: 10,000 ids. */
const MAX_PAGES = 100;

export async function listPage(this: MftContext, folder: Folder, pageOffset: number, pageLength = MAX_PAGE_LENGTH): Promise<string[]> {
	const page = await apiRequest.call(this, { method: 'GET', path: folder.path, qs: { ...folder.qs, sortDir: 'desc', pageLength, pageOffset }, service: true, action: `List messages in ${folder.path}` });
	return Array.isArray(page.messages) ? (page.messages as unknown[]).filter((id): id is string => typeof id === 'string') : [];
}

export async function readMessage(this: MftContext, side: Side, id: string): Promise<IDataObject> {
	return await apiRequest.call(this, {
		method: 'GET',
		path: messagePath(side, id),
		qs: side === 'inbox' ? { markAsRead: false } : {},
		service: true,
		action: `Get message ${id}`,
	});
}

export const timestampOf = (message: IDataObject): number => (typeof message.timestamp === 'number' ? message.timestamp : Number(message.timestamp) || 0);

export interface ScanResult {
	candidates: Candidate[];
	/**
	 * The oldest timestamp (at or above the floor) whose same-millisecond group crossed a page boundary.
	 * The API may order such ties differently from one request to the next, so a member can be missing from
	 * both pages: the floor must not pass this timestamp yet.
	 */
	unsettledTs?: number;
}

/**
 * Reads a folder newest first and returns the messages not handled yet: at or above `floor` and not in
 * `handled`. Lists give ids only, so an unknown id's timestamp is read once (and cached). It stops after
 * the first page whose last id is older than the floor: a quiet poll costs one list request (more only
 * while the newest same-millisecond burst is longer than a page). Ids seen twice (pages shift while new
 * messages arrive) count once.
 */
export async function scanFolder(this: MftContext, folder: Folder, floor: number, handled: Set<string>, cache: TimestampCache): Promise<ScanResult> {
	const seen = new Set<string>();
	const candidates: Candidate[] = [];
	let unsettledTs: number | undefined;
	let previousLastTs: number | undefined;
	for (let pageOffset = 0; pageOffset < MAX_PAGES; pageOffset++) {
		const ids = await listPage.call(this, folder, pageOffset);
		let firstTs: number | undefined;
		let lastTs = Number.POSITIVE_INFINITY;
		for (const id of ids) {
			let ts = cache.get(id);
			let message: IDataObject | undefined;
			if (ts === undefined) {
				message = await readMessage.call(this, folder.side, id);
				ts = timestampOf(message);
				cache.set(id, ts);
			}
			firstTs ??= ts;
			lastTs = ts;
			if (seen.has(id)) continue;
			seen.add(id);
			if (ts >= floor && !handled.has(id)) candidates.push({ id, ts, message });
		}
		if (previousLastTs !== undefined && firstTs === previousLastTs && previousLastTs >= floor) unsettledTs = Math.min(unsettledTs ?? previousLastTs, previousLastTs);
		previousLastTs = lastTs;
		// Ties at the floor may come in any order, so only a strictly older id ends the scan.
		if (ids.length < MAX_PAGE_LENGTH || lastTs < floor) break;
	}
	return { candidates, unsettledTs };
}
