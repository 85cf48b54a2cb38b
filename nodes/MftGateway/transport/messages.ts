import type { IDataObject } from 'n8n-workflow';

import { messagePath, type Side } from './ids';
import { type MftContext, apiRequest, apiRequestFull } from './request';

/** The API allows 1 to 100 ids per list page. */
export const MAX_PAGE_LENGTH = 100;
/** Most pages one listing reads (1,000,000 ids): a server that never answers a short page cannot loop us. */
const MAX_PAGES = 10_000;
/** Full pages in a row that bring no new id: the server is not paging (or a flood shifts every page); stop. */
const MAX_STALE_PAGES = 3;

export interface ListQuery {
	/** `/message/inbox`, `/message/outbox/queued`, … */
	path: string;
	qs: IDataObject;
	/** Stop after this many ids; undefined = all. */
	limit?: number;
	/** Page size; the API allows 1–100. */
	pageLength?: number;
	/** The page to start at (0 = the first). */
	firstPage?: number;
	/** At most this many pages (default and ceiling MAX_PAGES). */
	maxPages?: number;
	action?: string;
	itemIndex?: number;
}

/**
 * The one paginator: yields each page's ids as it arrives, every id once. `pageOffset` is a page index
 * and there is no total or cursor, so a message that arrives between two requests shifts the pages and
 * its neighbour comes twice; it is dropped the second time. Stops at a short page, the limit, or the
 * page bound. A consumer may stop early (`break`), and no further page is asked for.
 */
export async function* listPages(this: MftContext, query: ListQuery): AsyncGenerator<string[]> {
	const seen = new Set<string>();
	const pageLength = Math.min(
		query.pageLength ?? MAX_PAGE_LENGTH,
		MAX_PAGE_LENGTH,
		query.limit ?? MAX_PAGE_LENGTH,
	);
	let stale = 0;
	const first = query.firstPage ?? 0;
	const end = first + Math.min(query.maxPages ?? MAX_PAGES, MAX_PAGES);
	for (let pageOffset = first; pageOffset < end; pageOffset++) {
		const page = await apiRequest.call(this, {
			method: 'GET',
			path: query.path,
			qs: { ...query.qs, pageLength, pageOffset },
			service: true,
			action: query.action ?? `List messages in ${query.path}`,
			itemIndex: query.itemIndex,
		});
		const ids = Array.isArray(page.messages)
			? (page.messages as unknown[]).filter((id): id is string => typeof id === 'string')
			: [];
		const fresh = ids.filter((id) => !seen.has(id));
		fresh.forEach((id) => seen.add(id));
		const room =
			query.limit === undefined ? fresh.length : query.limit - (seen.size - fresh.length);
		yield fresh.slice(0, Math.max(0, room));
		if (ids.length < pageLength || (query.limit !== undefined && seen.size >= query.limit)) return;
		stale = fresh.length === 0 ? stale + 1 : 0;
		if (stale >= MAX_STALE_PAGES) return;
	}
}

/** All ids of a listing (up to the limit), in the API's order, each once. */
export async function listMessageIds(this: MftContext, query: ListQuery): Promise<string[]> {
	const ids: string[] = [];
	for await (const page of listPages.call(this, query)) ids.push(...page);
	return ids;
}

export interface ReadOptions {
	/** Inbox only: sets the API read flag (the API's own default is true; ours is false). */
	markAsRead?: boolean;
	/** Answer undefined instead of an error when the message is gone (404). */
	notFoundOk?: boolean;
	action?: string;
	notFoundHint?: string;
	itemIndex?: number;
}

/** The one message reader: `GET /message/{inbox|outbox}/{id}`. Inbox reads leave the read flag alone unless told. */
export async function readMessage(
	this: MftContext,
	side: Side,
	id: string,
	options: ReadOptions = {},
): Promise<IDataObject | undefined> {
	const response = await apiRequestFull.call(this, {
		method: 'GET',
		path: messagePath(side, id),
		qs: side === 'inbox' ? { markAsRead: options.markAsRead === true } : {},
		service: true,
		notFoundOk: options.notFoundOk,
		action: options.action ?? `Get message ${id}`,
		notFoundHint: options.notFoundHint,
		itemIndex: options.itemIndex,
	});
	return response.statusCode === 404 ? undefined : response.body;
}

/** Like readMessage, for messages that must exist (a 404 is an error). */
export async function readExistingMessage(
	this: MftContext,
	side: Side,
	id: string,
	options: Omit<ReadOptions, 'notFoundOk'> = {},
): Promise<IDataObject> {
	return (await readMessage.call(this, side, id, options)) as IDataObject;
}

/** Clears the API read flag of a received message; a message deleted meanwhile is not an error. */
export async function markUnread(this: MftContext, id: string, itemIndex?: number): Promise<void> {
	await apiRequest.call(this, {
		method: 'POST',
		path: messagePath('inbox', id, '/markUnread'),
		service: true,
		retry: 'idempotent',
		notFoundOk: true,
		action: `Mark message ${id} as unread`,
		itemIndex,
	});
}

export const timestampOf = (message: IDataObject): number =>
	typeof message.timestamp === 'number' ? message.timestamp : Number(message.timestamp) || 0;
