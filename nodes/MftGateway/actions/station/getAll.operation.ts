import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listDirectory } from '../../transport/directory';
import { item, limitParam, returnAllAndLimit } from '../common';

const op = ['getAll'];

export const description: INodeProperties[] = [...returnAllAndLimit('station', op)];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const limit = limitParam(this, i);
	return (await listDirectory.call(this, 'station', i))
		.slice(0, limit)
		.map((station) => item(station, i));
}
