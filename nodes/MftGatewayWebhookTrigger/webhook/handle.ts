import { timingSafeEqual } from 'crypto';

import type {
	IBinaryKeyData,
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
} from 'n8n-workflow';

import { downloadAttachments } from '../../MftGateway/helpers/attachments';
import { eventKey, ledgerFor, saveLedger } from '../../shared/eventLedger';
import { simplifyMessage } from '../../MftGateway/helpers/simplify';
import { readMessage } from '../../MftGateway/transport/messages';
import { type GatewayEvent, eventSummary, parseEvent, type WebhookEvent } from './payload';

export interface WebhookSettings {
	events: WebhookEvent[];
	station: string;
	partner: string;
	/** Extra secret the URL must carry as `?token=`; empty: the webhook id in the URL is the secret. */
	urlToken: string;
	includeMessage: boolean;
	downloadAttachments: boolean;
	binaryPrefix: string;
	simplify: boolean;
}

/** What the node decided for one request: ignore it (with the reason for the log) or start the workflow. */
export type Outcome =
	| { ignored: string; level: 'info' | 'warn' | 'debug' }
	| { item: INodeExecutionData };

function tokenMatches(expected: string, given: unknown): boolean {
	if (typeof given !== 'string') return false;
	const a = Buffer.from(expected, 'utf8');
	const b = Buffer.from(given, 'utf8');
	return a.length === b.length && timingSafeEqual(a, b);
}

/** The station of an event whose payload does not name it (the minimal failure payload). */
async function stationOf(this: IWebhookFunctions, e: GatewayEvent): Promise<string | null> {
	if (e.station) return e.station;
	const message = await readMessage.call(this, 'outbox', e.messageId, { notFoundOk: true });
	const station = message?.senderIdentifier ?? message?.senderAS2Id;
	return typeof station === 'string' ? station : null;
}

/** The output item: the event, and (when asked) the message through the API and its files. */
async function eventItem(
	this: IWebhookFunctions,
	e: GatewayEvent,
	s: WebhookSettings,
): Promise<INodeExecutionData> {
	const base = { event: e.event, eventType: e.eventType, source: 'webhook' };
	const side = e.event === 'messageReceived' ? 'inbox' : 'outbox';
	let json: IDataObject = { ...eventSummary(e), ...base };
	if (!s.includeMessage && !s.downloadAttachments) return { json };
	try {
		if (s.includeMessage) {
			const message = await readMessage.call(this, side, e.messageId, { notFoundOk: true });
			json = message
				? { ...(s.simplify ? simplifyMessage(message) : message), ...base }
				: { ...json, detailsError: `The API has no ${side} message ${e.messageId} (yet)` };
		}
		if (!s.downloadAttachments) return { json };
		const files = await downloadAttachments.call(this, side, e.messageId, undefined, true);
		const binary: IBinaryKeyData = {};
		files.forEach((file, index) => (binary[`${s.binaryPrefix}${index}`] = file.binary));
		return files.length ? { json, binary } : { json };
	} catch (error) {
		// The event is not lost for a failed lookup: it goes on with what the notification said.
		return { json: { ...json, detailsError: (error as Error).message } };
	}
}

/**
 * One notification from MFT Gateway. Anything that is not a wanted event of a wanted station is ignored
 * (the caller answers 2xx all the same); a wanted event is claimed in the workflow's event ledger, so a
 * duplicate notification, or the reconciling poller, does not start the workflow again.
 */
export async function handleNotification(
	this: IWebhookFunctions,
	s: WebhookSettings,
): Promise<Outcome> {
	if (s.urlToken && !tokenMatches(s.urlToken, (this.getQueryData() as IDataObject).token))
		return { ignored: 'a request without the URL token (forged or mistyped URL)', level: 'warn' };
	const parsed = parseEvent(this.getBodyData());
	if ('reason' in parsed) return { ignored: parsed.reason, level: 'info' };
	if (!s.events.includes(parsed.event))
		return { ignored: `${parsed.eventType} is not one of the events listened for`, level: 'debug' };
	if (s.partner && parsed.partner !== s.partner)
		return { ignored: `an event for partner ${parsed.partner ?? '(none)'}`, level: 'debug' };
	if (s.station) {
		let station: string | null;
		try {
			station = await stationOf.call(this, parsed);
		} catch {
			station = null;
		}
		if (station !== s.station)
			return { ignored: `an event for station ${station ?? '(unknown)'}`, level: 'debug' };
	}
	// Editor test calls neither claim nor save: a test must not hide the real event from production.
	if (this.getMode() === 'manual') return { item: await eventItem.call(this, parsed, s) };
	const global = this.getWorkflowStaticData('global');
	const ledger = ledgerFor(this.getWorkflow().id ?? '', global);
	if (!ledger.claim(eventKey(parsed.ledger, parsed.messageId)))
		return {
			ignored: `${parsed.eventType} ${parsed.messageId} was already handled`,
			level: 'debug',
		};
	const item = await eventItem.call(this, parsed, s);
	// Copied last, so that what n8n saves holds every claim made in this process until now.
	saveLedger(ledger, global);
	return { item };
}
