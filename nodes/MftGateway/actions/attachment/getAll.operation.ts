import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { downloadAttachments, listAttachments } from '../../helpers/attachments';
import { normaliseMessageId, type Side } from '../../transport/ids';
import { boxField, item, messageIdField, show } from '../common';

const op = ['getAll'];

export const description: INodeProperties[] = [
	boxField('attachment', op),
	messageIdField('attachment', op),
	{
		displayName: 'Output',
		description:
			'Whether to download the files into binary data or only return their pre-signed links (valid 10 minutes)',
		name: 'output',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Binary Files',
				value: 'binary',
				description: 'Download each attachment into a binary property',
			},
			{
				name: 'Download URLs',
				value: 'urls',
				description:
					'The pre-signed URLs with the file names. Each URL is a 10-minute access link: treat it as a secret.',
			},
		],
		default: 'binary',
		displayOptions: show('attachment', op),
	},
	{
		displayName: 'Put Files In',
		description: 'One output item per file, or all files of the message in one item',
		name: 'binaryMode',
		type: 'options',
		options: [
			{
				name: 'One Item per Attachment',
				value: 'separate',
				description: 'Each file in property "data" of its own item',
			},
			{
				name: 'All on One Item',
				value: 'single',
				description: 'Properties named prefix + index (attachment_0, attachment_1, …)',
			},
		],
		default: 'separate',
		displayOptions: show('attachment', op, { output: ['binary'] }),
	},
	{
		displayName: 'Put Output File in Field',
		description: 'One item per file: the binary field each file goes in',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		hint: 'The name of the output binary field to put the file in',
		displayOptions: show('attachment', op, { output: ['binary'], binaryMode: ['separate'] }),
	},
	{
		displayName: 'Put Output Files in Fields Starting With',
		description:
			'All files in one item: they go in binary fields named with this prefix and a number (attachment_0, attachment_1, …)',
		name: 'binaryPrefix',
		type: 'string',
		default: 'attachment_',
		displayOptions: show('attachment', op, { output: ['binary'], binaryMode: ['single'] }),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const box = this.getNodeParameter('box', i) as Side;
	const id = normaliseMessageId(this.getNode(), this.getNodeParameter('messageId', i), i);
	if (this.getNodeParameter('output', i) === 'urls') {
		const links = await listAttachments.call(this, box, id, i);
		return links.map((a, index) =>
			item({ messageIdentifier: id, index, name: a.name, url: a.url }, i),
		);
	}
	const files = (await downloadAttachments.call(this, box, id, i)).map((f, index) => ({
		...f,
		index,
	}));
	if (this.getNodeParameter('binaryMode', i) === 'single') {
		const prefix = this.getNodeParameter('binaryPrefix', i) as string;
		const binary: IBinaryKeyData = {};
		const names: IDataObject[] = [];
		for (const f of files) {
			binary[`${prefix}${f.index}`] = f.binary;
			names.push({
				property: `${prefix}${f.index}`,
				name: f.name,
				mimeType: f.binary.mimeType,
				size: f.binary.fileSize ?? null,
			});
		}
		return [item({ messageIdentifier: id, total: files.length, attachments: names }, i, binary)];
	}
	const property = this.getNodeParameter('binaryPropertyName', i) as string;
	return files.map((f) =>
		item({ messageIdentifier: id, index: f.index, name: f.name, mimeType: f.binary.mimeType }, i, {
			[property]: f.binary,
		}),
	);
}
