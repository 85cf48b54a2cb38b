import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { findInDirectory } from '../directoryEntry';
import { item, show } from '../common';

export const description: INodeProperties[] = [
	{
		displayName: 'Station AS2 Identifier',
		name: 'identifier',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'MYSTATION',
		description: 'The AS2 identifier of one of your stations (case-sensitive)',
		displayOptions: show('station', ['get']),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	return [item(await findInDirectory.call(this, 'station', this.getNodeParameter('identifier', i), i), i)];
}
