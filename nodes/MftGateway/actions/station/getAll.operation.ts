import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { applyLimit, item, returnAllAndLimit } from '../common';

const op = ['getAll'];

export const description: INodeProperties[] = [
	...returnAllAndLimit('station', op),
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const answer = await apiRequest.call(this, { method: 'GET', path: '/station', action: 'List stations', itemIndex: i });
	// Shape seen in real clients: {"stations": [...]}; a bare array is accepted too.
	const stations = (Array.isArray(answer) ? answer : ((answer.stations as IDataObject[]) ?? [])) as IDataObject[];
	return applyLimit(this, stations, i).map((s) => item(s, i));
}
