import type { IDataObject, INode, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { rejectControlCharacters } from '../../transport/ids';

const ENCRYPTION = [
	'AES128_CBC',
	'AES192_CBC',
	'AES256_CBC',
	'CAMELLIA128_CBC',
	'CAMELLIA192_CBC',
	'CAMELLIA256_CBC',
	'CAST5_CBC',
	'DES_EDE3_CBC',
	'ECDH_SHA1KDF',
	'RC2_CBC',
	'SEED_CBC',
];
const SIGNATURE = ['MD2', 'MD5', 'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512'];

/** Partner settings shared by Create and Update (names as the API takes them), sorted as n8n lists them. */
export const partnerSettingOptions: INodeProperties[] = [
	{
		displayName: 'Auto Retry Incomplete Messages',
		name: 'autoRetryIncompleteMessages',
		type: 'boolean',
		default: false,
		description:
			'Whether to resend messages whose MDN did not come in time (may duplicate messages at the partner)',
	},
	{
		displayName: 'Compress After Signing',
		name: 'compressAfter',
		type: 'boolean',
		default: false,
		description: 'Whether to compress after signing',
	},
	{
		displayName: 'Compress Before Signing',
		name: 'compressBefore',
		type: 'boolean',
		default: false,
		description: 'Whether to compress before signing',
	},
	{
		displayName: 'Custom Headers',
		description: 'Extra HTTP headers sent with every AS2 message to this partner',
		name: 'customHeaders',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		default: {},
		options: [
			{
				displayName: 'Header',
				name: 'header',
				values: [
					{ displayName: 'Name', name: 'headerName', type: 'string', default: '' },
					{ displayName: 'Value', name: 'headerValue', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Delete Attachments on Success MDN',
		name: 'deleteAttachmentsOnSuccessMdn',
		type: 'boolean',
		default: false,
		description: 'Whether MFT Gateway deletes the files once a positive MDN arrives',
	},
	{
		displayName: 'Description',
		description: 'A note for people in your team; not sent to the partner',
		name: 'description',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Encrypt Message',
		name: 'encryptMessage',
		type: 'boolean',
		default: true,
		description: 'Whether to encrypt messages to this partner',
	},
	{
		displayName: 'Encryption Algorithm',
		description: 'How AS2 messages to this partner are encrypted (agree on it with the partner)',
		name: 'encryptionAlgorithm',
		type: 'options',
		options: ENCRYPTION.map((v) => ({ name: v, value: v })),
		default: 'DES_EDE3_CBC',
	},
	{
		displayName: 'HTTPS Certificate',
		name: 'httpsCertificate',
		type: 'string',
		default: '',
		description: 'Base64 (or PEM) of the partner TLS certificate, when it is not publicly trusted',
	},
	{
		displayName: 'Message Subject',
		name: 'messageSubject',
		type: 'string',
		default: '',
		description: 'Default subject (1–128 characters)',
	},
	{
		displayName: 'Request Async MDN',
		name: 'requestAsyncMDN',
		type: 'boolean',
		default: false,
		description: 'Whether to ask for an asynchronous MDN',
	},
	{
		displayName: 'Request MDN',
		name: 'requestMDN',
		type: 'boolean',
		default: true,
		description: 'Whether to ask the partner for an MDN receipt',
	},
	{
		displayName: 'Request Signed MDN',
		name: 'requestSignedMDN',
		type: 'boolean',
		default: true,
		description: 'Whether to ask for a signed MDN',
	},
	{
		displayName: 'Sign Message',
		name: 'signMessage',
		type: 'boolean',
		default: true,
		description: 'Whether to sign messages to this partner',
	},
	{
		displayName: 'Signature Algorithm',
		description: 'How AS2 messages to this partner are signed (agree on it with the partner)',
		name: 'signatureAlgorithm',
		type: 'options',
		options: SIGNATURE.map((v) => ({ name: v, value: v })),
		default: 'SHA1',
	},
	{
		displayName: 'Signature Certificate',
		name: 'signatureCertificate',
		type: 'string',
		default: '',
		description: 'Base64 (or PEM) of a separate certificate the partner signs with',
	},
	{
		displayName: 'Transmission Timeout',
		description: 'How long MFT Gateway waits for the partner to answer an AS2 message',
		name: 'transmissionTimeout',
		type: 'options',
		options: [60, 120, 180, 300].map((v) => ({ name: `${v} Seconds`, value: v })),
		default: 120,
	},
	{
		displayName: 'Use Different Certificate for Signing',
		name: 'useDiffCertAsSignCert',
		type: 'boolean',
		default: false,
		description: 'Whether the partner signs with another certificate than it encrypts with',
	},
	{
		displayName: 'Use Static IP',
		name: 'useStaticIP',
		type: 'boolean',
		default: false,
		description: 'Whether to send from the static IP address (Business/Enterprise tier)',
	},
	{
		displayName: 'Validate Trust Anchor',
		name: 'validateTrustAnchor',
		type: 'boolean',
		default: false,
		description: 'Whether to validate the partner certificate chain',
	},
];

/** Accepts a certificate as Base64 or as PEM text; the API takes Base64 of the DER. */
export function certificateBase64(
	node: INode,
	value: string,
	field: string,
	itemIndex: number,
): string {
	const body = value.replace(/-----(BEGIN|END)[^-]+-----/g, '').replace(/\s+/g, '');
	if (!body || !/^[A-Za-z0-9+/]+={0,2}$/.test(body)) {
		throw new NodeOperationError(node, `${field} is not a Base64 or PEM certificate`, {
			itemIndex,
			description:
				'Paste the certificate file (PEM, with or without the BEGIN/END lines) or its Base64.',
		});
	}
	return body;
}

/** Turns the collection the user filled into the API body fields, checking what must be checked. */
export function partnerSettingsBody(
	node: INode,
	settings: IDataObject,
	itemIndex: number,
): IDataObject {
	const body: IDataObject = { ...settings };
	if (settings.messageSubject !== undefined) {
		const subject = String(settings.messageSubject);
		rejectControlCharacters(node, subject, 'Message Subject', itemIndex);
		if (subject.length < 1 || subject.length > 128)
			throw new NodeOperationError(node, 'Message Subject must be 1 to 128 characters', {
				itemIndex,
			});
	}
	for (const [key, label] of [
		['httpsCertificate', 'HTTPS Certificate'],
		['signatureCertificate', 'Signature Certificate'],
	] as const) {
		if (settings[key] !== undefined && settings[key] !== '')
			body[key] = certificateBase64(node, String(settings[key]), label, itemIndex);
		else delete body[key];
	}
	const headers = (settings.customHeaders as IDataObject | undefined)?.header as
		| IDataObject[]
		| undefined;
	if (headers) {
		body.customHeaders = headers.map((h) => {
			rejectControlCharacters(
				node,
				`${String(h.headerName)}${String(h.headerValue)}`,
				'Custom Headers',
				itemIndex,
			);
			return { headerName: h.headerName, headerValue: h.headerValue };
		});
	} else delete body.customHeaders;
	return body;
}
