import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';
import { createHash } from 'crypto';

import {
	failureReasonOf,
	MIN_CHECK_INTERVAL_MS,
	mdnSummary,
	waitForDelivery,
} from '../../helpers/delivery';
import { streamMultipart } from '../../helpers/multipart';
import { messageIdOf, withIsoTimestamps } from '../../helpers/output';
import { simplifyField } from '../../helpers/simplify';
import { encodeHeaderText, isAscii, requireAscii } from '../../transport/headers';
import { rejectControlCharacters } from '../../transport/ids';
import { asNodeError, isMaybeSent } from '../../transport/errors';
import { type ApiResponse, apiRequestFull } from '../../transport/request';
import { type SubmitLedger, submitKey, submitLedger } from '../../transport/submitLedger';
import { item, numberParam, show } from '../common';
import { locatorField, locatorValue, versioned } from '../locators';

const op = ['send'];
/** A raw upload may take long for big files; the API call itself has no documented size limit. */
const UPLOAD_TIMEOUT_MS = 15 * 60_000;

const stationField: INodeProperties = {
	displayName: 'Station (AS2-From)',
	name: 'station',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'MYSTATION',
	description: 'Your station that sends the message (its AS2 identifier)',
	displayOptions: show('message', op),
};
const partnerField: INodeProperties = {
	displayName: 'Partner (AS2-To)',
	name: 'partner',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'PARTNER_AS2_ID',
	description: 'The trading partner that receives it (its AS2 identifier)',
	displayOptions: show('message', op),
};

export const description: INodeProperties[] = [
	...versioned(stationField, locatorField('station', stationField)),
	...versioned(partnerField, locatorField('partner', partnerField)),
	{
		displayName: 'Payload',
		description: 'Send files from binary fields of the input item, or text typed here as one file',
		name: 'payload',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Binary File(s) From Input',
				value: 'binary',
				description: 'One or more binary properties of the input item',
			},
			{
				name: 'Text',
				value: 'text',
				description: 'EDI, XML, JSON or other text typed here or given by an expression',
			},
		],
		default: 'binary',
		displayOptions: show('message', op),
	},
	{
		displayName: 'Input Binary Fields',
		name: 'binaryProperties',
		type: 'string',
		required: true,
		default: 'data',
		description:
			'Name of the binary property to send, or several separated by commas: several become one message with several attachments (multipart)',
		displayOptions: show('message', op, { payload: ['binary'] }),
	},
	{
		displayName: 'Text',
		description: 'The content of the one file sent (e.g. an X12 or EDIFACT document)',
		name: 'text',
		type: 'string',
		typeOptions: { rows: 6 },
		required: true,
		default: '',
		placeholder: 'ISA*00*          *00*          *ZZ*SENDER...~',
		displayOptions: show('message', op, { payload: ['text'] }),
	},
	{
		displayName: 'File Name',
		name: 'fileName',
		type: 'string',
		required: true,
		default: 'message.edi',
		description: 'Attachment name the partner sees',
		displayOptions: show('message', op, { payload: ['text'] }),
	},
	{
		displayName: 'Wait for Delivery',
		name: 'waitForDelivery',
		type: 'boolean',
		default: false,
		description:
			'Whether to wait until the message is sent (with its MDN), failed or incomplete, instead of returning as soon as it is queued. The outcome is in the output field deliveryStatus (sent, failed, incomplete, or queued when the time ran out): branch on it with an If or Switch node. The node does not fail once the message was accepted, so Retry On Fail never sends it twice.',
		displayOptions: show('message', op),
	},
	{
		displayName: 'Wait Timeout (Seconds)',
		name: 'waitTimeout',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 300,
		description:
			'How long to wait; then the node returns the message as still pending and says which box it is in',
		displayOptions: show('message', op, { waitForDelivery: [true] }),
	},
	{
		displayName: 'Check Every (Seconds)',
		name: 'pollInterval',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 5,
		description: 'How often to check the delivery (each check is one request; at least 1 second)',
		displayOptions: show('message', op, { waitForDelivery: [true] }),
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('message', op),
		options: [
			{
				displayName: 'Attachment Name',
				name: 'attachmentName',
				type: 'string',
				default: '',
				description:
					'Name of the single attachment; by default the binary file name (or File Name for text)',
			},
			{
				displayName: 'Content Type',
				name: 'contentType',
				type: 'string',
				default: '',
				placeholder: 'application/edi-x12',
				description:
					'MIME type of the payload; by default the binary MIME type, or application/edi-x12 for text',
			},
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description: "AS2 subject; by default the partner's default subject",
			},
		],
	},
	simplifyField({ resource: ['message'], operation: ['send'] }),
];

