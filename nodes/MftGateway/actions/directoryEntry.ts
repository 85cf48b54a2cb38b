import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { as2IdentifierOf, type DirectoryKind, listDirectory } from '../transport/directory';
import { item, type Operation, show } from './common';
import { locatorField, locatorValue } from './locators';

/** One station or partner by AS2 identifier, looked up in the account's list (the API documents no single GET). */
export async function findInDirectory(
	this: IExecuteFunctions,
	kind: DirectoryKind,
	value: unknown,
	i: number,
): Promise<IDataObject> {
	const label = kind === 'station' ? 'Station' : 'Partner';
	const identifier = String(value ?? '').trim();
	if (!identifier)
		throw new NodeOperationError(this.getNode(), `${label} AS2 Identifier is empty`, {
			itemIndex: i,
			description: `Give the AS2 identifier of the ${kind}.`,
		});
	const entries = await listDirectory.call(this, kind, i);
	const found = entries.find((entry) => as2IdentifierOf(entry) === identifier);
	if (!found) {
		const near = entries.find(
			(entry) => as2IdentifierOf(entry).toLowerCase() === identifier.toLowerCase(),
		);
		throw new NodeOperationError(
			this.getNode(),
			`No ${kind} has the AS2 identifier "${identifier}"`,
			{
				itemIndex: i,
				description: near
					? `AS2 identifiers are case-sensitive: did you mean "${as2IdentifierOf(near)}"?`
					: `${label} → Get Many lists the ${kind}s of this account (${entries.length}).`,
			},
		);
	}
	return found;
}

/** The Get operation of a station or partner: one field, the AS2 identifier. */
export function directoryGetOperation(
	kind: DirectoryKind,
	placeholder: string,
	description: string,
): Operation {
	const field: INodeProperties = {
		displayName: kind === 'station' ? 'Station' : 'Partner',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder,
		description,
		displayOptions: show(kind, ['get']),
	};
	return {
		// A new operation: no saved workflow has a plain-text value here, so every version gets the list.
		description: [locatorField(kind, field)],
		async execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
			return [
				item(
					await findInDirectory.call(
						this,
						kind,
						locatorValue(this.getNodeParameter('identifier', i)),
						i,
					),
					i,
				),
			];
		},
	};
}
