import type { StoredCertificate, StoredMessage, StoredPartner, StoredStation } from './model';

/** Java's Date.toString() in UTC, as the certificate endpoint writes dates ("Tue May 26 00:00:00 UTC 2015"). */
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function javaDate(ms: number): string {
	const d = new Date(ms);
	const pad = (n: number) => String(n).padStart(2, '0');
	const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
	return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${pad(d.getUTCDate())} ${time} UTC ${d.getUTCFullYear()}`;
}

/**
 * A message as GET /message/{inbox|outbox}/{id} returns it: the post-2024 names and the legacy ones side by
 * side (as the service did during its deprecation window), plus the fields real responses carry.
 */
export function messageJson(m: StoredMessage): Record<string, unknown> {
	const sender = m.incoming ? m.partner : m.station;
	const receiver = m.incoming ? m.station : m.partner;
	const json: Record<string, unknown> = {
		id: m.id,
		identifier: m.identifier,
		as2MessageId: m.identifier,
		type: 'AS2',
		incoming: m.incoming,
		msgStatus: m.msgStatus,
		msgStatusCode: statusCode(m),
		mdnStatus: m.mdnStatus,
		mdnStatusCode: m.mdn ? m.mdn.statusCode : 0,
		senderIdentifier: sender,
		receiverIdentifier: receiver,
		senderAS2Id: sender,
		receiverAS2Id: receiver,
		subject: m.subject,
		failures: m.failures,
		attachmentPaths: m.attachments.map((a) => a.key),
		attachmentInfo: m.attachments.map((a) => ({ name: a.name, size: String(a.size) })),
		compressed: false,
		signed: true,
		encrypted: true,
		mic: m.mic,
		micMatches: m.mdn ? m.mdn.mic === m.mic : false,
		transportStatusReceived: m.transportStatusReceived,
		userAgent: m.incoming ? 'Partner AS2 Server (sandbox)' : 'MFT Gateway',
		timestamp: m.timestamp,
		isRead: m.isRead,
		apiFetched: m.isRead,
		transportHeaders: m.transportHeaders,
	};
	if (m.failureReason !== undefined) json.failureReason = m.failureReason;
	if (m.lastAttemptTime !== undefined) json.lastAttemptTime = m.lastAttemptTime;
	if (m.mdn) {
		json.mdnMessage = {
			mdnId: m.mdn.mdnId,
			messageId: m.id,
			identifier: m.identifier,
			as2MessageId: m.identifier,
			disposition: m.mdn.disposition,
			humanMessage: m.mdn.humanMessage,
			rawMdnS3Key: m.mdn.rawKey,
			mic: m.mdn.mic,
			signed: m.mdn.signed,
			incoming: m.mdn.incoming,
			status: m.mdn.status,
			timestamp: m.mdn.timestamp,
		};
	}
	return json;
}

function statusCode(m: StoredMessage): number {
	return { inbox: 1, queued: 2, sent: 3, failed: 4, incomplete: 5 }[m.box];
}

/** Certificate metadata with the new names and the legacy snake_case ones. */
export function certificateJson(c: StoredCertificate): Record<string, unknown> {
	const serialDecimal = BigInt(`0x${c.serialNumberHex}`).toString(10);
	return {
		alias: c.alias,
		type: c.type,
		serialNumberHex: c.serialNumberHex,
		serialNumberDecimal: serialDecimal,
		serial_number: c.serialNumberHex,
		subjectCommonName: c.subjectCommonName,
		subject_common_name: c.subjectCommonName,
		subjectDistinguishName: c.subjectDistinguishName,
		subject_distinguish_name: c.subjectDistinguishName,
		issuerCommonName: c.issuerCommonName,
		issuer_common_name: c.issuerCommonName,
		issuerDistinguishName: c.issuerDistinguishName,
		issuer_distinguish_name: c.issuerDistinguishName,
		validFrom: javaDate(c.validFrom),
		valid_from: javaDate(c.validFrom),
		validFromTimestamp: c.validFrom,
		expiry: javaDate(c.expiry),
		expiryTimestamp: c.expiry,
		belongsTo: c.belongsTo,
	};
}

export function stationJson(s: StoredStation): Record<string, unknown> {
	return {
		stationId: s.stationId,
		identifier: s.as2Identifier,
		as2Identifier: s.as2Identifier,
		name: s.name,
		email: s.email,
		description: s.description ?? '',
		certificateAlias: s.certificateAlias,
		receivedMessageNotifications: s.receivedMessageNotifications,
		failedMessageNotifications: s.failedMessageNotifications,
		largePayloadSupport: s.largePayloadSupport,
	};
}

export function partnerJson(p: StoredPartner): Record<string, unknown> {
	return {
		partnerId: p.partnerId,
		identifier: p.as2Identifier,
		as2Identifier: p.as2Identifier,
		name: p.name,
		url: p.url,
		...p.settings,
	};
}
