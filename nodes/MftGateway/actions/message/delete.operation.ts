import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { messagePath, normaliseMessageId, type Side } from '../../transport/ids';
import { apiRequest } from '../../transport/request';
import { boxField, item, messageIdField } from '../common';

export const description: INodeProperties[] = [
	boxField('message', ['delete']),
	messageIdField('message', ['delete']),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const box = this.getNodeParameter('box', i) as Side;
	const id = normaliseMessageId(this.getNode(), this.getNodeParameter('messageId', i), i);
	const answer = await apiRequest.call(this, {
		method: 'DELETE',
		path: messagePath(box, id),
		service: true,
		action: `Delete message ${id} from the ${box}`,
		notFoundHint: `No message with this ID is in the ${box} (already deleted?).`,
		itemIndex: i,
	});
	return [item({ deleted: (answer.deleted as string) ?? id, box }, i)];
}
