import { randomBytes } from 'node:crypto';

/** A Received-Content-MIC value as AS2 writes it: base64 digest, algorithm. */
export function formatMic(sha256Base64: string): string {
	return `${sha256Base64}, sha-256`;
}

export interface MdnInput {
	originalMessageId: string;
	/** The side that received the message and so writes the MDN. */
	reportingAs2Id: string;
	/** The side that sent the message and receives the MDN. */
	recipientAs2Id: string;
	mic: string;
	disposition: string;
	signed: boolean;
	receivedAt: number;
}

/**
 * Builds an RFC 8098 MDN: multipart/report with a human-readable part and a
 * message/disposition-notification part; when signed, wrapped in multipart/signed (RFC 1847).
 * The signature part is a placeholder (the sandbox holds no private key), marked as such.
 */
export function buildMdn(input: MdnInput): { raw: Buffer; mdnId: string; humanMessage: string } {
	const mdnId = `<${Date.now()}.${randomBytes(4).readUInt32BE(0)}@sandbox.mftgateway.test>`;
	const reportBoundary = `----=_Part_report_${randomBytes(6).toString('hex')}`;
	const humanMessage = [
		`MDN for Message-ID: ${input.originalMessageId}`,
		`From: ${input.recipientAs2Id}`,
		`To: ${input.reportingAs2Id}`,
		`Received on: ${new Date(input.receivedAt).toUTCString()}`,
		`Status: ${input.disposition.split(';').slice(1).join(';').trim()}`,
		'Comment: This is not a guarantee that the message has been completely processed or understood by the receiving translator',
	].join('\r\n');
	const notification = [
		'Reporting-UA: MFT Gateway Sandbox',
		`Original-Recipient: rfc822; ${input.reportingAs2Id}`,
		`Final-Recipient: rfc822; ${input.reportingAs2Id}`,
		`Original-Message-ID: ${input.originalMessageId}`,
		`Received-Content-MIC: ${input.mic}`,
		`Disposition: ${input.disposition}`,
	].join('\r\n');
	const report = [
		`Content-Type: multipart/report; report-type=disposition-notification; boundary="${reportBoundary}"`,
		'',
		`--${reportBoundary}`,
		'Content-Type: text/plain; charset=us-ascii',
		'Content-Transfer-Encoding: 7bit',
		'',
		humanMessage,
		'',
		`--${reportBoundary}`,
		'Content-Type: message/disposition-notification',
		'Content-Transfer-Encoding: 7bit',
		'',
		notification,
		'',
		`--${reportBoundary}--`,
		'',
	].join('\r\n');
	if (!input.signed) return { raw: Buffer.from(report), mdnId, humanMessage };
	const signedBoundary = `----=_Part_signed_${randomBytes(6).toString('hex')}`;
	const placeholder = Buffer.from(
		'sandbox placeholder signature: not a real PKCS#7 structure',
	).toString('base64');
	const signed = [
		`Content-Type: multipart/signed; protocol="application/pkcs7-signature"; micalg=sha-256; boundary="${signedBoundary}"`,
		'',
		`--${signedBoundary}`,
		report,
		`--${signedBoundary}`,
		'Content-Type: application/pkcs7-signature; name=smime.p7s',
		'Content-Transfer-Encoding: base64',
		'Content-Disposition: attachment; filename=smime.p7s',
		'',
		placeholder,
		'',
		`--${signedBoundary}--`,
		'',
	].join('\r\n');
	return { raw: Buffer.from(signed), mdnId, humanMessage };
}
