import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

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
		description: 'Inbox: messages partners sent you. Outbox: messages you sent (any state).',
		name: 'box',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Inbox (Received)',
				value: 'inbox',
				description: 'A message a partner sent to one of your stations',
			},
			{
				name: 'Outbox (Sent)',
				value: 'outbox',
				description: 'A message you sent: queued, sent, failed or incomplete',
			},
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

export const item = (
	json: IDataObject,
	itemIndex: number,
	binary?: INodeExecutionData['binary'],
): INodeExecutionData => ({
	json,
	...(binary ? { binary } : {}),
	pairedItem: { item: itemIndex },
});

/**
 * Reads a number parameter and checks it, since expressions bypass the editor's min/max: a non-number,
 * or a value out of range, is an error that names the field and says what is allowed.
 */
export function numberParam(
	ctx: IExecuteFunctions,
	name: string,
	label: string,
	itemIndex: number,
	rule: { min: number; max?: number; integer?: boolean },
	fallback?: number,
): number {
	const raw = ctx.getNodeParameter(name, itemIndex, fallback) as unknown;
	const value = typeof raw === 'string' && raw.trim() !== '' ? Number(raw) : raw;
	const ok =
		typeof value === 'number' &&
		Number.isFinite(value) &&
		value >= rule.min &&
		(rule.max === undefined || value <= rule.max) &&
		(!rule.integer || Number.isInteger(value));
	if (!ok) {
		const range = `${rule.integer ? 'a whole number' : 'a number'} ${rule.max === undefined ? `of at least ${rule.min}` : `from ${rule.min} to ${rule.max}`}`;
		throw new NodeOperationError(
			ctx.getNode(),
			`${label} must be ${range} (got ${JSON.stringify(raw)})`,
			{ itemIndex, description: `Set "${label}" to ${range}.` },
		);
	}
	return value as number;
}

/** The standard "Return All" + "Limit" pair of a Get Many operation. */
export function returnAllAndLimit(resource: string, operation: string[]): INodeProperties[] {
	return [
		{
			displayName: 'Return All',
			name: 'returnAll',
			type: 'boolean',
			default: false,
			description: 'Whether to return all results or only up to a given limit',
			displayOptions: show(resource, operation),
		},
		{
			displayName: 'Limit',
			name: 'limit',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 50,
			description: 'Max number of results to return',
			displayOptions: show(resource, operation, { returnAll: [false] }),
		},
	];
}

/** Return All / Limit as a number of results (undefined = all); read and checked before any request. */
export function limitParam(ctx: IExecuteFunctions, itemIndex: number): number | undefined {
	if (ctx.getNodeParameter('returnAll', itemIndex) as boolean) return undefined;
	return numberParam(ctx, 'limit', 'Limit', itemIndex, { min: 1, integer: true });
}
