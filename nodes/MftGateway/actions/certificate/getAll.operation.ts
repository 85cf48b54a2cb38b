import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { item, numberParam, show } from '../common';

const op = ['getAll'];

export const description: INodeProperties[] = [
	{
		displayName: 'Type',
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
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show('certificate', op),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: show('certificate', op, { returnAll: [false] }),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const certType = this.getNodeParameter('certType', i) as string;
	const list = await apiRequest.call(this, {
		method: 'GET',
		path: '/certificate',
		qs: certType ? { certType } : {},
		action: 'List certificates',
		itemIndex: i,
	});
	const certificates = (Array.isArray(list) ? list : []) as IDataObject[];
	const returnAll = this.getNodeParameter('returnAll', i) as boolean;
	const shown = returnAll ? certificates : certificates.slice(0, numberParam(this, 'limit', 'Limit', i, { min: 1, integer: true }));
	return shown.map((c) => item(c, i));
}
