import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as get from './get.operation';

export const operations: Record<string, Operation> = { get };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['mdn'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get, download and parse the MDN receipt of a message',
				action: 'Get an MDN',
			},
		],
		default: 'get',
	},
	...get.description,
];
