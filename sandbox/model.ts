/** The sandbox's stored records. JSON-serialisable, so the whole state can be saved to a data directory. */

export type Box = 'inbox' | 'queued' | 'sent' | 'failed' | 'incomplete';
export const OUTBOUND_BOXES: Box[] = ['queued', 'sent', 'failed', 'incomplete'];

/** How a partner's AS2 endpoint answers our outbound messages (sandbox-only setting). */
export type PartnerBehaviour =
	| 'accept' // 200 + signed MDN → sent
	| 'reject' // HTTP 422 → failed, no retry
	| 'flaky' // 503 on the first attempts, then accepts → sent after retries
	| 'down' // 503 every time → failed after the retries are used up
	| 'noMdn' // accepts the message, never answers the MDN → incomplete
	| 'as2'; // not simulated: a real AS2 message is POSTed to the partner's URL (sandbox/as2/sender.ts)

export interface StoredAttachment {
	name: string;
	contentType: string;
	size: number;
	/** Object key under the sandbox's file store, shaped like the real S3 keys. */
	key: string;
}

export interface StoredMdn {
	mdnId: string;
	disposition: string;
	humanMessage: string;
	mic: string;
	signed: boolean;
	incoming: boolean;
	status: string;
	statusCode: number;
	timestamp: number;
	rawKey: string;
}

export interface StoredMessage {
	id: number;
	identifier: string;
	box: Box;
	incoming: boolean;
	station: string;
	partner: string;
	subject: string;
	contentType: string;
	attachments: StoredAttachment[];
	timestamp: number;
	msgStatus: string;
	mdnStatus: string;
	failures: number;
	failureReason?: string;
	lastAttemptTime?: number;
	transportStatusReceived: number;
	isRead: boolean;
	mic: string;
	mdn?: StoredMdn;
	transportHeaders: Record<string, string>;
	/** When the outbound lifecycle takes its next step (epoch ms); only for queued messages. */
	nextAttemptAt?: number;
	/** Real AS2 send that asked for an asynchronous MDN: until then it stays queued, then it is incomplete. */
	awaitingMdnUntil?: number;
}

export interface StoredStation {
	stationId: number;
	name: string;
	as2Identifier: string;
	email: string;
	description?: string;
	certificateAlias: string;
	receivedMessageNotifications: boolean;
	failedMessageNotifications: boolean;
	largePayloadSupport: boolean;
	createdAt: number;
}

export interface StoredPartner {
	partnerId: number;
	name: string;
	as2Identifier: string;
	url: string;
	settings: Record<string, unknown>;
	behaviour: PartnerBehaviour;
	createdAt: number;
	updatedAt: number;
}

export type CertType = 'STATION' | 'PARTNER' | 'HTTPS' | 'PARTNER_CHAIN' | 'HTTPS_CHAIN';
export const CERT_TYPES: CertType[] = [
	'STATION',
	'PARTNER',
	'HTTPS',
	'PARTNER_CHAIN',
	'HTTPS_CHAIN',
];

export interface StoredCertificate {
	alias: string;
	type: CertType;
	serialNumberHex: string;
	subjectCommonName: string;
	subjectDistinguishName: string;
	issuerCommonName: string;
	issuerDistinguishName: string;
	validFrom: number;
	expiry: number;
	belongsTo: string[];
	/** The X.509 certificate (PEM) when the sandbox holds a real one (used to encrypt to and verify). */
	pem?: string;
	/** The private key (PKCS#8 PEM) of a station certificate the sandbox generated (signs and decrypts). */
	privateKeyPem?: string;
}

export interface StoredUser {
	username: string;
	password: string;
	/** false = the account exists but may not use the REST API (e.g. MFA enabled). */
	apiAccess: boolean;
}

export interface StoredApiToken {
	tokenId: string;
	tokenSecret: string;
	username: string;
}

export interface SandboxState {
	version: 1;
	signingKey: string;
	nextNumber: number;
	users: StoredUser[];
	apiTokens: StoredApiToken[];
	/** Refresh-token ids still valid (rotation removes the used one). */
	liveRefreshTokens: string[];
	/** Access-token ids revoked before their expiry (the "token expiry" fault). */
	revokedTokens: string[];
	messages: StoredMessage[];
	stations: StoredStation[];
	partners: StoredPartner[];
	certificates: StoredCertificate[];
}
