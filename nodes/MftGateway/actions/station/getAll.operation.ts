import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { item, numberParam, show } from '../common';

const op = ['getAll'];

export const description: INodeProperties[] = [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: show('station', op),
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: show('station', op, { returnAll: [false] }),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const answer = await apiRequest.call(this, { method: 'GET', path: '/station', action: 'List stations', itemIndex: i });
	// Shape seen in real clients: {"stations": [...]}; a bare array is accepted too.
	const stations = (Array.isArray(answer) ? answer : ((answer.stations as IDataObject[]) ?? [])) as IDataObject[];
	const returnAll = this.getNodeParameter('returnAll', i) as boolean;
	return (returnAll ? stations : stations.slice(0, numberParam(this, 'limit', 'Limit', i, { min: 1, integer: true }))).map((s) => item(s, i));
}
