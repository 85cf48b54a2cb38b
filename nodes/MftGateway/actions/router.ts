import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asNodeError } from '../transport/errors';

import * as attachment from './attachment';
import * as certificate from './certificate';
import type { Operation } from './common';
import * as mdn from './mdn';
import * as message from './message';
import * as partner from './partner';
import * as station from './station';

const RESOURCES: Record<string, Record<string, Operation>> = {
	attachment: attachment.operations,
	certificate: certificate.operations,
	mdn: mdn.operations,
	message: message.operations,
	partner: partner.operations,
	station: station.operations,
};

/** Runs the chosen operation for every input item; with "Continue on Fail", a failing item becomes an error item. */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const output: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		const resource = this.getNodeParameter('resource', i) as string;
		const operationName = this.getNodeParameter('operation', i) as string;
		const operation = RESOURCES[resource]?.[operationName];
		try {
			if (!operation)
				throw new NodeOperationError(
					this.getNode(),
					`The operation "${operationName}" is not supported for "${resource}"`,
					{ itemIndex: i },
				);
			output.push(...(await operation.execute.call(this, i)));
		} catch (error) {
			if (this.continueOnFail()) {
				output.push({
					json: {
						error: (error as Error).message,
						...((error as { description?: string }).description
							? { errorDescription: (error as { description?: string }).description }
							: {}),
					},
					pairedItem: { item: i },
				});
				continue;
			}
			throw asNodeError(this.getNode(), error, i);
		}
	}
	return [output];
}
