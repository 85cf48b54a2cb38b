import { parseMdn } from '../../nodes/MftGateway/helpers/mdnParser';
import { digestFromMicAlgorithm } from '../../nodes/MftGateway/as2/cms';
import type { Certificate } from '../../nodes/MftGateway/as2/x509';
import type { StoredMessage, StoredPartner } from '../model';
import type { Store } from '../store';
import { CONTENT_CIPHERS, type ContentCipher } from './envelope';
import { partnerCertificates, stationKeys } from './keys';
import { type As2Profile, buildAs2Message, micalgName, readSignedEntity } from './message';

/** What happened to one real AS2 send (or to the asynchronous MDN that ends it). */
export type SendOutcome =
	| { kind: 'sent'; mdn?: ReceivedMdn }
	| { kind: 'awaitingMdn' }
	| { kind: 'failed'; httpStatus: number; reason: string; retry: boolean; mdn?: ReceivedMdn };

/** A partner's MDN as the sandbox checked it. */
export interface ReceivedMdn {
	raw: Buffer;
	mdnId: string;
	disposition: string;
	humanMessage: string;
	/** The Received-Content-MIC as the partner wrote it. */
	mic: string;
	signed: boolean;
}

/** The message and what its MDN is checked against, kept until the asynchronous MDN arrives. */
interface PendingMdn {
	message: StoredMessage;
	/** `base64digest, sha-256`. */
	mic: string;
	signatureCertificate?: Certificate;
}

const HEADER_SAFE = /^[^\r\n]*$/;

/** The partner settings as an AS2 profile, or the reason the sandbox cannot send that way. */
export function profileOf(partner: StoredPartner): As2Profile | string {
	const s = partner.settings;
	const profile: As2Profile = {
		transferEncoding: s.contentTransferEncoding === 'base64' ? 'base64' : 'binary',
		keyTransport: s.keyEncryptionAlgorithm === 'RSAES_OAEP' ? 'oaep' : 'rsa',
		compress: s.compressBefore === true ? 'before' : s.compressAfter === true ? 'after' : undefined,
	};
	if (s.signMessage !== false) {
		const digest = digestFromMicAlgorithm(String(s.signatureAlgorithm ?? 'SHA1'));
		if (!digest || digest === 'sha224')
			return `Signature algorithm ${String(s.signatureAlgorithm)} is not supported by the sandbox (SHA1, SHA256, SHA384, SHA512)`;
		profile.sign = digest;
	}
	if (s.encryptMessage !== false) {
		const cipher = String(s.encryptionAlgorithm ?? 'DES_EDE3_CBC');
		if (!(cipher in CONTENT_CIPHERS))
			return `Encryption algorithm ${cipher} is not supported by the sandbox (${Object.keys(CONTENT_CIPHERS).join(', ')})`;
		profile.encrypt = cipher as ContentCipher;
	}
	return profile;
}

/**
 * Sends real AS2 (RFC 4130) to partners whose behaviour is `as2`: builds the message from the stored files
 * with the partner's settings, POSTs it with the AS2 headers, and checks the synchronous MDN or keeps the
 * message until its asynchronous MDN arrives (`acceptAsyncMdn`).
 */
export class As2Sender {
	private readonly pending = new Map<string, PendingMdn>();

	constructor(
		private readonly store: Store,
		/** Where partners POST asynchronous MDNs: the sandbox's AS2 endpoint. */
		private readonly asyncMdnUrl: () => string,
		private readonly timeoutMs: (partner: StoredPartner) => number,
	) {}

