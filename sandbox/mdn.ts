import { randomBytes } from 'node:crypto';

import { signCms, type DigestName } from './as2/sign';
import { signingIdentity } from './seed';

/**
 * The sandbox's MDN writer (RFC 8098 report in RFC 4130 shape).
 *
 * `writeMdn(request)` → { contentType, body, headers, mdnId, humanMessage }: multipart/report with the human
 * text and the message/disposition-notification, wrapped in multipart/signed with a real CMS signature
 * (sandbox/as2/sign.ts) when `signWith` is given. `buildMdn(input)` is the older call the lifecycle uses: it
 * signs with the key of the side that writes the MDN (seed.ts `signingIdentity`) and returns the raw MDN with
 * its Content-Type header first, as MFT Gateway stores it.
 */

/** A Received-Content-MIC value as AS2 writes it: base64 digest, algorithm. */
export function formatMic(sha256Base64: string): string {
	return `${sha256Base64}, sha-256`;
}

export interface MdnRequest {
	originalMessageId: string;
	reportingUA?: string;
	/** The AS2 id of the side that received the message and writes the MDN. */
	finalRecipient: string;
	originalRecipient?: string;
	disposition: 'processed' | 'failed';
	/** e.g. `error: decryption-failed`, `warning: duplicate-document`. */
	modifier?: string;
	mic?: { digest: string; algorithm: string };
	text: string;
	signWith?: { keyPem: string; certPem: string; digest: DigestName };
	/** Automatic by default (the only mode AS2 uses). */
	sendingMode?: 'automatic' | 'manual';
}

export interface WrittenMdn {
	contentType: string;
	body: Buffer;
	/** HTTP/MIME headers to send with `body` (Content-Type, MIME-Version, Message-ID). */
	headers: Record<string, string>;
	mdnId: string;
	humanMessage: string;
}

const MICALG: Record<DigestName, string> = {
	sha1: 'sha1',
	sha224: 'sha-224',
	sha256: 'sha-256',
	sha384: 'sha-384',
	sha512: 'sha-512',
};

function boundary(kind: string): string {
	return `----=_Part_${kind}_${randomBytes(6).toString('hex')}`;
}

export function dispositionOf(
	request: Pick<MdnRequest, 'disposition' | 'modifier' | 'sendingMode'>,
): string {
	const mode =
		request.sendingMode === 'manual'
			? 'manual-action/MDN-sent-manually'
			: 'automatic-action/MDN-sent-automatically';
	return `${mode}; ${request.disposition}${request.modifier ? `/${request.modifier}` : ''}`;
}

export function writeMdn(request: MdnRequest): WrittenMdn {
	const mdnId = `<${Date.now()}.${randomBytes(4).readUInt32BE(0)}@sandbox.mftgateway.test>`;
	const reportBoundary = boundary('report');
	const notification = [
		`Reporting-UA: ${request.reportingUA ?? 'MFT Gateway Sandbox'}`,
		`Original-Recipient: rfc822; ${request.originalRecipient ?? request.finalRecipient}`,
		`Final-Recipient: rfc822; ${request.finalRecipient}`,
		`Original-Message-ID: ${request.originalMessageId}`,
		...(request.mic
			? [`Received-Content-MIC: ${request.mic.digest}, ${request.mic.algorithm}`]
			: []),
		`Disposition: ${dispositionOf(request)}`,
	].join('\r\n');
	const reportType = `multipart/report; report-type=disposition-notification; boundary="${reportBoundary}"`;
	// The report entity as signed: its own Content-Type header, a blank line, the body.
	const report = Buffer.from(
		[
			`Content-Type: ${reportType}`,
			'',
			`--${reportBoundary}`,
			'Content-Type: text/plain; charset=utf-8',
			'Content-Transfer-Encoding: 8bit',
			'',
			request.text,
			`--${reportBoundary}`,
			'Content-Type: message/disposition-notification',
			'Content-Transfer-Encoding: 7bit',
			'',
			notification,
			`--${reportBoundary}--`,
			'',
		].join('\r\n'),
	);
	const headers = { 'MIME-Version': '1.0', 'Message-ID': mdnId };
	if (!request.signWith)
		return {
			contentType: reportType,
			body: report.subarray(report.indexOf('\r\n\r\n') + 4),
			headers: { ...headers, 'Content-Type': reportType },
			mdnId,
			humanMessage: request.text,
		};
	const signedBoundary = boundary('signed');
	const signature = signCms({
		content: report,
		keyPem: request.signWith.keyPem,
		certPem: request.signWith.certPem,
		digest: request.signWith.digest,
	});
	const contentType = `multipart/signed; protocol="application/pkcs7-signature"; micalg=${MICALG[request.signWith.digest]}; boundary="${signedBoundary}"`;
	const body = Buffer.concat([
		Buffer.from(`--${signedBoundary}\r\n`),
		report,
		Buffer.from(
			[
				'',
				`--${signedBoundary}`,
				'Content-Type: application/pkcs7-signature; name=smime.p7s',
				'Content-Transfer-Encoding: base64',
				'Content-Disposition: attachment; filename=smime.p7s',
				'',
				...(signature.toString('base64').match(/.{1,76}/g) ?? []),
				'',
				`--${signedBoundary}--`,
				'',
			].join('\r\n'),
		),
	]);
	return {
		contentType,
		body,
		headers: { ...headers, 'Content-Type': contentType },
		mdnId,
		humanMessage: request.text,
	};
}

export interface MdnInput {
	originalMessageId: string;
	/** The side that received the message and so writes the MDN. */
	reportingAs2Id: string;
	/** The side that sent the message and receives the MDN. */
	recipientAs2Id: string;
	/** `base64, algorithm` */
	mic: string;
	disposition: string;
	signed: boolean;
	receivedAt: number;
}

/**
 * An MDN as the lifecycle stores it: the raw MDN (Content-Type header, blank line, body), signed with the
 * reporting side's key when `signed`.
 */
export function buildMdn(input: MdnInput): { raw: Buffer; mdnId: string; humanMessage: string } {
	const [modes, outcome = 'processed'] = input.disposition.split(';').map((s) => s.trim());
	const slash = outcome.indexOf('/');
	const humanMessage = [
		`MDN for Message-ID: ${input.originalMessageId}`,
		`From: ${input.recipientAs2Id}`,
		`To: ${input.reportingAs2Id}`,
		`Received on: ${new Date(input.receivedAt).toUTCString()}`,
		`Status: ${outcome}`,
		'Comment: This is not a guarantee that the message has been completely processed or understood by the receiving translator',
	].join('\r\n');
	const comma = input.mic.indexOf(',');
	const identity = input.signed ? signingIdentity(input.reportingAs2Id) : undefined;
	const written = writeMdn({
		originalMessageId: input.originalMessageId,
		finalRecipient: input.reportingAs2Id,
		disposition: (slash >= 0 ? outcome.slice(0, slash) : outcome) as MdnRequest['disposition'],
		modifier: slash >= 0 ? outcome.slice(slash + 1) : undefined,
		sendingMode: /manual/i.test(modes) ? 'manual' : 'automatic',
		mic:
			comma >= 0
				? { digest: input.mic.slice(0, comma).trim(), algorithm: input.mic.slice(comma + 1).trim() }
				: undefined,
		text: humanMessage,
		signWith: identity && { keyPem: identity.keyPem, certPem: identity.certPem, digest: 'sha256' },
	});
	return {
		raw: Buffer.concat([Buffer.from(`Content-Type: ${written.contentType}\r\n\r\n`), written.body]),
		mdnId: written.mdnId,
		humanMessage,
	};
}
