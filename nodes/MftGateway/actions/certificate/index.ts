import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['certificate'] } },
		options: [
			{
				name: 'Get',
				value: 'get',
				description: 'Get the details of a certificate',
				action: 'Get a certificate',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List certificates',
				action: 'Get many certificates',
			},
		],
		default: 'getAll',
	},
	...get.description,
	...getAll.description,
];
