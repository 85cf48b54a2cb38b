import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { item, show } from '../common';
import { locatorField, locatorValue, versioned } from '../locators';
import { certificateBase64, partnerSettingOptions, partnerSettingsBody } from './settings';

const op = ['update'];

const partnerField: INodeProperties = {
	displayName: 'Partner AS2 Identifier',
	name: 'identifier',
	type: 'string',
	required: true,
	default: '',
	description: 'Which partner to update (its AS2 identifier cannot be changed)',
	displayOptions: show('partner', op),
};

export const description: INodeProperties[] = [
	...versioned(partnerField, locatorField('partner', { ...partnerField, displayName: 'Partner' })),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: show('partner', op),
		options: (
			[
				...partnerSettingOptions,
				{
					displayName: 'Encryption Certificate',
					name: 'encryptionCertificate',
					type: 'string',
					default: '',
					description: 'New partner certificate, PEM or Base64',
				},
				{
					displayName: 'HTTPS Backup Certificate',
					name: 'httpsBackupCertificate',
					type: 'string',
					default: '',
					description:
						'A second TLS certificate that becomes active at the given time (certificate rollover)',
				},
				{
					displayName: 'HTTPS Backup Certificate Active From',
					name: 'httpsBackupCertActiveTimeStamp',
					type: 'dateTime',
					default: '',
					description: 'Required with a backup certificate',
				},
				{
					displayName: 'Name',
					description: 'A display name for the partner',
					name: 'name',
					type: 'string',
					default: '',
				},
				{
					displayName: 'URL',
					description: "The partner's AS2 endpoint URL (http or https)",
					name: 'url',
					type: 'string',
					default: '',
				},
			] as INodeProperties[]
		).sort((a, b) => a.displayName.localeCompare(b.displayName)),
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const identifier = locatorValue(this.getNodeParameter('identifier', i));
	if (!identifier)
		throw new NodeOperationError(node, 'Partner AS2 Identifier is empty', { itemIndex: i });
	const fields = { ...(this.getNodeParameter('updateFields', i, {}) as IDataObject) };
	if (Object.keys(fields).length === 0)
		throw new NodeOperationError(node, 'Nothing to update', {
			itemIndex: i,
			description: 'Add at least one field under Update Fields.',
		});
	const body: IDataObject = { identifier, ...partnerSettingsBody(node, fields, i) };
	for (const [key, label] of [
		['encryptionCertificate', 'Encryption Certificate'],
		['httpsBackupCertificate', 'HTTPS Backup Certificate'],
	] as const) {
		if (fields[key]) body[key] = certificateBase64(node, String(fields[key]), label, i);
	}
	if (fields.httpsBackupCertActiveTimeStamp) {
		const at = Date.parse(String(fields.httpsBackupCertActiveTimeStamp));
		if (Number.isNaN(at))
			throw new NodeOperationError(node, 'HTTPS Backup Certificate Active From is not a date', {
				itemIndex: i,
			});
		body.httpsBackupCertActiveTimeStamp = at;
	}
	if (body.httpsBackupCertificate && !body.httpsBackupCertActiveTimeStamp) {
		throw new NodeOperationError(
			node,
			'HTTPS Backup Certificate needs "HTTPS Backup Certificate Active From"',
			{ itemIndex: i, description: 'Say from when MFT Gateway should use the backup certificate.' },
		);
	}
	const answer = await apiRequest.call(this, {
		method: 'PUT',
		path: '/partner',
		service: true,
		body,
		retry: 'idempotent',
		action: `Update partner ${identifier}`,
		notFoundHint: 'No partner has this AS2 identifier.',
		invalidHint: 'See the errors listed: fix those fields and run again.',
		itemIndex: i,
	});
	return [item({ ...(answer as IDataObject), identifier }, i)];
}
