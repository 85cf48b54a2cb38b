import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { compareMic, verifyMdn, type ReadMdn } from '../../as2/mdn';
import { mapWithConcurrency } from '../../helpers/concurrency';
import { simplifyMessage } from '../../helpers/simplify';
import { listDirectory, as2IdentifierOf } from '../../transport/directory';
import type { Side } from '../../transport/ids';
import { readExistingMessage } from '../../transport/messages';
import { apiRequest } from '../../transport/request';
import { show } from '../common';

/**
 * *Verify Signature* for MDN → Get: the MDN's CMS signature checked with `crypto` against the partner's
 * certificate (from the account, or given as PEM), and its MIC compared with the MIC of the message as sent.
 */

const op = ['get'];

export const verifyFields: INodeProperties[] = [
	{
		displayName: 'Verify Signature',
		name: 'verifySignature',
		type: 'boolean',
		default: false,
		description:
			"Whether to check the MDN's signature and compare its MIC with the message as sent. Results are output as data (signatureValid, micMatches and why not).",
		displayOptions: show('mdn', op),
	},
	{
		displayName: 'Certificate',
		name: 'certificateSource',
		type: 'options',
		default: 'account',
		options: [
			{
				name: 'From Account',
				value: 'account',
				description:
					"The certificate the account holds for the side that wrote the MDN (outbox: the partner, inbox: your station); the signer's serial number and issuer must match it",
			},
			{
				name: 'PEM',
				value: 'pem',
				description: 'A certificate you give (PEM or Base64); the MDN must be signed with its key',
			},
		],
		displayOptions: show('mdn', op, { verifySignature: [true] }),
	},
	{
		displayName: 'Certificate (PEM)',
		name: 'certificatePem',
		type: 'string',
		typeOptions: { rows: 6 },
		default: '',
		placeholder: '-----BEGIN CERTIFICATE-----',
		description: "The partner's signing certificate",
		displayOptions: show('mdn', op, { verifySignature: [true], certificateSource: ['pem'] }),
	},
];

const normalise = (value: unknown) =>
	String(value ?? '')
		.toLowerCase()
		.replace(/\s*([,=])\s*/g, '$1')
		.trim();
const serialHex = (value: unknown) =>
	String(value ?? '')
		.toLowerCase()
		.replace(/[^0-9a-f]/g, '')
		.replace(/^0+(?=.)/, '');

/** The metadata of the account's certificates that belong to `as2Id` (a station or partner). */
async function accountCertificates(
	this: IExecuteFunctions,
	as2Id: string,
	kind: 'station' | 'partner',
	i: number,
): Promise<IDataObject[]> {
	let aliases: string[];
	if (kind === 'station') {
		const stations = await listDirectory.call(this, 'station', i);
		aliases = stations
			.filter((s) => as2IdentifierOf(s) === as2Id && typeof s.certificateAlias === 'string')
			.map((s) => s.certificateAlias as string);
	} else {
		const list = (await apiRequest.call(this, {
			method: 'GET',
			path: '/certificate',
			qs: { certType: 'PARTNER' },
			action: 'List partner certificates',
			itemIndex: i,
		})) as unknown as IDataObject[];
		aliases = (Array.isArray(list) ? list : []).map((c) => String(c.alias));
	}
	const certificates = await mapWithConcurrency(aliases, 5, async (alias) =>
		apiRequest.call(this, {
			method: 'GET',
			path: `/certificate/${encodeURIComponent(alias)}`,
			action: `Get certificate ${alias}`,
			itemIndex: i,
		}),
	);
	return certificates.filter(
		(c) =>
			kind === 'station' ||
			(Array.isArray(c.belongsTo) && (c.belongsTo as unknown[]).includes(as2Id)),
	);
}

export async function verifyForMessage(
	this: IExecuteFunctions,
	read: ReadMdn,
	box: Side,
	id: string,
	i: number,
): Promise<IDataObject> {
	const message = await readExistingMessage.call(this, box, id, { itemIndex: i });
	const summary = simplifyMessage(message);
	// The side that received the message wrote the MDN.
	const kind = box === 'outbox' ? 'partner' : 'station';
	const signerAs2Id = String(summary[kind] ?? '');
	const source = this.getNodeParameter('certificateSource', i) as string;
	const pem = source === 'pem' ? (this.getNodeParameter('certificatePem', i) as string) : undefined;
	const verification = verifyMdn(read, pem === undefined ? {} : { certificates: pem });
	let valid = verification.valid;
	let reason = verification.reason;
	if (source === 'account' && valid !== null && verification.signer) {
		const known = await accountCertificates.call(this, signerAs2Id, kind, i);
		const signer = verification.signer;
		const match = known.find(
			(c) =>
				serialHex(c.serialNumberHex ?? c.serial_number) === serialHex(signer.serialNumber) &&
				normalise(c.issuerDistinguishName ?? c.issuer_distinguish_name) ===
					normalise(signer.issuer),
		);
		if (!known.length) {
			valid = null;
			reason = `cannot verify who signed: the account has no certificate for ${kind} ${signerAs2Id}`;
		} else if (!match) {
			valid = false;
			reason = `signed with certificate serial ${signer.serialNumber} (${signer.subject}), not the ${kind} certificate of ${signerAs2Id} in the account (serial ${known.map((c) => serialHex(c.serialNumberHex ?? c.serial_number)).join(', ')})`;
		}
	}
	const sentMic = typeof message.mic === 'string' ? message.mic : null;
	const mdnMic = read.report.receivedContentMic as IDataObject | null;
	const mic = compareMic(mdnMic ? `${mdnMic.digest}, ${mdnMic.algorithm ?? ''}` : null, sentMic);
	return {
		signatureValid: valid,
		...(valid === false ? { signatureError: reason } : {}),
		...(valid === null ? { verifyNote: reason } : {}),
		signer: verification.signer ?? null,
		signingTime: verification.signingTime ?? null,
		micMatches: mic.micMatches,
		...(mic.micNote ? { micNote: mic.micNote } : {}),
		sentMic,
	};
}
