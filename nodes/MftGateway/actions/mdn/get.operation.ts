import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { readMdn, type ReadMdn } from '../../as2/mdn';
import { downloadPresigned } from '../../transport/download';
import { messagePath, normaliseMessageId, type Side } from '../../transport/ids';
import { apiRequest } from '../../transport/request';
import { boxField, item, messageIdField, show } from '../common';
import { verifyFields, verifyForMessage } from './verify';

const op = ['get'];

export const description: INodeProperties[] = [
	{
		...boxField('mdn', op),
		description:
			'Inbox: the MDN your station sent for a received message. Outbox: the MDN the partner sent back.',
	},
	messageIdField('mdn', op),
	{
		displayName: 'Put Raw MDN in Field',
		description: 'Binary field for the MDN exactly as received (MIME, signed), for archiving',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'mdn',
		hint: 'The raw MDN (MIME) is also returned as a binary file in this field',
		displayOptions: show('mdn', op),
	},
	...verifyFields,
];

async function mdnUrl(this: IExecuteFunctions, box: Side, id: string, i: number): Promise<string> {
	const answer = await apiRequest.call(this, {
		method: 'GET',
		path: messagePath(box, id, '/mdn'),
		service: true,
		action: `Get the MDN of message ${id}`,
		notFoundHint:
			box === 'outbox'
				? 'No MDN yet: the message may still be queued, failed, or the partner sent no MDN (incomplete).'
				: 'No MDN for this ID in the inbox. Check the ID and the Box.',
		itemIndex: i,
	});
	if (typeof answer.url !== 'string')
		throw new NodeOperationError(
			this.getNode(),
			`MFT Gateway returned no MDN URL for message ${id}`,
			{ itemIndex: i },
		);
	return answer.url;
}

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const box = this.getNodeParameter('box', i) as Side;
	const id = normaliseMessageId(this.getNode(), this.getNodeParameter('messageId', i), i);
	const property = this.getNodeParameter('binaryPropertyName', i) as string;
	const url = await mdnUrl.call(this, box, id, i);
	const binary = await downloadPresigned.call(this, {
		url,
		fileName: 'mdn.raw',
		mimeType: 'message/disposition-notification',
		action: `Download the MDN of message ${id}`,
		itemIndex: i,
		renewUrl: async () => await mdnUrl.call(this, box, id, i),
	});
	// MDNs are a few kB: reading the stored copy back whole is fine.
	const raw = binary.id
		? await this.helpers.binaryToBuffer(await this.helpers.getBinaryStream(binary.id))
		: Buffer.from(binary.data, 'base64');
	let read: ReadMdn;
	try {
		read = readMdn(raw);
	} catch (error) {
		throw new NodeOperationError(
			this.getNode(),
			`The MDN of message ${id} could not be read: ${(error as Error).message}`,
			{
				itemIndex: i,
				description:
					'What MFT Gateway stored for this message is not an RFC 8098 MDN (an error page, or cut off). The MFT Gateway web app shows the MDN it received.',
			},
		);
	}
	const parsed: IDataObject = read.report;
	if (this.getNodeParameter('verifySignature', i, false) as boolean)
		Object.assign(parsed, await verifyForMessage.call(this, read, box, id, i));
	// The pre-signed URL is not output: it is a 10-minute bearer link, and the raw MDN is in the binary field.
	return [item({ messageIdentifier: id, box, ...parsed }, i, { [property]: binary })];
}
