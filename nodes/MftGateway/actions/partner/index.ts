import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as create from './create.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as update from './update.operation';

export const operations: Record<string, Operation> = { create, get, getAll, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['partner'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create an AS2 trading partner',
				action: 'Create a partner',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a trading partner by AS2 identifier',
				action: 'Get a partner',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List your trading partners',
				action: 'Get many partners',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Change the settings of a trading partner',
				action: 'Update a partner',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...getAll.description,
	...update.description,
];
