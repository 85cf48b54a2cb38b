import type { IDataObject } from 'n8n-workflow';

import { type MftContext, apiRequest } from './request';

export type DirectoryKind = 'station' | 'partner';

const LIST: Record<DirectoryKind, { path: string; key: string; service: boolean; label: string }> =
	{
		station: { path: '/station', key: 'stations', service: false, label: 'stations' },
		partner: { path: '/partner', key: 'partners', service: true, label: 'partners' },
	};

/**
 * Every station or partner of the account. The reference shows `{"stations": [...]}` (a real client's
 * mock) and no partner list at all, so the answer is read tolerantly: `{stations|partners: [...]}` or a
 * bare array.
 */
export async function listDirectory(
	this: MftContext,
	kind: DirectoryKind,
	itemIndex?: number,
): Promise<IDataObject[]> {
	const list = LIST[kind];
	const answer = (await apiRequest.call(this, {
		method: 'GET',
		path: list.path,
		service: list.service,
		action: `List ${list.label}`,
		itemIndex,
	})) as IDataObject | IDataObject[];
	const entries = Array.isArray(answer) ? answer : answer[list.key];
	return Array.isArray(entries)
		? (entries as IDataObject[]).filter((e) => e && typeof e === 'object')
		: [];
}

/** The AS2 identifier of a station or partner entry, under the names the API has used. */
export function as2IdentifierOf(entry: IDataObject): string {
	return String(
		entry.identifier ?? entry.as2Identifier ?? entry.as2Id ?? entry.AS2Identifier ?? '',
	);
}
