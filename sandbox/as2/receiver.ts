/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- the sandbox is dev-only tooling, not n8n node code */
import type { IncomingMessage, ServerResponse } from 'node:http';

import { type DigestName, digestFromMicAlgorithm } from '../../nodes/MftGateway/as2/cms';
import { ApiError, readBody } from '../http';
import { writeMdn, type WrittenMdn } from '../mdn';
import type { StoredMessage, StoredPartner, StoredStation } from '../model';
import type { Sandbox } from '../sandbox';
import { As2Failure } from './failure';
import { partnerCertificates, stationKeys } from './keys';
import { httpEntity, unwrapAs2Message } from './message';

/** What the AS2 endpoint did with one request (kept for tests and the stats). */
export interface ReceivedAs2 {
	at: number;
	messageId: string;
	from: string;
	to: string;
	/** `stored`, `duplicate`, `mdn` (an asynchronous MDN for one of our sends), or the failure modifier. */
	outcome: string;
	detail?: string;
	mdn: 'sync' | 'async' | 'none' | 'async refused';
}

const MAX_LOG = 1000;

/** The MDN the sender asked for (RFC 4130 §7.3): none, signed or not, synchronous or to a URL. */
interface MdnRequest {
	wanted: boolean;
	signDigest?: DigestName;
	asyncUrl?: string;
}

function mdnRequestOf(headers: Record<string, string | undefined>): MdnRequest {
	const options = headers['disposition-notification-options'] ?? '';
	const wantsSigned =
		/signed-receipt-protocol\s*=\s*(required|optional)\s*,\s*pkcs7-signature/i.test(options);
	// signed-receipt-micalg=optional, sha-256, sha1: the first one we support.
	const micalgs = /signed-receipt-micalg\s*=\s*(?:required|optional)\s*,([^;]*)/i.exec(
		options,
	)?.[1];
	const signDigest = wantsSigned
		? ((micalgs ?? '')
				.split(',')
				.map((name) => digestFromMicAlgorithm(name))
				.find((d) => d && d !== 'sha224') ?? 'sha256')
		: undefined;
	return {
		wanted: headers['disposition-notification-to'] !== undefined,
		signDigest,
		asyncUrl: headers['receipt-delivery-option']?.trim() || undefined,
	};
}

/** An AS2 id from a header: quotes and escapes removed (RFC 4130 §6.2). */
function as2Id(value: string | undefined): string {
	const trimmed = (value ?? '').trim();
	return /^".*"$/.test(trimmed) ? trimmed.slice(1, -1).replace(/\\(.)/g, '$1') : trimmed;
}

/**
 * The sandbox's AS2 endpoint (its own port): receives real AS2 messages for its stations, stores them in the
 * inbox (so triggers and webhooks see them) and answers with an MDN, synchronously or to the URL the sender
 * gave; also takes asynchronous MDNs for the sandbox's own real-AS2 sends.
 */
export class As2Receiver {
	readonly log: ReceivedAs2[] = [];
	/** Asynchronous MDN deliveries under way (tests wait for them). */
	private readonly deliveries = new Set<Promise<void>>();
	/** The last one in line per Message-ID: a resend that arrives while the first is processed waits for it. */
	private readonly inLine = new Map<string, Promise<void>>();

	constructor(private readonly sandbox: Sandbox) {}

