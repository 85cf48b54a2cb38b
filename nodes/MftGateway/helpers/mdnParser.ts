import type { IDataObject } from 'n8n-workflow';

/** One MIME entity: lower-cased header names, body as text. */
interface Entity {
	headers: Map<string, string>;
	body: string;
}

function parseHeaders(block: string): Map<string, string> {
	const headers = new Map<string, string>();
	// Unfold continuation lines (RFC 5322 §2.2.3), then split "Name: value".
	for (const line of block.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon > 0)
			headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
	}
	return headers;
}

function parseEntity(raw: string): Entity {
	const match = /\r?\n\r?\n/.exec(raw);
	const looksLikeHeaders = /^[A-Za-z][A-Za-z0-9-]*:/.test(raw);
	if (!looksLikeHeaders || !match) return { headers: new Map(), body: raw };
	return {
		headers: parseHeaders(raw.slice(0, match.index)),
		body: raw.slice(match.index + match[0].length),
	};
}

function param(header: string | undefined, name: string): string | undefined {
	if (!header) return undefined;
	const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]*))`, 'i').exec(header);
	return m ? (m[1] ?? m[2]) : undefined;
}

function mediaType(entity: Entity): string {
	return (entity.headers.get('content-type') ?? 'text/plain').split(';')[0].trim().toLowerCase();
}

function decodeBody(entity: Entity): string {
	const encoding = (entity.headers.get('content-transfer-encoding') ?? '').toLowerCase();
	if (encoding === 'base64')
		return Buffer.from(entity.body.replace(/\s+/g, ''), 'base64').toString('utf8');
	if (encoding === 'quoted-printable') {
		return entity.body
			.replace(/=\r?\n/g, '')
			.replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
	}
	return entity.body;
}

function splitMultipart(entity: Entity): Entity[] {
	let boundary = param(entity.headers.get('content-type'), 'boundary');
	if (!boundary) boundary = /^--(\S+)\s*$/m.exec(entity.body)?.[1];
	if (!boundary) return [];
	const delimiter = `--${boundary}`;
	const parts: Entity[] = [];
	const pieces = entity.body.split(delimiter);
	for (const piece of pieces.slice(1)) {
		if (piece.startsWith('--')) break;
		parts.push(parseEntity(piece.replace(/^\r?\n/, '').replace(/\r?\n$/, '')));
	}
	return parts;
}

/** Disposition per RFC 8098 §3.2.6: `action-mode/sending-mode; type[/modifier: text]`. */
function parseDisposition(value: string): IDataObject {
	const [modes = '', rest = ''] = value.split(';').map((s) => s.trim());
	const [actionMode, sendingMode] = modes.split('/').map((s) => s.trim());
	const slash = rest.indexOf('/');
	const type = (slash >= 0 ? rest.slice(0, slash) : rest).trim();
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
		type: type.toLowerCase(),
		modifier,
		successful: type.toLowerCase() === 'processed' && (!modifier || modifier.kind === 'warning'),
	};
}

/**
 * Parses a raw AS2 MDN (RFC 8098 multipart/report, optionally inside RFC 1847 multipart/signed) into the
 * facts an AS2 engineer checks. Tolerates a missing outer header block and LF-only line ends.
 */
export function parseMdn(raw: string): IDataObject {
	let entity = parseEntity(raw.replace(/^\uFEFF/, ''));
	let signed = false;
	let micAlgorithmSigned: string | undefined;
	if (
		mediaType(entity) === 'multipart/signed' ||
		(!entity.headers.size && /application\/pkcs7-signature/i.test(raw))
	) {
		signed = true;
		micAlgorithmSigned = param(entity.headers.get('content-type'), 'micalg');
		const parts = splitMultipart(entity);
		entity = parts[0] ?? entity;
	}
	const parts =
		mediaType(entity) === 'multipart/report' || !entity.headers.size
			? splitMultipart(entity)
			: [entity];
	const human = parts.find((p) => mediaType(p) === 'text/plain');
	const notice = parts.find((p) => mediaType(p) === 'message/disposition-notification');
	if (!notice) throw new Error('The MDN has no message/disposition-notification part');
	const fields = parseHeaders(decodeBody(notice).trim());
	const mic = fields.get('received-content-mic');
	const [digest, algorithm] = (mic ?? '').split(',').map((s) => s.trim());
	return {
		signed,
		signatureMicAlgorithm: micAlgorithmSigned ?? null,
		disposition: parseDisposition(fields.get('disposition') ?? ''),
		originalMessageId: fields.get('original-message-id') ?? null,
		receivedContentMic: mic ? { digest, algorithm: algorithm ?? null } : null,
		reportingUa: fields.get('reporting-ua') ?? null,
		originalRecipient: fields.get('original-recipient') ?? null,
		finalRecipient: fields.get('final-recipient') ?? null,
		humanReadable: human ? decodeBody(human).trim() : null,
		fields: Object.fromEntries(fields),
	};
}
