import type { IDataObject, INodeProperties } from 'n8n-workflow';

export type LocatorKind = 'station' | 'partner' | 'certificate';

const SEARCH: Record<LocatorKind, { method: string; placeholder: string; byLabel: string }> = {
	station: { method: 'searchStations', placeholder: 'MYSTATION', byLabel: 'By AS2 Identifier' },
	partner: {
		method: 'searchPartners',
		placeholder: 'PARTNER_AS2_ID',
		byLabel: 'By AS2 Identifier',
	},
	certificate: {
		method: 'searchCertificates',
		placeholder: 'f54967f4-23fb-4b1a-9759-ba6b94cd7922',
		byLabel: 'By Alias',
	},
};

/**
 * A field that picks a station, partner or certificate from the account's list, or takes its identifier
 * (typed or from an expression). Node version 2 on; version 1 keeps the plain text field it was saved with.
 */
export function locatorField(
	kind: LocatorKind,
	base: Omit<INodeProperties, 'type' | 'default'> & { default?: unknown },
): INodeProperties {
	const search = SEARCH[kind];
	return {
		...base,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: search.method, searchable: true },
			},
			{ displayName: search.byLabel, name: 'id', type: 'string', placeholder: search.placeholder },
		],
	} as INodeProperties;
}

/** The identifier from a locator value (`{ __rl, mode, value }`) or from a version 1 plain string. */
export function locatorValue(raw: unknown): string {
	if (raw && typeof raw === 'object' && 'value' in (raw as IDataObject))
		return String((raw as IDataObject).value ?? '').trim();
	return String(raw ?? '').trim();
}

/** The field as a locator (version 2) or as it was (version 1). */
export function locatorIf(
	locators: boolean,
	kind: LocatorKind,
	field: INodeProperties,
): INodeProperties {
	return locators ? locatorField(kind, field) : field;
}

/** Version-dependent property pair: the version 1 field as it was, and its version 2 replacement. */
export function versioned(v1: INodeProperties, v2: INodeProperties): INodeProperties[] {
	const at = (property: INodeProperties, versions: number[]): INodeProperties => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, '@version': versions },
		},
	});
	return [at(v1, [1]), at(v2, [2])];
}
