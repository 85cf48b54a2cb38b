import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { item, limitParam, returnAllAndLimit } from '../common';

const op = ['getAll'];

export const description: INodeProperties[] = [
	...returnAllAndLimit('station', op),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const limit = limitParam(this, i);
	const answer = await apiRequest.call(this, { method: 'GET', path: '/station', action: 'List stations', itemIndex: i });
	// Shape seen in real clients: {"stations": [...]}; a bare array is accepted too.
	const stations = (Array.isArray(answer) ? answer : ((answer.stations as IDataObject[]) ?? [])) as IDataObject[];
	return stations.slice(0, limit).map((s) => item(s, i));
}
