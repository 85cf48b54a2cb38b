import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { splitIds } from '../../helpers/output';
import { normaliseMessageId, type Side } from '../../transport/ids';
import { apiRequest } from '../../transport/request';
import { boxField, item, show } from '../common';

/** The API deletes at most 100 messages per call. */
export const DELETE_BATCH_SIZE = 100;

export const description: INodeProperties[] = [
	{
		displayName:
			'Deleted messages cannot be restored: MFT Gateway removes them and their files for good',
		name: 'deleteManyNotice',
		type: 'notice',
		default: '',
		displayOptions: show('message', ['deleteMany']),
	},
	boxField('message', ['deleteMany']),
	{
		displayName: 'Message IDs',
		name: 'messageIds',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		placeholder: '<1594924294698@mftgateway.com>, <1594924294699@mftgateway.com>',
		description:
			'IDs separated by commas or new lines, or an expression giving a list. Any number; they are sent in batches of 100.',
		displayOptions: show('message', ['deleteMany']),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const box = this.getNodeParameter('box', i) as Side;
	const ids = [
		...new Set(
			splitIds(this.getNodeParameter('messageIds', i)).map((id) =>
				normaliseMessageId(this.getNode(), id, i, 'Message IDs'),
			),
		),
	];
	if (ids.length === 0) {
		throw new NodeOperationError(this.getNode(), 'Message IDs is empty', {
			itemIndex: i,
			description: 'Give at least one message ID.',
		});
	}
	const deleted: string[] = [];
	for (let start = 0; start < ids.length; start += DELETE_BATCH_SIZE) {
		const batch = ids.slice(start, start + DELETE_BATCH_SIZE);
		// A 404 ("Unable to find messages") means none of this batch exists (any more); the rest go on.
		const answer = await apiRequest.call(this, {
			method: 'POST',
			path: `/message/${box}/delete`,
			body: { messageIdentifiers: batch },
			service: true,
			retry: 'idempotent', // deleting the same ids again deletes nothing more
			notFoundOk: true,
			action: `Delete ${batch.length} messages from the ${box}`,
			itemIndex: i,
		});
		if (Array.isArray(answer.deleted)) deleted.push(...(answer.deleted as string[]));
	}
	const gone = new Set(deleted);
	return [
		item(
			{
				box,
				requested: ids.length,
				deletedCount: gone.size,
				deleted,
				notFound: ids.filter((id) => !gone.has(id)),
			},
			i,
		),
	];
}
