import { timingSafeEqual } from 'crypto';

import type {
	IDataObject,
	INodeExecutionData,
	IWebhookFunctions,
	NodeTypeAndVersion,
} from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { attachmentsAsBinary, type ItemFiles } from '../../MftGateway/helpers/attachments';
import { eventKey, ledgerFor, saveLedger } from '../../shared/eventLedger';
import { simplifyMessage } from '../../MftGateway/helpers/simplify';
import type { Side } from '../../MftGateway/transport/ids';
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

/** Received files may reach the storage a little after the notification: how long to wait between tries. */
export const FILE_WAITS_MS = [1000, 2000, 4000];

const sideOf = (e: GatewayEvent): Side => (e.event === 'messageReceived' ? 'inbox' : 'outbox');

/**
 * The event with the station and partner a filter needs, looked up through the API when the payload does
 * not name them (the minimal failure body names neither); also the message, when it was read.
 */
async function withParties(
	this: IWebhookFunctions,
	e: GatewayEvent,
	s: WebhookSettings,
): Promise<{ e: GatewayEvent; message?: IDataObject }> {
	if ((!s.station || e.station) && (!s.partner || e.partner)) return { e };
	let message: IDataObject | undefined;
	try {
		message = await readMessage.call(this, sideOf(e), e.messageId, { notFoundOk: true });
	} catch {
		return { e };
	}
	if (!message) return { e };
	const { station, partner } = simplifyMessage(message);
	return {
		e: {
			...e,
			station: e.station ?? (station as string | null),
			partner: e.partner ?? (partner as string | null),
		},
		message,
	};
}

/** The files of an event; a received message's are waited for a few times while they are missing. */
async function filesOf(
	this: IWebhookFunctions,
	e: GatewayEvent,
	s: WebhookSettings,
): Promise<ItemFiles> {
	let files = await attachmentsAsBinary.call(this, sideOf(e), e.messageId, s.binaryPrefix);
	if (e.event !== 'messageReceived') return files;
	for (const ms of FILE_WAITS_MS) {
		if (!files.downloadError) break;
		await sleep(ms);
		files = await attachmentsAsBinary.call(this, sideOf(e), e.messageId, s.binaryPrefix);
	}
	return files;
}

/**
 * The output item: the event, and (when asked) the message through the API and its files. `filesMissing`:
 * a received message's files were not (yet) in storage after the waits.
 */
async function eventItem(
	this: IWebhookFunctions,
	e: GatewayEvent,
	s: WebhookSettings,
	known?: IDataObject,
): Promise<{ item: INodeExecutionData; filesMissing: boolean }> {
	const base = { event: e.event, eventType: e.eventType, source: 'webhook' };
	const side = sideOf(e);
	let json: IDataObject = { ...eventSummary(e), ...base };
	if (!s.includeMessage && !s.downloadAttachments) return { item: { json }, filesMissing: false };
	try {
		if (s.includeMessage) {
			const message =
				known ?? (await readMessage.call(this, side, e.messageId, { notFoundOk: true }));
			json = message
				? { ...(s.simplify ? simplifyMessage(message) : message), ...base }
				: { ...json, detailsError: `The API has no ${side} message ${e.messageId} (yet)` };
		}
		if (!s.downloadAttachments) return { item: { json }, filesMissing: false };
		const { binary, downloadError } = await filesOf.call(this, e, s);
		if (downloadError) json = { ...json, downloadError };
		const item = Object.keys(binary).length ? { json, binary } : { json };
		return { item, filesMissing: !!downloadError && e.event === 'messageReceived' };
	} catch (error) {
		// The event is not lost for a failed lookup: it goes on with what the notification said.
		return {
			item: { json: { ...json, detailsError: (error as Error).message } },
			filesMissing: false,
		};
	}
}

/**
 * Whether an enabled MFT Gateway Trigger that reconciles this event feeds the same nodes as this webhook
 * (README: both connect to the same next node): only then may the webhook leave an incomplete event to it;
 * otherwise the item goes out with its `downloadError`, never dropped.
 */
function reconciledInWorkflow(this: IWebhookFunctions, event: string): boolean {
	const reconciles = (node: NodeTypeAndVersion) =>
		!node.disabled &&
		node.type.endsWith('.mftGatewayTrigger') &&
		(node.parameters?.event ?? 'messageReceived') === event &&
		(node.parameters?.options as IDataObject | undefined)?.reconcileWebhook === true;
	return this.getChildNodes(this.getNode().name).some((child) =>
		this.getParentNodes(child.name, { includeNodeParameters: true }).some(reconciles),
	);
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
	const { e, message } = await withParties.call(this, parsed, s);
	if (s.partner && e.partner !== s.partner)
		return { ignored: `an event for partner ${e.partner ?? '(unknown)'}`, level: 'debug' };
	if (s.station && e.station !== s.station)
		return { ignored: `an event for station ${e.station ?? '(unknown)'}`, level: 'debug' };
	// Editor test calls neither claim nor save: a test must not hide the real event from production.
	if (this.getMode() === 'manual')
		return { item: (await eventItem.call(this, e, s, message)).item };
	const global = this.getWorkflowStaticData('global');
	const ledger = ledgerFor(this.getWorkflow().id ?? '', global);
	const key = eventKey(e.ledger, e.messageId);
	const handled: Outcome = {
		ignored: `${e.eventType} ${e.messageId} was already handled`,
		level: 'debug',
	};
	if (ledger.has(key)) return handled;
	// Claimed only once the item is complete: an event left unclaimed is the reconciling trigger's to emit.
	const { item, filesMissing } = await eventItem.call(this, e, s, message);
	if (filesMissing && reconciledInWorkflow.call(this, e.event))
		return {
			ignored: `the files of ${e.messageId} are not in storage yet (${String(item.json.downloadError)}): left to an MFT Gateway Trigger with Reconcile Webhook Events`,
			level: 'warn',
		};
	if (!ledger.claim(key)) return handled;
	// Copied last, so that what n8n saves holds every claim made in this process until now.
	saveLedger(ledger, global);
	return { item };
}