interface Attachment {
	name: string;
	contentType: string;
	size: number;
	/** Opens the content anew (a stream from binary storage, or a buffer). */
	open: () => Promise<unknown>;
	/** Names the content without reading it: the binary storage id, or a hash of bytes already in memory. */
	fingerprint: string;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function binaryAttachments(
	this: IExecuteFunctions,
	i: number,
	contentTypeOverride: string,
): Promise<Attachment[]> {
	const names = String(this.getNodeParameter('binaryProperties', i))
		.split(',')
		.map((n) => n.trim())
		.filter(Boolean);
	if (names.length === 0)
		throw new NodeOperationError(this.getNode(), 'Input Binary Fields is empty', {
			itemIndex: i,
			description: 'Name the binary property that holds the file, e.g. "data".',
		});
	const result: Attachment[] = [];
	for (const name of names) {
		const binary: IBinaryData = this.helpers.assertBinaryData(i, name);
		const fileName =
			binary.fileName || `${name}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
		const contentType = contentTypeOverride || binary.mimeType || 'application/octet-stream';
		let size: number;
		let open: () => Promise<unknown>;
		let fingerprint: string;
		if (binary.id) {
			const id = binary.id;
			size = Number((await this.helpers.getBinaryMetadata(id)).fileSize);
			open = async () => await this.helpers.getBinaryStream(id);
			fingerprint = `stored:${id}`;
		} else {
			size = Buffer.from(binary.data, 'base64').length;
			open = async () => await this.helpers.getBinaryDataBuffer(i, name);
			fingerprint = `inline:${sha256(binary.data)}`;
		}
		if (!(size > 0))
			throw new NodeOperationError(
				this.getNode(),
				`The file in binary property "${name}" is empty`,
				{
					itemIndex: i,
					description:
						'MFT Gateway does not send empty messages. Check the node that produced the file.',
				},
			);
		result.push({ name: fileName, contentType, size, open, fingerprint });
	}
	return result;
}

interface SendInput {
	station: string;
	partner: string;
	subject: string;
	attachments: Attachment[];
	attachmentName: string;
	wait?: { timeoutMs: number; intervalMs: number };
}

/** Reads and checks every parameter; nothing is sent when one is wrong. */
async function readInput(this: IExecuteFunctions, i: number): Promise<SendInput> {
	const node = this.getNode();
	const station = locatorValue(this.getNodeParameter('station', i));
	const partner = locatorValue(this.getNodeParameter('partner', i));
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const subject = String(options.subject ?? '');
	const contentTypeOverride = String(options.contentType ?? '').trim();
	if (!station)
		throw new NodeOperationError(node, 'Station (AS2-From) is empty', {
			itemIndex: i,
			description: 'Give the AS2 identifier of your sending station.',
		});
	if (!partner)
		throw new NodeOperationError(node, 'Partner (AS2-To) is empty', {
			itemIndex: i,
			description: 'Give the AS2 identifier of the receiving partner.',
		});
	const attachmentName = String(options.attachmentName ?? '').trim();
	const checks: Array<[string, string]> = [
		['Station (AS2-From)', station],
		['Partner (AS2-To)', partner],
		['Subject', subject],
		['Content Type', contentTypeOverride],
		['Attachment Name', attachmentName],
	];
	for (const [field, value] of checks) rejectControlCharacters(node, value, field, i);
	requireAscii(node, station, 'Station (AS2-From)', i);
	requireAscii(node, partner, 'Partner (AS2-To)', i);
	requireAscii(node, contentTypeOverride, 'Content Type', i);
	const wait = this.getNodeParameter('waitForDelivery', i)
		? {
				timeoutMs: numberParam(this, 'waitTimeout', 'Wait Timeout (Seconds)', i, { min: 1 }) * 1000,
				intervalMs:
					numberParam(this, 'pollInterval', 'Check Every (Seconds)', i, {
						min: MIN_CHECK_INTERVAL_MS / 1000,
					}) * 1000,
			}
		: undefined;

	let attachments: Attachment[];
	if (this.getNodeParameter('payload', i) === 'text') {
		const data = Buffer.from(String(this.getNodeParameter('text', i)), 'utf8');
		const fileName = String(this.getNodeParameter('fileName', i)).trim();
		rejectControlCharacters(node, fileName, 'File Name', i);
		if (data.length === 0)
			throw new NodeOperationError(node, 'Text is empty', {
				itemIndex: i,
				description: 'Type the payload or map it from a previous node.',
			});
		attachments = [
			{
				name: fileName || 'message.edi',
				contentType: contentTypeOverride || 'application/edi-x12',
				size: data.length,
				open: async () => data,
				fingerprint: `text:${sha256(data)}`,
			},
		];
	} else {
		attachments = await binaryAttachments.call(this, i, contentTypeOverride);
	}
	for (const a of attachments) {
		rejectControlCharacters(node, a.name, 'Attachment file name', i);
		requireAscii(node, a.contentType, 'MIME type of the input file', i);
	}
	return { station, partner, subject, attachments, attachmentName, wait };
}

/**
 * The submit request, streamed either way. One file goes as the raw body with its name in
 * `Attachment-Name`; several files, or one whose name is not plain ASCII, go as multipart/form-data,
 * whose part headers carry any name as browsers write it (UTF-8) where an HTTP header cannot. A
 * non-ASCII subject is sent as RFC 2047 encoded-words, as MIME headers carry it.
 */
function submitRequest(input: SendInput): { headers: IDataObject; body: () => Promise<unknown> } {
	const headers: IDataObject = { 'AS2-From': input.station, 'AS2-To': input.partner };
	if (input.subject) headers.Subject = encodeHeaderText(input.subject);
	const [single] = input.attachments;
	const singleName = input.attachmentName || single.name;
	if (input.attachments.length === 1 && isAscii(singleName)) {
		headers['Content-Type'] = single.contentType;
		headers['Content-Length'] = single.size;
		headers['Attachment-Name'] = singleName;
		return { headers, body: single.open };
	}
	const files =
		input.attachments.length === 1 ? [{ ...single, name: singleName }] : input.attachments;
	const multipart = streamMultipart(
		files.map((a) => ({
			fileName: a.name,
			contentType: a.contentType,
			size: a.size,
			open: a.open,
		})),
	);
	headers['Content-Type'] = multipart.contentType;
	headers['Content-Length'] = multipart.contentLength;
	return { headers, body: multipart.body };
}

/**
 * Node version 2 with Simplify on: one `id`, the delivery status and what was sent, the MDN summary; no
 * API object merged in (Simplify off, and version 1, keep it as it was).
 */
function outcomeItem(this: IExecuteFunctions, outcome: IDataObject, i: number): INodeExecutionData {
	const simplify =
		this.getNode().typeVersion >= 2 && (this.getNodeParameter('simplify', i, true) as boolean);
	if (!simplify) return item(outcome, i);
	const keep = ['timedOut', 'failureReason', 'mdn', 'note'];
	const simplified: IDataObject = {
		id: outcome.messageIdentifier ?? null,
		deliveryStatus: outcome.deliveryStatus,
		station: outcome.station,
		partner: outcome.partner,
		subject: outcome.subject ?? null,
		attachments: outcome.attachments,
	};
	for (const key of keep) if (outcome[key] !== undefined) simplified[key] = outcome[key];
	return item(simplified, i);
}

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const ledger = submitLedger(this);
	try {
		return await sendItem.call(this, i, ledger);
	} catch (error) {
		// Whatever stopped this item (a refused submit, a lost answer, a wrong parameter), the error says
		// which items MFT Gateway already took and which were never submitted, so the user knows what to re-run.
		const stopsHere = !this.continueOnFail();
		const notTried = stopsHere ? this.getInputData().length - i - 1 : 0;
		throw withRunSummary(asNodeError(this.getNode(), error, i), ledger.accepted(), {
			failed: i,
			notTried,
		});
	}
}

async function sendItem(
	this: IExecuteFunctions,
	i: number,
	ledger: SubmitLedger,
): Promise<INodeExecutionData[]> {
	const input = await readInput.call(this, i);
	const key = submitKey(i, [
		input.station,
		input.partner,
		input.subject,
		input.attachmentName,
		input.attachments.map((a) => [a.name, a.contentType, a.size, a.fingerprint]),
	]);
	const earlier = ledger.earlier(key);
	if (earlier) return [outcomeItem.call(this, repeatedOutcome(earlier), i)];
	const { headers, body } = submitRequest(input);
	let response: ApiResponse;
	try {
		response = await apiRequestFull.call(this, {
			method: 'POST',
			path: '/message/submit',
			service: true,
			headers,
			body,
			retry: 'submit',
			timeoutMs: UPLOAD_TIMEOUT_MS,
			action: `Send to partner ${input.partner}`,
			invalidHint: `Check that station "${input.station}" and partner "${input.partner}" exist in MFT Gateway (AS2 identifiers are case-sensitive).`,
			itemIndex: i,
		});
	} catch (error) {
		// The answer was lost after the bytes may have reached MFT Gateway: a retry must not send it again.
		// With Retry On Fail on, the uncertainty is data; without, an error that a later retry answers as data.
		if (isMaybeSent(error)) {
			const uncertain = uncertainOutcome(input, (error as Error).message);
			ledger.record(key, i, uncertain);
			if (this.getNode().retryOnFail === true) return [outcomeItem.call(this, uncertain, i)];
		}
		throw asNodeError(this.getNode(), error, i);
	}
	// From here on the message is accepted: nothing below may throw, and a retry answers from the record.
	const answer = response.body as IDataObject;
	const id = messageIdOf(answer);
	const queued: IDataObject = {
		messageIdentifier: id ?? null,
		deliveryStatus: 'queued',
		message: answer.message ?? null,
		link: (response.headers.link as string) ?? null,
		station: input.station,
		partner: input.partner,
		subject: input.subject || null,
		attachments: input.attachments.map((a) => ({
			name: a.name,
			contentType: a.contentType,
			size: a.size,
		})),
	};
	ledger.record(key, i, queued);
	const outcome = !id
		? {
				...queued,
				note: 'MFT Gateway accepted the message but returned no message ID; look for it with Message → Get Many in the Queued folder. Do not send it again.',
			}
		: input.wait
			? await deliveryOutcome.call(this, id, queued, input.wait, i)
			: queued;
	ledger.record(key, i, outcome);
	return [outcomeItem.call(this, outcome, i)];
}

/** An item an earlier try of this execution submitted: its outcome then, said to be a repeat. */
function repeatedOutcome(earlier: IDataObject): IDataObject {
	const repeat =
		'Submitted in an earlier try of this execution (Retry On Fail or a retry of the execution); not sent again. Start a new execution to send it again.';
	return { ...earlier, note: earlier.note ? `${repeat} ${earlier.note as string}` : repeat };
}

/** Item indexes as a short list: "item 3", "items 3, 4", "items 3–9". */
function itemRange(from: number, count: number): string {
	if (count === 1) return `item ${from}`;
	if (count === 2) return `items ${from}, ${from + 1}`;
	return `items ${from}–${from + count - 1}`;
}

/**
 * The error of an item that stopped the node says which items MFT Gateway already took (never sent again
 * by Retry On Fail or a retry of this execution) and which were not submitted: the failing item, unless
 * its answer was lost, and the items after it, which the node never tried.
 */
function withRunSummary<E extends Error & { description?: string | null }>(
	error: E,
	accepted: Array<{ itemIndex: number; id: unknown; status: unknown }>,
	stop: { failed: number; notTried: number },
): E {
	const said: string[] = [];
	if (accepted.length > 0) {
		const list = accepted
			.map(({ itemIndex, id, status }) => {
				if (id) return `item ${itemIndex} (${String(id)})`;
				return `item ${itemIndex} (${status === 'unknown' ? 'answer lost' : 'no message ID'})`;
			})
			.join(', ');
		said.push(
			`Already submitted in this execution, and never sent again by Retry On Fail or a retry of this execution: ${list}.`,
		);
	}
	const failedTaken = accepted.some((a) => a.itemIndex === stop.failed);
	const notSent = [
		...(failedTaken ? [] : [`item ${stop.failed} (this error)`]),
		...(stop.notTried > 0
			? [
					`${itemRange(stop.failed + 1, stop.notTried)} (not tried: the node stopped at item ${stop.failed})`,
				]
			: []),
	];
	// With Continue On Fail the later items are still tried; a lone failing item needs no summary.
	if ((accepted.length > 0 || stop.notTried > 0) && notSent.length > 0)
		said.push(`Not submitted: ${notSent.join(', ')}.`);
	if (said.length === 0) return error;
	const text = said.join(' ');
	error.description = error.description ? `${error.description} ${text}` : text;
	return error;
}

/** A submit whose answer was lost: it may or may not be queued; deliveryStatus `unknown`, never resent. */
function uncertainOutcome(input: SendInput, reason: string): IDataObject {
	return {
		messageIdentifier: null,
		deliveryStatus: 'unknown',
		station: input.station,
		partner: input.partner,
		subject: input.subject || null,
		attachments: input.attachments.map((a) => ({
			name: a.name,
			contentType: a.contentType,
			size: a.size,
		})),
		note: reason,
	};
}

/** Waits for the outcome and describes it as data: deliveryStatus is sent, failed, incomplete or queued. */
async function deliveryOutcome(
	this: IExecuteFunctions,
	id: string,
	queued: IDataObject,
	wait: { timeoutMs: number; intervalMs: number },
	i: number,
): Promise<IDataObject> {
	const result = await waitForDelivery.call(this, id, wait.timeoutMs, wait.intervalMs, i);
	const message = result.message ? withIsoTimestamps(result.message) : {};
	const outcome: IDataObject = {
		...queued,
		...message,
		messageIdentifier: id,
		deliveryStatus: result.state,
		timedOut: result.timedOut,
		failureReason: result.state === 'failed' ? failureReasonOf(result.message) : null,
		mdn: result.message ? mdnSummary(result.message) : null,
	};
	if (result.state === 'failed')
		outcome.note = `MFT Gateway gave up delivering it (Failed folder): ${outcome.failureReason as string}. Fix the cause (partner URL, certificates, partner availability) before sending again.`;
	else if (result.timedOut) {
		outcome.note = `Not delivered after ${wait.timeoutMs / 1000} s; it is still ${result.state}. MFT Gateway keeps retrying on its own; do not send it again.`;
		if (result.checkError) outcome.note += ` The last check failed: ${result.checkError}`;
	}
	return outcome;
}
