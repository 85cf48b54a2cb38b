import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { listDirectory } from '../../transport/directory';
import { item, limitParam, returnAllAndLimit } from '../common';

export const description: INodeProperties[] = [...returnAllAndLimit('partner', ['getAll'])];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const limit = limitParam(this, i);
	return (await listDirectory.call(this, 'partner', i))
		.slice(0, limit)
		.map((partner) => item(partner, i));
}
