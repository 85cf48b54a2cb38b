import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['attachment'] } },
		options: [
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'Get the files of a message',
				action: 'Get many attachments',
			},
		],
		default: 'getAll',
	},
	...getAll.description,
];
