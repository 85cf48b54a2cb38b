import type { IDataObject } from 'n8n-workflow';

import { type MftContext, apiRequest } from './request';

export const MAX_PAGE_LENGTH = 100;

export interface ListQuery {
	/** `/message/inbox`, `/message/outbox/queued`, … */
	path: string;
	qs: IDataObject;
	/** Stop after this many ids; undefined = all. */
	limit?: number;
	/** Page size; the API allows 1–100. */
	pageLength?: number;
	action: string;
	itemIndex?: number;
}

/**
 * Pages through a message list: `pageOffset` is a page index, there is no total, so it stops at a
 * short page or at the limit. Returns the ids in the order the API gave them.
 */
export async function listMessageIds(this: MftContext, query: ListQuery): Promise<string[]> {
	const ids: string[] = [];
	const pageLength = Math.min(query.pageLength ?? MAX_PAGE_LENGTH, MAX_PAGE_LENGTH, query.limit ?? MAX_PAGE_LENGTH);
	for (let pageOffset = 0; ; pageOffset++) {
		const page = (await apiRequest.call(this, {
			method: 'GET',
			path: query.path,
			qs: { ...query.qs, pageLength, pageOffset },
			service: true,
			action: query.action,
			itemIndex: query.itemIndex,
		}));
		const messages = Array.isArray(page.messages) ? (page.messages as unknown[]).filter((id): id is string => typeof id === 'string') : [];
		ids.push(...messages);
		if (query.limit !== undefined && ids.length >= query.limit) return ids.slice(0, query.limit);
		if (messages.length < pageLength) return ids;
	}
}
