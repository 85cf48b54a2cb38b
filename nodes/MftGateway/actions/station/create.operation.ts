import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { apiRequest } from '../../transport/request';
import { item, show } from '../common';

const op = ['create'];
const at = (extra: IDataObject = {}) => show('station', op, extra);

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		description: 'A display name for the station',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		displayOptions: at(),
	},
	{
		displayName: 'AS2 Identifier',
		name: 'as2Identifier',
		type: 'string',
		required: true,
		default: '',
		description: 'The AS2-From your partners will see; cannot be changed later',
		displayOptions: at(),
	},
	{
		displayName: 'Email',
		name: 'email',
		type: 'string',
		placeholder: 'name@email.com',
		required: true,
		default: '',
		description: 'Notification addresses, up to 3, separated by commas',
		displayOptions: at(),
	},
	{
		displayName: 'Certificate',
		description:
			"The station's AS2 certificate: a new self-signed one made by MFT Gateway, or one already in the account",
		name: 'certificateType',
		type: 'options',
		options: [
			{ name: 'Existing Certificate (By Alias)', value: 'FROM_CERTIFICATE_STORE' },
			{ name: 'New Self-Signed Certificate', value: 'NEW_SELF_SIGN_CERTIFICATE' },
		],
		default: 'NEW_SELF_SIGN_CERTIFICATE',
		displayOptions: at(),
	},
	{
		displayName: 'Certificate Alias',
		description:
			'Alias of a certificate already in the account (Certificate → Get Many lists them)',
		name: 'certificateAlias',
		type: 'string',
		required: true,
		default: '',
		displayOptions: at({ certificateType: ['FROM_CERTIFICATE_STORE'] }),
	},
	{
		displayName: 'Common Name',
		name: 'commonName',
		type: 'string',
		required: true,
		default: '',
		description: 'CN of the new certificate, usually your company or station name',
		displayOptions: at({ certificateType: ['NEW_SELF_SIGN_CERTIFICATE'] }),
	},
	{
		displayName: 'Private Key Password',
		name: 'keyPassword',
		type: 'string',
		typeOptions: { password: true },
		required: true,
		default: '',
		description:
			'Password that protects the private key of the new certificate; MFT Gateway requires one. Keep it: it is needed to export the key.',
		displayOptions: at({ certificateType: ['NEW_SELF_SIGN_CERTIFICATE'] }),
	},
	{
		displayName: 'Certificate Details',
		name: 'certificateDetails',
		type: 'collection',
		placeholder: 'Add Detail',
		default: {},
		displayOptions: at({ certificateType: ['NEW_SELF_SIGN_CERTIFICATE'] }),
		options: [
			{
				displayName: 'City',
				description: 'City (L) in the certificate subject',
				name: 'city',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Country',
				description: 'Country (C, two letters) in the certificate subject',
				name: 'country',
				type: 'string',
				default: '',
				placeholder: 'US',
			},
			{
				displayName: 'Key Length',
				description: 'RSA key length in bits',
				name: 'keyLength',
				type: 'options',
				options: [
					{ name: '1024', value: 1024 },
					{ name: '2048', value: 2048 },
					{ name: '4096', value: 4096 },
				],
				default: 2048,
			},
			{
				displayName: 'Organization',
				description: 'Organization (O) in the certificate subject',
				name: 'orgName',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Organizational Unit',
				description: 'Organizational unit (OU) in the certificate subject',
				name: 'orgUnit',
				type: 'string',
				default: '',
			},
			{
				displayName: 'State',
				description: 'State or province (ST) in the certificate subject',
				name: 'state',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Validity (Years)',
				description: 'How many years the certificate is valid',
				name: 'validity',
				type: 'options',
				options: [
					{ name: '1', value: 1 },
					{ name: '10', value: 10 },
					{ name: '2', value: 2 },
					{ name: '5', value: 5 },
					{ name: '8', value: 8 },
				],
				default: 1,
			},
		],
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: at(),
		options: [
			{
				displayName: 'Description',
				description: 'A note for people in your team',
				name: 'description',
				type: 'string',
				default: '',
			},
			{
				displayName: 'Failed Message Notifications',
				name: 'failedMessageNotifications',
				type: 'boolean',
				default: true,
				description: 'Whether to email when a message fails',
			},
			{
				displayName: 'Large Payload Support',
				name: 'largePayloadSupport',
				type: 'boolean',
				default: false,
				description:
					'Whether to receive payloads over 3 MB through a static IP (Business/Enterprise tier)',
			},
			{
				displayName: 'Received Message Notifications',
				name: 'receivedMessageNotifications',
				type: 'boolean',
				default: false,
				description: 'Whether to email when a message arrives',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const emails = String(this.getNodeParameter('email', i))
		.split(',')
		.map((e) => e.trim())
		.filter(Boolean);
	if (emails.length === 0 || emails.length > 3) {
		throw new NodeOperationError(
			this.getNode(),
			`Email must hold 1 to 3 addresses (got ${emails.length})`,
			{ itemIndex: i, description: 'Separate addresses with commas.' },
		);
	}
	const type = this.getNodeParameter('certificateType', i) as string;
	let certificate: IDataObject;
	if (type === 'FROM_CERTIFICATE_STORE')
		certificate = { type, alias: this.getNodeParameter('certificateAlias', i) as string };
	else {
		const details = this.getNodeParameter('certificateDetails', i, {}) as IDataObject;
		// Workflows saved before the field existed kept the password under Certificate Details.
		const password = String(this.getNodeParameter('keyPassword', i, '') || details.password || '');
		if (!password) {
			throw new NodeOperationError(this.getNode(), 'Private Key Password is empty', {
				itemIndex: i,
				description:
					'MFT Gateway requires a password for the private key of a new self-signed certificate. Nothing was sent.',
			});
		}
		certificate = {
			type,
			commonName: this.getNodeParameter('commonName', i) as string,
			keyLength: 2048,
			validity: 1,
			...details,
			password,
		};
	}
	const body: IDataObject = {
		name: this.getNodeParameter('name', i) as string,
		as2Identifier: String(this.getNodeParameter('as2Identifier', i)).trim(),
		email: emails.join(','),
		certificate,
		...(this.getNodeParameter('additionalFields', i, {}) as IDataObject),
	};
	const answer = await apiRequest.call(this, {
		method: 'POST',
		path: '/station',
		body,
		action: `Create station ${body.as2Identifier as string}`,
		invalidHint: 'See the errors listed: fix those fields and run again.',
		itemIndex: i,
	});
	return [item({ ...(answer as IDataObject), as2Identifier: body.as2Identifier }, i)];
}
