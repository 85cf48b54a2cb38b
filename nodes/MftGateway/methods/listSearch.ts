import type {
	IDataObject,
	ILoadOptionsFunctions,
	INodeListSearchItems,
	INodeListSearchResult,
} from 'n8n-workflow';

import { as2IdentifierOf, type DirectoryKind, listDirectory } from '../transport/directory';
import { apiRequest } from '../transport/request';

const matches = (filter: string | undefined, ...texts: string[]) =>
	!filter || texts.some((text) => text.toLowerCase().includes(filter.toLowerCase()));

async function searchDirectory(
	ctx: ILoadOptionsFunctions,
	kind: DirectoryKind,
	filter?: string,
): Promise<INodeListSearchResult> {
	const results: INodeListSearchItems[] = [];
	for (const entry of await listDirectory.call(ctx, kind)) {
		const identifier = as2IdentifierOf(entry);
		const name = String(entry.name ?? '');
		if (!identifier || !matches(filter, identifier, name)) continue;
		results.push({
			name: name && name !== identifier ? `${name} (${identifier})` : identifier,
			value: identifier,
		});
	}
	return { results: results.sort((a, b) => a.name.localeCompare(b.name)) };
}

/** "From list" for stations, partners and certificates, filled from the account; the search box filters by identifier or name. */
export const listSearch = {
	async searchStations(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return await searchDirectory(this, 'station', filter);
	},
	async searchPartners(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		return await searchDirectory(this, 'partner', filter);
	},
	async searchCertificates(
		this: ILoadOptionsFunctions,
		filter?: string,
	): Promise<INodeListSearchResult> {
		const answer = (await apiRequest.call(this, {
			method: 'GET',
			path: '/certificate',
			action: 'List certificates',
		})) as IDataObject | IDataObject[];
		const certificates = (Array.isArray(answer) ? answer : []) as IDataObject[];
		const results = certificates
			.map((c) => ({ alias: String(c.alias ?? ''), type: String(c.type ?? '') }))
			.filter((c) => c.alias && matches(filter, c.alias, c.type))
			.map((c) => ({ name: c.type ? `${c.alias} (${c.type})` : c.alias, value: c.alias }));
		return { results };
	},
};