	async send(message: StoredMessage, partner: StoredPartner): Promise<SendOutcome> {
		const failed = (reason: string, httpStatus = 0, retry = false): SendOutcome => ({
			kind: 'failed',
			httpStatus,
			reason,
			retry,
		});
		const profile = profileOf(partner);
		if (typeof profile === 'string') return failed(profile);
		const station = this.store.state.stations.find((s) => s.as2Identifier === message.station);
		const keys = station && stationKeys(this.store, station);
		const certificates = partnerCertificates(partner);
		if (profile.sign && !keys)
			return failed(`Station ${message.station} has no private key to sign with`);
		if (profile.encrypt && !certificates.encryption)
			return failed(`Partner ${partner.as2Identifier} has no usable encryption certificate`);
		const files = [];
		for (const attachment of message.attachments) {
			const chunks: Buffer[] = [];
			for await (const chunk of this.store.openFile(attachment.key)) chunks.push(chunk as Buffer);
			files.push({
				name: attachment.name,
				contentType: attachment.contentType,
				content: Buffer.concat(chunks),
			});
		}
		const mdnMode =
			partner.settings.requestMDN === false
				? 'none'
				: partner.settings.requestAsyncMDN === true
					? 'async'
					: 'sync';
		const signedMdn = mdnMode !== 'none' && partner.settings.requestSignedMDN !== false;
		const micDigest = profile.sign ?? 'sha256';
		const built = buildAs2Message(files, profile, {
			signer: keys && { keyPem: keys.keyPem, certPem: keys.certPem },
			recipient: certificates.encryption,
		});
		message.mic = built.mic;
		const headers: Record<string, string> = {
			'AS2-Version': '1.2',
			'AS2-From': quoteAs2Id(message.station),
			'AS2-To': quoteAs2Id(partner.as2Identifier),
			'Message-ID': message.identifier,
			Subject: message.subject.replace(/[\r\n]+/g, ' '),
			Date: new Date().toUTCString(),
			From: station?.email.split(',')[0].trim() ?? 'as2@sandbox.mftgateway.test',
			'MIME-Version': '1.0',
			'User-Agent': 'MFT Gateway Sandbox',
			...built.headers,
		};
		if (mdnMode !== 'none') headers['Disposition-Notification-To'] = headers.From;
		if (signedMdn)
			headers['Disposition-Notification-Options'] =
				`signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, ${micalgName(micDigest)}`;
		if (mdnMode === 'async') headers['Receipt-Delivery-Option'] = this.asyncMdnUrl();
		for (const custom of (partner.settings.customHeaders ?? []) as Array<{
			headerName: string;
			headerValue: string;
		}>)
			if (HEADER_SAFE.test(custom.headerName + custom.headerValue))
				headers[custom.headerName] = custom.headerValue;
		message.transportHeaders = headers;
		const expected: PendingMdn = {
			message,
			mic: built.mic,
			signatureCertificate: certificates.signature,
		};
		if (mdnMode === 'async') this.pending.set(message.identifier, expected);
		let response: Response;
		try {
			response = await fetch(partner.url, {
				method: 'POST',
				headers,
				body: built.body,
				signal: AbortSignal.timeout(this.timeoutMs(partner)),
				redirect: 'manual',
			});
		} catch (error) {
			this.pending.delete(message.identifier);
			return failed(connectionFailure(partner.url, error as Error), 0, true);
		}
		const body = Buffer.from(await response.arrayBuffer());
		if (response.status < 200 || response.status > 299) {
			this.pending.delete(message.identifier);
			return failed(
				`Received HTTP status code of ${response.status}`,
				response.status,
				response.status >= 500 || response.status === 429,
			);
		}
		if (mdnMode === 'none') return { kind: 'sent' };
		if (mdnMode === 'async') return { kind: 'awaitingMdn' };
		const responseHeaders = Object.fromEntries(
			[...response.headers].map(([k, v]) => [k.toLowerCase(), v]),
		);
		return checkMdn(responseHeaders, body, expected);
	}

	/** Whether an asynchronous MDN for this message is awaited. */
	awaits(messageId: string): boolean {
		return this.pending.has(messageId);
	}

	forget(messageId: string): void {
		this.pending.delete(messageId);
	}

