import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, itemIndex: number): Promise<INodeExecutionData[]>;
}

export const show = (resource: string, operation: string[], extra: IDataObject = {}) => ({
	show: { resource: [resource], operation, ...extra },
});

/** Inbox (received) or outbox (sent, queued, failed, incomplete). */
export function boxField(resource: string, operation: string[]): INodeProperties {
	return {
		displayName: 'Box',
		name: 'box',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Inbox (Received)', value: 'inbox', description: 'A message a partner sent to one of your stations' },
			{ name: 'Outbox (Sent)', value: 'outbox', description: 'A message you sent: queued, sent, failed or incomplete' },
		],
		default: 'inbox',
		displayOptions: show(resource, operation),
	};
}

export function messageIdField(resource: string, operation: string[]): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '<1594924294698@mftgateway.com>',
		description: 'The AS2 message ID, with or without the angle brackets',
		displayOptions: show(resource, operation),
	};
}

export const item = (json: IDataObject, itemIndex: number, binary?: INodeExecutionData['binary']): INodeExecutionData => ({
	json,
	...(binary ? { binary } : {}),
	pairedItem: { item: itemIndex },
});
