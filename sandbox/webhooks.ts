/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox is dev-only tooling, not n8n node code */
import type { StoredMessage, StoredStation } from './model';

/**
 * Webhook notifications, as MFT Gateway sends them (reference §6): one endpoint per station or for all
 * stations (registered in the console; here through /_sandbox/webhooks), an HTTP POST with a JSON body,
 * best effort: a lost or refused notification is never sent again. Faults make them lost, late (so out
 * of order) or doubled on demand.
 */

export type PayloadStyle = 'old' | 'new' | 'both';
export type NotifiedEvent = 'received' | 'sent' | 'failed';

export interface WebhookEndpoint {
	/** A station's AS2 identifier, or `*` for all stations. */
	station: string;
	url: string;
	/** `old`: `messageAS2ID`… keys; `new`: `messageIdentifier`…; `both` (what the service sends since 3.1.1). */
	payloadStyle: PayloadStyle;
}

export interface WebhookFaults {
	/** Share of notifications never sent (0..1). */
	lose: number;
	/** Share sent twice. */
	duplicate: number;
	/** Each notification waits a random 0..delayMs first, so they arrive out of order. */
	delayMs: number;
}

export interface DeliveryRecord {
	eventType: string;
	messageId: string;
	station: string;
	/** `lost` (fault), `2xx`, `status <n>`, `error` (no answer), or `no endpoint`. */
	outcome: string;
	copy: number;
}

const EVENT_TYPES: Record<NotifiedEvent, string> = {
	received: 'MESSAGE.RECEIVED.SUCCESS',
	sent: 'MESSAGE.SEND.SUCCESS',
	failed: 'MESSAGE.SEND.FAILED',
};

const MAX_RECORDS = 20_000;
const TIMEOUT_MS = 10_000;

/** The body MFT Gateway posts for an event (field sets of the AsyncAPI, reference §6). */
export function notificationBody(
	event: NotifiedEvent,
	message: StoredMessage,
	station: StoredStation | undefined,
	partnerName: string | undefined,
	style: PayloadStyle,
	tenant: { name: string; email: string },
): Record<string, unknown> {
	const ids: Record<string, unknown> = {};
	if (style !== 'new')
		Object.assign(ids, {
			messageAS2ID: message.identifier,
			partnerAS2ID: message.partner,
			stationAS2ID: message.station,
		});
	if (style !== 'old')
		Object.assign(ids, {
			messageIdentifier: message.identifier,
			partnerIdentifier: message.partner,
			stationIdentifier: message.station,
		});
	const body: Record<string, unknown> = {
		to: tenant.email,
		...ids,
		messageSubject: message.subject,
		partnerName: partnerName ?? message.partner,
		stationName: station?.name ?? message.station,
		attachments: message.attachments.map((a) => a.key),
		bucketName: 'mftg-sandbox',
		tenantName: tenant.name,
		tenantId: 708289069406346,
		tenantEmail: tenant.email,
		eventType: EVENT_TYPES[event],
	};
	if (event === 'received') body.receivedAt = message.timestamp;
	if (event === 'sent') body.sentAt = message.mdn?.timestamp ?? Date.now();
	if (event === 'failed')
		Object.assign(body, {
			failureReason: message.failureReason ?? 'Unknown failure',
			failures: message.failures,
			lastAttemptTime: message.lastAttemptTime ?? Date.now(),
			subject: message.subject,
		});
	return body;
}

/** mulberry32, as in faults.ts: the same losses for the same seed. */
function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export function validateEndpoint(body: Record<string, unknown>): WebhookEndpoint {
	const url = typeof body.url === 'string' ? body.url : '';
	if (!/^https?:\/\/[^\s]+$/.test(url)) throw new Error('url must be an http(s) URL');
	const style = (body.payloadStyle ?? 'both') as PayloadStyle;
	if (!['old', 'new', 'both'].includes(style))
		throw new Error('payloadStyle must be old, new or both');
	const station = typeof body.station === 'string' && body.station ? body.station : '*';
	return { station, url, payloadStyle: style };
}