	/**
	 * An MDN POSTed to the AS2 endpoint: the message it answers and the outcome, or undefined when it answers
	 * no message we wait for.
	 */
	acceptAsyncMdn(
		headers: Record<string, string | undefined>,
		body: Buffer,
	): { message: StoredMessage; outcome: SendOutcome } | undefined {
		let originalId: string | undefined;
		try {
			originalId = String(
				parseMdn(readSignedEntity(headers, body).reportText).originalMessageId ?? '',
			);
		} catch {
			return undefined;
		}
		const expected = this.pending.get(originalId);
		if (!expected) return undefined;
		this.pending.delete(originalId);
		return { message: expected.message, outcome: checkMdn(headers, body, expected) };
	}
}

/** An AS2 identifier as a header value: quoted when it has spaces or specials (RFC 4130 §6.2). */
function quoteAs2Id(id: string): string {
	return /^[\x21-\x7e]+$/.test(id) && !/["\\]/.test(id)
		? id
		: `"${id.replace(/(["\\])/g, '\\$1')}"`;
}

function connectionFailure(url: string, error: Error): string {
	const cause = (error as Error & { cause?: { code?: string; message?: string } }).cause;
	const where = new URL(url).host;
	if (error.name === 'TimeoutError')
		return `No answer from ${where} within the transmission timeout`;
	if (cause?.code === 'ECONNREFUSED') return `Connection refused by ${where}`;
	if (cause?.code === 'ENOTFOUND') return `Host not found: ${where}`;
	return `Could not connect to ${where}: ${cause?.message ?? error.message}`;
}

/** Verifies an MDN (signature, original message, disposition, MIC) and says what it means for the message. */
function checkMdn(
	headers: Record<string, string | undefined>,
	body: Buffer,
	expected: PendingMdn,
): SendOutcome {
	const raw = Buffer.concat([
		Buffer.from(`Content-Type: ${headers['content-type'] ?? ''}\r\n\r\n`, 'latin1'),
		body,
	]);
	let read: ReturnType<typeof readSignedEntity>;
	let facts: ReturnType<typeof parseMdn>;
	try {
		read = readSignedEntity(headers, body, expected.signatureCertificate);
		facts = parseMdn(read.reportText);
	} catch (error) {
		return {
			kind: 'failed',
			httpStatus: 200,
			reason: `The partner's MDN is unreadable: ${(error as Error).message}`,
			retry: false,
		};
	}
	const disposition = facts.disposition as { raw: string; successful: boolean };
	const mdn: ReceivedMdn = {
		raw,
		mdnId: String(headers['message-id'] ?? facts.originalMessageId ?? ''),
		disposition: disposition.raw,
		humanMessage: String(facts.humanReadable ?? ''),
		mic: String((facts.fields as Record<string, string>)['received-content-mic'] ?? ''),
		signed: read.signed,
	};
	const fail = (reason: string): SendOutcome => ({
		kind: 'failed',
		httpStatus: 200,
		reason,
		retry: false,
		mdn,
	});
	if (read.signatureError)
		return fail(`The partner's MDN signature is invalid: ${read.signatureError}`);
	if (facts.originalMessageId !== expected.message.identifier)
		return fail(`The partner's MDN answers another message (${String(facts.originalMessageId)})`);
	if (!disposition.successful) return fail(`The partner's MDN is negative: ${disposition.raw}`);
	if (!sameMic(mdn.mic, expected.mic))
		return fail(
			`MIC mismatch: the partner's MDN returned "${mdn.mic}", the sandbox computed "${expected.mic}"`,
		);
	return { kind: 'sent', mdn };
}

/** Two `digest, algorithm` MICs are the same when the digests match and the algorithms are the same however spelled. */
function sameMic(a: string, b: string): boolean {
	const [digestA, algorithmA] = a.split(',').map((s) => s.trim());
	const [digestB, algorithmB] = b.split(',').map((s) => s.trim());
	return (
		digestA === digestB &&
		!!digestFromMicAlgorithm(algorithmA) &&
		digestFromMicAlgorithm(algorithmA) === digestFromMicAlgorithm(algorithmB)
	);
}
