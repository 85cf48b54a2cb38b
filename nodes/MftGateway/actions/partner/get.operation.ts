import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findInDirectory } from '../directoryEntry';
import { item, show } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Partner AS2 Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'PARTNER_AS2_ID',
		description: 'The AS2 identifier of the trading partner (case-sensitive)',
		displayOptions: show('partner', ['get']),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return [item(await findInDirectory.call(this, 'partner', this.getNodeParameter('identifier', i), i), i)];
}
