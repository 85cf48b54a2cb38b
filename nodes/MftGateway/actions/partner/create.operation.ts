import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { item, show } from '../common';
import { certificateBase64, partnerSettingOptions, partnerSettingsBody } from './settings';

const op = ['create'];

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		displayOptions: show('partner', op),
	},
	{
		displayName: 'AS2 Identifier',
		name: 'as2Identifier',
		type: 'string',
		required: true,
		default: '',
		description: 'The partner AS2 ID (their AS2-From); cannot be changed through the API later',
		displayOptions: show('partner', op),
	},
	{
		displayName: 'URL',
		name: 'url',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'https://as2.partner.example/as2',
		description: 'The partner AS2 endpoint',
		displayOptions: show('partner', op),
	},
	{
		displayName: 'Encryption Certificate',
		name: 'encryptionCertificate',
		type: 'string',
		typeOptions: { rows: 4 },
		required: true,
		default: '',
		description: 'The partner public certificate, as PEM text or Base64',
		displayOptions: show('partner', op),
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('partner', op),
		options: partnerSettingOptions,
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const body: IDataObject = {
		name: this.getNodeParameter('name', i) as string,
		as2Identifier: String(this.getNodeParameter('as2Identifier', i)).trim(),
		url: String(this.getNodeParameter('url', i)).trim(),
		encryptionCertificate: certificateBase64(
			node,
			this.getNodeParameter('encryptionCertificate', i) as string,
			'Encryption Certificate',
			i,
		),
		...partnerSettingsBody(
			node,
			this.getNodeParameter('additionalFields', i, {}) as IDataObject,
			i,
		),
	};
	const answer = await apiRequest.call(this, {
		method: 'POST',
		path: '/partner',
		service: true,
		body,
		action: `Create partner ${body.as2Identifier as string}`,
		invalidHint: 'See the errors listed: fix those fields and run again.',
		itemIndex: i,
	});
	return [item({ ...(answer as IDataObject), as2Identifier: body.as2Identifier }, i)];
}