export function validateFaults(body: Record<string, unknown>): WebhookFaults {
	const share = (name: string) => {
		const value = body[name] === undefined ? 0 : Number(body[name]);
		if (!(value >= 0 && value <= 1)) throw new Error(`${name} must be a number from 0 to 1`);
		return value;
	};
	const delayMs = body.delayMs === undefined ? 0 : Number(body.delayMs);
	if (!(delayMs >= 0 && delayMs <= 600_000)) throw new Error('delayMs must be 0..600000');
	return { lose: share('lose'), duplicate: share('duplicate'), delayMs };
}

export class Webhooks {
	private endpoints = new Map<string, WebhookEndpoint>();
	faults: WebhookFaults = { lose: 0, duplicate: 0, delayMs: 0 };
	records: DeliveryRecord[] = [];
	private random: () => number;
	private readonly pending = new Set<Promise<void>>();
	private closed = false;

	constructor(
		private readonly lookup: (message: StoredMessage) => {
			station?: StoredStation;
			partnerName?: string;
			tenant: { name: string; email: string };
		},
		seed = 1,
	) {
		this.random = seededRandom(seed);
	}

	register(endpoint: WebhookEndpoint): void {
		this.endpoints.set(endpoint.station, endpoint);
	}

	unregister(station?: string): void {
		if (station) this.endpoints.delete(station);
		else this.endpoints.clear();
	}

	list(): WebhookEndpoint[] {
		return [...this.endpoints.values()];
	}

	reseed(seed: number): void {
		this.random = seededRandom(seed);
	}

	/** A station's own endpoint wins over the All Stations one. */
	endpointFor(station: string): WebhookEndpoint | undefined {
		return this.endpoints.get(station) ?? this.endpoints.get('*');
	}

	notify(event: NotifiedEvent, message: StoredMessage): void {
		if (this.closed) return;
		const record = (outcome: string, copy = 1) => {
			this.records.push({
				eventType: EVENT_TYPES[event],
				messageId: message.identifier,
				station: message.station,
				outcome,
				copy,
			});
			if (this.records.length > MAX_RECORDS) this.records.shift();
		};
		const endpoint = this.endpointFor(message.station);
		if (!endpoint) return record('no endpoint');
		if (this.random() < this.faults.lose) return record('lost');
		const info = this.lookup(message);
		const body = JSON.stringify(
			notificationBody(
				event,
				message,
				info.station,
				info.partnerName,
				endpoint.payloadStyle,
				info.tenant,
			),
		);
		const copies = this.random() < this.faults.duplicate ? 2 : 1;
		for (let copy = 1; copy <= copies; copy++) {
			const delay = this.faults.delayMs ? Math.floor(this.random() * this.faults.delayMs) : 0;
			this.track(
				(async () => {
					if (delay) await new Promise((resolve) => setTimeout(resolve, delay).unref());
					record(await this.post(endpoint.url, body), copy);
				})(),
			);
		}
	}

	/** The console's check when an endpoint is saved: one POST, the answer's status. */
	async test(url: string): Promise<string> {
		return await this.post(url, '{}');
	}

	/** Waits until every notification under way has been answered (or given up). */
	async idle(): Promise<void> {
		while (this.pending.size) await Promise.allSettled([...this.pending]);
	}

	summary() {
		const outcomes: Record<string, number> = {};
		for (const r of this.records) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
		return { endpoints: this.list(), faults: this.faults, outcomes, pending: this.pending.size };
	}

	close(): void {
		this.closed = true;
	}

	private track(promise: Promise<void>): void {
		this.pending.add(promise);
		void promise.finally(() => this.pending.delete(promise));
	}

	private async post(url: string, body: string): Promise<string> {
		try {
			// Redirects are not followed (MFT Gateway does not either).
			const response = await fetch(url, {
				method: 'POST',
				headers: { 'content-type': 'application/json', 'user-agent': 'MFTG-Webhook-Sandbox' },
				body,
				redirect: 'manual',
				signal: AbortSignal.timeout(TIMEOUT_MS),
			});
			await response.arrayBuffer().catch(() => undefined);
			return response.status >= 200 && response.status < 300 ? '2xx' : `status ${response.status}`;
		} catch {
			return 'error';
		}
	}
}
