import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { messagePath, normaliseMessageId } from '../../transport/ids';
import { apiRequest } from '../../transport/request';
import { item, messageIdField } from '../common';

export const description: INodeProperties[] = [messageIdField('message', ['markUnread'])];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const id = normaliseMessageId(this.getNode(), this.getNodeParameter('messageId', i), i);
	const answer = await apiRequest.call(this, {
		method: 'POST',
		path: messagePath('inbox', id, '/markUnread'),
		service: true,
		retry: 'idempotent', // marking unread twice has the same effect as once
		action: `Mark message ${id} as unread`,
		notFoundHint: 'No received message has this ID. Only inbox messages have a read flag.',
		itemIndex: i,
	});
	return [item({ messageIdentifier: id, markedUnread: true, message: answer.message ?? null }, i)];
}
