import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as attachment from './actions/attachment';
import * as certificate from './actions/certificate';
import * as mdn from './actions/mdn';
import * as message from './actions/message';
import * as partner from './actions/partner';
import { router } from './actions/router';
import { listSearch } from './methods/listSearch';
import * as station from './actions/station';

export class MftGateway implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MFT Gateway',
		name: 'mftGateway',
		icon: {
			light: 'file:../../icons/mftGateway.svg',
			dark: 'file:../../icons/mftGateway.dark.svg',
		},
		group: ['transform'],
		// Version 2: stations, partners and certificates are picked from the account's lists.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ ({ send: "Send", get: "Get", getAll: "Get many", markUnread: "Mark as unread", delete: "Delete", deleteMany: "Delete many", create: "Create", update: "Update" }[$parameter["operation"]] ?? $parameter["operation"]) + " " + ($parameter["operation"] === "getAll" || $parameter["operation"] === "deleteMany" ? ({ message: "messages", attachment: "attachments", certificate: "certificates", station: "stations", partner: "partners", mdn: "MDNs" }[$parameter["resource"]]) : ({ message: "message", attachment: "attachment", certificate: "certificate", station: "station", partner: "partner", mdn: "MDN" }[$parameter["resource"]])) }}',
		description:
			'Send and receive AS2 messages (EDI X12, EDIFACT) with trading partners through MFT Gateway',
		defaults: { name: 'MFT Gateway' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mftGatewayApi', required: true }],
		properties: [
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Attachment', value: 'attachment' },
					{ name: 'Certificate', value: 'certificate' },
					{ name: 'MDN', value: 'mdn' },
					{ name: 'Message', value: 'message' },
					{ name: 'Partner', value: 'partner' },
					{ name: 'Station', value: 'station' },
				],
				default: 'message',
			},
			...message.description,
			...attachment.description,
			...mdn.description,
			...certificate.description,
			...station.description,
			...partner.description,
		],
	};

	methods = { listSearch };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
