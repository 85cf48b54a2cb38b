import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { messageOutput, simplifyField } from '../../helpers/simplify';
import { normaliseMessageId, type Side } from '../../transport/ids';
import { readExistingMessage } from '../../transport/messages';
import { boxField, item, messageIdField, show } from '../common';

export const description: INodeProperties[] = [
	boxField('message', ['get']),
	messageIdField('message', ['get']),
	simplifyField({ resource: ['message'], operation: ['get'] }),
	{
		displayName: 'Mark as Read',
		name: 'markAsRead',
		type: 'boolean',
		default: true,
		description:
			'Whether to mark the message as read in the API (the API default). A read message no longer appears in Get Many unless "Include Already-Read Messages" is on; the MFT Gateway web app is not affected.',
		displayOptions: show('message', ['get'], { box: ['inbox'] }),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const box = this.getNodeParameter('box', i) as Side;
	const id = normaliseMessageId(this.getNode(), this.getNodeParameter('messageId', i), i);
	const message = await readExistingMessage.call(this, box, id, {
		markAsRead: box === 'inbox' && (this.getNodeParameter('markAsRead', i, true) as boolean),
		action: `Get message ${id} from the ${box}`,
		notFoundHint: `No message with this ID is in the ${box}. Check the ID and the Box (a message you sent is in the outbox).`,
		itemIndex: i,
	});
	const node = this.getNode();
	return [
		item(
			messageOutput(
				message,
				node.typeVersion,
				this.getNodeParameter('simplify', i, true) as boolean,
			),
			i,
		),
	];
}
