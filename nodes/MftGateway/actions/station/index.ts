import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';

export const operations: Record<string, Operation> = { create, get, getAll };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['station'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create an AS2 station',
				action: 'Create a station',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get one of your stations by AS2 identifier',
				action: 'Get a station',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List your stations',
				action: 'Get many stations',
			},
		],
		default: 'getAll',
	},
	...create.description,
	...get.description,
	...getAll.description,
];