	async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		try {
			if ((req.method ?? 'GET').toUpperCase() !== 'POST')
				return this.plain(res, 405, 'The AS2 endpoint takes POST requests only');
			const body = await readBody(req, this.sandbox.config.maxAs2BodyBytes);
			const headers: Record<string, string | undefined> = {};
			for (const [name, value] of Object.entries(req.headers))
				headers[name] = Array.isArray(value) ? value.join(', ') : value;
			// As sent (original case), for the message's transportHeaders.
			const asSent: Record<string, string> = {};
			for (let i = 0; i + 1 < req.rawHeaders.length; i += 2)
				asSent[req.rawHeaders[i]] = req.rawHeaders[i + 1];
			await this.receive(headers, asSent, body, res);
		} catch (error) {
			if (res.headersSent || res.destroyed) return;
			if (error instanceof ApiError) return this.plain(res, error.status, error.message);
			process.stderr.write(`sandbox AS2: ${(error as Error).stack ?? String(error)}\n`);
			this.plain(res, 500, 'The AS2 endpoint failed to process the message');
		}
	}

	/** Waits until earlier requests with this Message-ID are done; the returned function lets the next one go. */
	private async oneAtATime(messageId: string): Promise<() => void> {
		const before = this.inLine.get(messageId);
		let release!: () => void;
		const mine = new Promise<void>((resolve) => (release = resolve));
		this.inLine.set(messageId, mine);
		await before;
		return () => {
			release();
			if (this.inLine.get(messageId) === mine) this.inLine.delete(messageId);
		};
	}

	/** Resolves when every asynchronous MDN under way has been answered. */
	async idle(): Promise<void> {
		while (this.deliveries.size) await Promise.all([...this.deliveries]);
	}

	private async receive(
		headers: Record<string, string | undefined>,
		asSent: Record<string, string>,
		body: Buffer,
		res: ServerResponse,
	): Promise<void> {
		const messageId = (headers['message-id'] ?? '').trim();
		const from = as2Id(headers['as2-from']);
		const to = as2Id(headers['as2-to']);
		if (!from || !to) return this.plain(res, 400, 'AS2-From and AS2-To headers are required');
		if (this.isMdn(headers, body)) {
			const answered = this.sandbox.lifecycle.acceptAsyncMdn(headers, body);
			this.record({
				messageId,
				from,
				to,
				outcome: answered ? 'mdn' : 'unexpected mdn',
				mdn: 'none',
			});
			return this.plain(
				res,
				answered ? 200 : 400,
				answered ? 'MDN received' : 'No message awaits this MDN',
			);
		}
		if (!messageId) return this.plain(res, 400, 'The Message-ID header is required');
		const request = mdnRequestOf(headers);
		const state = this.sandbox.store.state;
		const station = state.stations.find((s) => s.as2Identifier === to);
		const partner = state.partners.find((p) => p.as2Identifier === from);
		let duplicate = false;
		let failure: As2Failure | undefined;
		let mic: string | undefined;
		let stored: StoredMessage | undefined;
		const release = await this.oneAtATime(messageId);
		try {
			if (!station || !partner) {
				failure = new As2Failure(
					'error: unknown-trading-relationship',
					!station
						? `No station with AS2 identifier ${to}`
						: `No partner with AS2 identifier ${from}`,
				);
			} else {
				const existing = this.sandbox.store.findMessage(messageId, ['inbox']);
				if (existing && existing.partner === from && existing.station === to) {
					// AS2 senders resend when an MDN got lost: answer again, store once.
					mic = existing.mic;
					stored = existing;
					duplicate = true;
				} else {
					try {
						const result = await this.store(
							station,
							partner,
							headers,
							asSent,
							body,
							messageId,
							request,
						);
						stored = result;
						mic = result.mic;
					} catch (error) {
						if (!(error instanceof As2Failure)) throw error;
						failure = error;
					}
				}
			}
		} finally {
			release();
		}
		const mdnText = failure
			? `The AS2 message ${messageId} could not be processed: ${failure.message}`
			: `The AS2 message ${messageId} from ${from} to ${to} was received and verified.`;
		const outcome = failure ? failure.modifier : duplicate ? 'duplicate' : 'stored';
		const mdn = request.wanted
			? this.mdnFor(station, from, messageId, failure, mic, request, mdnText)
			: undefined;
		if (stored && mdn && !duplicate) await this.keepMdn(stored, mdn, request);
		const mode = !mdn ? 'none' : request.asyncUrl ? 'async' : 'sync';
		this.record({ messageId, from, to, outcome, detail: failure?.message, mdn: mode });
		if (!mdn || request.asyncUrl) {
			this.plain(res, 200, mdn ? 'The MDN will be sent to the requested URL' : 'Message received');
			if (mdn) this.sendAsync(mdn, request.asyncUrl!, station, from, messageId);
			return;
		}
		res.writeHead(200, {
			...mdn.headers,
			'AS2-Version': '1.2',
			'AS2-From': station?.as2Identifier ?? to,
			'AS2-To': from,
			'Content-Length': mdn.body.length,
		});
		res.end(mdn.body);
	}

	/** Unwraps, stores the message and its files in the inbox (the received webhook goes out), returns it. */
	private async store(
		station: StoredStation,
		partner: StoredPartner,
		headers: Record<string, string | undefined>,
		asSent: Record<string, string>,
		body: Buffer,
		messageId: string,
		request: MdnRequest,
	): Promise<StoredMessage> {
		const keys = stationKeys(this.sandbox.store, station);
		const unwrapped = unwrapAs2Message(
			headers,
			body,
			{
				keyPem: keys.keyPem,
				certificate: keys.certificate,
				partnerCertificate: partnerCertificates(partner).signature,
			},
			{
				micDigest: request.signDigest ?? 'sha256',
				maxSize: this.sandbox.config.maxAs2BodyBytes * 4,
			},
		);
		const [id] = await this.sandbox.deliverInbound({
			station: station.as2Identifier,
			partner: partner.as2Identifier,
			subject: headers.subject ?? `AS2 Message from ${partner.as2Identifier}`,
			messageId,
			count: 1,
			files: unwrapped.files,
		});
		const message = this.sandbox.store.findMessage(id, ['inbox'])!;
		message.mic = unwrapped.mic;
		message.transportHeaders = asSent;
		message.mdnStatus = request.wanted ? message.mdnStatus : 'MDN Not Requested';
		this.sandbox.store.changed();
		return message;
	}

	private mdnFor(
		station: StoredStation | undefined,
		from: string,
		messageId: string,
		failure: As2Failure | undefined,
		mic: string | undefined,
		request: MdnRequest,
		text: string,
	): WrittenMdn {
		const [digest, algorithm] = (mic ?? '').split(',').map((s) => s.trim());
		const keys = station && stationKeys(this.sandbox.store, station);
		return writeMdn({
			originalMessageId: messageId,
			finalRecipient: station?.as2Identifier ?? 'unknown',
			disposition: failure?.disposition ?? 'processed',
			modifier: failure?.modifier,
			mic: digest && algorithm ? { digest, algorithm } : undefined,
			text,
			signWith:
				keys && request.signDigest
					? { keyPem: keys.keyPem, certPem: keys.certPem, digest: request.signDigest }
					: undefined,
		});
	}

	/** The MDN we sent becomes the stored message's MDN (MDN Get returns these exact bytes). */
	private async keepMdn(
		message: StoredMessage,
		mdn: WrittenMdn,
		request: MdnRequest,
	): Promise<void> {
		const rawKey = message.mdn?.rawKey ?? `AS2/raw-mdn/incoming/${message.id}/mdn.raw`;
		await this.sandbox.store.writeFile(
			rawKey,
			Buffer.concat([Buffer.from(`Content-Type: ${mdn.contentType}\r\n\r\n`), mdn.body]),
		);
		const signed = request.signDigest !== undefined;
		const status = signed ? 'Sent Signed MDN' : 'Sent MDN';
		message.mdnStatus = status;
		message.mdn = {
			mdnId: mdn.mdnId,
			disposition: 'automatic-action/MDN-sent-automatically; processed',
			humanMessage: mdn.humanMessage,
			mic: message.mic,
			signed,
			incoming: false,
			status,
			statusCode: 1,
			timestamp: Date.now(),
			rawKey,
		};
		this.sandbox.store.changed();
	}

	/** POSTs the MDN to the sender's URL, if its host is allowed (loopback unless configured otherwise). */
	private sendAsync(
		mdn: WrittenMdn,
		url: string,
		station: StoredStation | undefined,
		to: string,
		messageId: string,
	): void {
		let host: string;
		try {
			const parsed = new URL(url);
			if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error('not http');
			host = parsed.hostname.replace(/^\[|\]$/g, '').toLowerCase();
		} catch {
			this.log[this.log.length - 1].mdn = 'async refused';
			return;
		}
		if (!this.sandbox.config.asyncMdnAllowedHosts.includes(host)) {
			this.log[this.log.length - 1].mdn = 'async refused';
			return;
		}
		const delivery = fetch(url, {
			method: 'POST',
			headers: {
				...mdn.headers,
				'AS2-Version': '1.2',
				'AS2-From': station?.as2Identifier ?? 'unknown',
				'AS2-To': to,
				'Original-Message-ID': messageId,
			},
			body: mdn.body,
			signal: AbortSignal.timeout(30_000),
			redirect: 'manual',
		})
			.then(async (response) => void (await response.arrayBuffer()))
			.catch(() => undefined)
			.finally(() => this.deliveries.delete(delivery));
		this.deliveries.add(delivery);
	}

	/** An MDN rather than a message: a disposition report, signed or not. */
	private isMdn(headers: Record<string, string | undefined>, body: Buffer): boolean {
		const type = (headers['content-type'] ?? '').toLowerCase();
		if (type.startsWith('multipart/report')) return true;
		if (!type.startsWith('multipart/signed')) return false;
		try {
			return /^\s*(content-type:\s*)?multipart\/report/im.test(
				httpEntity(headers, body).body.subarray(0, 4096).toString('latin1'),
			);
		} catch {
			return false;
		}
	}

	private record(entry: Omit<ReceivedAs2, 'at'>): void {
		this.log.push({ at: Date.now(), ...entry });
		if (this.log.length > MAX_LOG) this.log.shift();
	}

	private plain(res: ServerResponse, status: number, text: string): void {
		res.writeHead(status, {
			'Content-Type': 'text/plain; charset=utf-8',
			'Content-Length': Buffer.byteLength(text),
		});
		res.end(text);
	}
}
