import type { IDataObject } from 'n8n-workflow';

import {
	digestFromMicAlgorithm,
	parseSignedData,
	verifySignedData,
	type Verification,
} from './cms';
import {
	bodyText,
	decodeBody,
	parseEntity,
	parseHeaders,
	splitMultipart,
	type MimeEntity,
} from './mime';

/**
 * AS2 MDNs (RFC 4130 §7.4, RFC 8098) as AS2 products write them: multipart/report, inside RFC 1847
 * multipart/signed or S/MIME opaque signed-data or unsigned; any line ends, header case and folding,
 * transfer encoding and charset.
 *
 * API: `readMdn(raw)` → { report, signedContent?, signature? } (throws {@link MdnError} with a clear
 * message for what is not an MDN); `parseMdn(raw)` → the report only; `verifyMdn(read, options)` → the
 * signature check; `compareMic(mdnMic, sentMic)` → whether the MIC the partner computed is ours.
 */

export class MdnError extends Error {}

export interface ReadMdn {
	report: IDataObject;
	/** The exact bytes the signature covers (first part of multipart/signed). */
	signedContent?: Buffer;
	/** The CMS SignedData (DER/BER). */
	signature?: Buffer;
}

const DISPOSITION_TYPES = ['processed', 'failed', 'displayed', 'deleted', 'dispatched', 'denied'];

/** Disposition per RFC 8098 §3.2.6: `action-mode/sending-mode; type[/modifier: text]`. */
function parseDisposition(value: string): IDataObject {
	const semicolon = value.indexOf(';');
	const modes = semicolon >= 0 ? value.slice(0, semicolon) : value;
	const rest = semicolon >= 0 ? value.slice(semicolon + 1).trim() : '';
	const [actionMode, sendingMode] = modes.split('/').map((s) => s.trim());
	const slash = rest.indexOf('/');
	const type = (slash >= 0 ? rest.slice(0, slash) : rest).trim().toLowerCase();
	if (!DISPOSITION_TYPES.includes(type))
		throw new MdnError(`The MDN's Disposition "${value}" has no known disposition type`);
	const modifierText = slash >= 0 ? rest.slice(slash + 1).trim() : '';
	const colon = modifierText.indexOf(':');
	const modifier = modifierText
		? {
				kind: (colon >= 0 ? modifierText.slice(0, colon) : modifierText).trim().toLowerCase(),
				text: colon >= 0 ? modifierText.slice(colon + 1).trim() : '',
			}
		: null;
	return {
		raw: value,
		actionMode: actionMode ?? '',
		sendingMode: sendingMode ?? '',
		type,
		modifier,
		successful: type === 'processed' && (!modifier || modifier.kind === 'warning'),
	};
}

/** The multipart parts, refusing a body cut off before its closing boundary. */
function completeParts(entity: MimeEntity, what: string): MimeEntity[] {
	const { parts, complete } = splitMultipart(entity);
	if (!complete) throw new MdnError(`The MDN is truncated: the ${what} has no closing boundary`);
	return parts;
}

/** Every leaf entity of a (possibly nested) multipart, in order. */
function leaves(entity: MimeEntity): MimeEntity[] {
	// A stored body without its headers that starts with a delimiter line is the report itself.
	const headerless =
		!entity.headers.has('content-type') && /^--[^\r\n]+\r?\n/.test(entity.body.toString('latin1'));
	if (!entity.mediaType.startsWith('multipart/') && !headerless) return [entity];
	return completeParts(entity, entity.mediaType).flatMap(leaves);
}

function refuseNonMdn(raw: Buffer): void {
	const text = raw.toString('latin1').trim();
	if (!text) throw new MdnError('The MDN is empty');
	// An HTML page as the whole answer (a proxy's or server's error page), not an HTML part inside a report.
	const topType = /^content-type:\s*([^;\r\n]*)/im.exec(text.split(/\r?\n\r?\n/)[0])?.[1];
	if (/^(<!doctype html|<html)/i.test(text) || topType?.trim().toLowerCase() === 'text/html') {
		const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1]?.trim();
		throw new MdnError(
			`The MDN is an HTML page, not an MDN${title ? ` ("${title}")` : ''}: the server answered with an error page`,
		);
	}
}

/** Reads an MDN; anything that is not one is an {@link MdnError} saying why. */
export function readMdn(raw: Buffer): ReadMdn {
	let problem: Error | undefined;
	try {
		return readReport(raw);
	} catch (error) {
		problem = error as Error;
	}
	throw problem instanceof MdnError
		? problem
		: new MdnError(`The MDN is not readable: ${problem.message}`);
}

