import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { item, limitParam, returnAllAndLimit, show } from '../common';

const op = ['getAll'];

export const description: INodeProperties[] = [
	{
		displayName: 'Type',
		description:
			'Which certificates to list: your own (station) certificates, partner certificates, or all',
		name: 'certType',
		type: 'options',
		options: [
			{ name: 'All', value: '' },
			{ name: 'HTTPS', value: 'HTTPS' },
			{ name: 'HTTPS Chain', value: 'HTTPS_CHAIN' },
			{ name: 'Partner', value: 'PARTNER' },
			{ name: 'Partner Chain', value: 'PARTNER_CHAIN' },
			{ name: 'Station', value: 'STATION' },
		],
		default: '',
		displayOptions: show('certificate', op),
	},
	...returnAllAndLimit('certificate', op),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const certType = this.getNodeParameter('certType', i) as string;
	const limit = limitParam(this, i);
	const list = await apiRequest.call(this, {
		method: 'GET',
		path: '/certificate',
		qs: certType ? { certType } : {},
		action: 'List certificates',
		itemIndex: i,
	});
	const certificates = (Array.isArray(list) ? list : []) as IDataObject[];
	return certificates.slice(0, limit).map((c) => item(c, i));
}
