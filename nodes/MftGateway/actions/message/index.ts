import type { INodeProperties } from 'n8n-workflow';

import type { Operation } from '../common';
import * as del from './delete.operation';
import * as deleteMany from './deleteMany.operation';
import * as get from './get.operation';
import * as getAll from './getAll.operation';
import * as markUnread from './markUnread.operation';
import * as send from './send.operation';

export const operations: Record<string, Operation> = {
	delete: del,
	deleteMany,
	get,
	getAll,
	markUnread,
	send,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Delete',
				value: 'delete',
				description: 'Permanently delete a message from the inbox or outbox (cannot be undone)',
				action: 'Delete a message',
			},
			{
				name: 'Delete Many',
				value: 'deleteMany',
				description:
					'Permanently delete any number of messages, in batches of 100 (cannot be undone)',
				action: 'Delete many messages',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get a received or sent message by ID',
				action: 'Get a message',
			},
			{
				name: 'Get Many',
				value: 'getAll',
				description: 'List messages in a folder',
				action: 'Get many messages',
			},
			{
				name: 'Mark as Unread',
				value: 'markUnread',
				description: 'Clear the API read flag of a received message',
				action: 'Mark a message as unread',
			},
			{
				name: 'Send',
				value: 'send',
				description: 'Send a file to a trading partner over AS2',
				action: 'Send a message',
			},
		],
		default: 'send',
	},
	...Object.values(operations).flatMap((o) => o.description),
];