function readReport(raw: Buffer): ReadMdn {
	refuseNonMdn(raw);
	// A stored HTTP response may keep its status line before the headers.
	let entity = parseEntity(
		raw.subarray(/^HTTP\/\d(?:\.\d)? \d{3}[^\n]*\n/.exec(raw.toString('latin1'))?.[0].length ?? 0),
	);
	const looksSigned =
		!entity.headers.size &&
		/application\/(x-)?pkcs7-signature/i.test(entity.body.toString('latin1'));
	let signedContent: Buffer | undefined;
	let signature: Buffer | undefined;
	let signatureMicAlgorithm: string | null = null;
	if (entity.mediaType === 'multipart/signed' || looksSigned) {
		const [content, signaturePart] = completeParts(entity, 'multipart/signed');
		if (!content) throw new MdnError('The signed MDN has no content part');
		signatureMicAlgorithm = entity.contentType.params.micalg ?? null;
		signedContent = content.raw;
		if (signaturePart) signature = decodeBody(signaturePart);
		entity = content;
	} else if (/^application\/(x-)?pkcs7-mime$/.test(entity.mediaType)) {
		// S/MIME opaque signing: the report is inside the CMS structure.
		signature = decodeBody(entity);
		const content = parseSignedData(signature).content;
		if (!content) throw new MdnError('The signed MDN (application/pkcs7-mime) carries no content');
		entity = parseEntity(content);
	}
	const all = leaves(entity);
	const notice = all.find((p) => p.mediaType === 'message/disposition-notification');
	if (!notice) throw new MdnError('The MDN has no message/disposition-notification part');
	const human = all.find((p) => p.mediaType === 'text/plain');
	const fields = parseHeaders(bodyText(notice).trim());
	const disposition = fields.get('disposition');
	if (!disposition) throw new MdnError('The MDN has no Disposition field');
	const mic = fields.get('received-content-mic');
	const comma = mic?.indexOf(',') ?? -1;
	const micAlgorithm = mic && comma >= 0 ? mic.slice(comma + 1).trim() : null;
	return {
		report: {
			signed: !!signature,
			signatureMicAlgorithm,
			disposition: parseDisposition(disposition),
			originalMessageId: fields.get('original-message-id') ?? null,
			receivedContentMic: mic
				? {
						digest: (comma >= 0 ? mic.slice(0, comma) : mic).trim(),
						algorithm: micAlgorithm,
						digestAlgorithm: digestFromMicAlgorithm(micAlgorithm) ?? null,
					}
				: null,
			reportingUa: fields.get('reporting-ua') ?? null,
			originalRecipient: fields.get('original-recipient') ?? null,
			finalRecipient: fields.get('final-recipient') ?? null,
			humanReadable: human ? bodyText(human).trim() : null,
			fields: Object.fromEntries(fields),
		},
		signedContent,
		signature,
	};
}

export function parseMdn(raw: Buffer | string): IDataObject {
	return readMdn(Buffer.isBuffer(raw) ? raw : Buffer.from(raw, 'utf8')).report;
}

/** Checks an MDN's signature: not signed is `valid: null` with a note, never `true`. */
export function verifyMdn(
	read: ReadMdn,
	options: { certificates?: string; at?: Date } = {},
): Verification {
	if (!read.signature) return { valid: null, reason: 'cannot verify: the MDN is not signed' };
	const exact = verifySignedData(read.signature, { content: read.signedContent, ...options });
	// Signers sign the canonical CRLF form (RFC 5751 §3.1.1); an MDN stored or relayed with bare LFs is
	// checked in that form too, as `openssl cms -verify` does without -binary.
	const content = read.signedContent;
	if (exact.valid !== false || !content || !/(^|[^\r])\n/.test(content.toString('latin1')))
		return exact;
	const canonical = Buffer.from(content.toString('latin1').replace(/\r?\n/g, '\r\n'), 'latin1');
	const retry = verifySignedData(read.signature, { ...options, content: canonical });
	return retry.valid === false ? exact : retry;
}

export interface MicComparison {
	micMatches: boolean | null;
	micNote?: string;
}

function splitMic(mic: string): { digest: string; algorithm: string | undefined } {
	const [digest, algorithm] = mic.split(',').map((s) => s.trim());
	return { digest, algorithm: digestFromMicAlgorithm(algorithm) };
}

/**
 * Whether the MIC in the MDN is the MIC of the message as sent (both `base64, algorithm`; algorithm names
 * compared however they are spelled). null when either is missing.
 */
export function compareMic(
	mdnMic: string | null | undefined,
	sentMic: string | null | undefined,
): MicComparison {
	if (!mdnMic) return { micMatches: null, micNote: 'the MDN has no Received-Content-MIC' };
	if (!sentMic) return { micMatches: null, micNote: 'the MIC of the message as sent is not known' };
	const received = splitMic(mdnMic);
	const sent = splitMic(sentMic);
	if (received.algorithm && sent.algorithm && received.algorithm !== sent.algorithm)
		return {
			micMatches: false,
			micNote: `the MDN's MIC uses ${received.algorithm}, the message was sent with ${sent.algorithm}`,
		};
	if (received.digest !== sent.digest)
		return {
			micMatches: false,
			micNote: 'the partner computed a different MIC: it did not receive the content as sent',
		};
	return { micMatches: true };
}
