import type { IDataObject } from 'n8n-workflow';

import { LEDGER_KINDS, type LedgerEvent } from '../../shared/eventLedger';
import { firstControlCharacter } from '../../MftGateway/transport/ids';
import { textOrNull } from '../../MftGateway/helpers/output';

/** The event types MFT Gateway posts (reference §6), and the names the nodes of this package use. */
export const EVENT_TYPES: Record<string, WebhookEvent> = {
	'MESSAGE.RECEIVED.SUCCESS': 'messageReceived',
	'MESSAGE.SEND.SUCCESS': 'messageSent',
	'MESSAGE.SEND.FAILED': 'messageFailed',
};

export type WebhookEvent = 'messageReceived' | 'messageSent' | 'messageFailed';

/** One notification, with old (`*AS2ID`) and new (`*Identifier`) key names read alike. */
export interface GatewayEvent {
	eventType: string;
	event: WebhookEvent;
	ledger: LedgerEvent;
	messageId: string;
	station: string | null;
	stationName: string | null;
	partner: string | null;
	partnerName: string | null;
	subject: string | null;
	/** receivedAt, sentAt or lastAttemptTime (epoch ms), when the payload has it. */
	at: number | null;
	failureReason: string | null;
	failures: number | null;
	/** Storage keys of the files (not URLs). */
	attachmentPaths: string[];
}

const epoch = (value: unknown): number | null =>
	typeof value === 'number' && Number.isFinite(value) && value > 0
		? value
		: typeof value === 'string' && /^\d{10,}$/.test(value)
			? Number(value)
			: null;

/** Why a body is not an event this node handles; undefined when it is one. */
export type Rejection = { reason: string };

export function parseEvent(body: unknown): GatewayEvent | Rejection {
	if (!body || typeof body !== 'object' || Array.isArray(body))
		return { reason: 'the body is not a JSON object' };
	const b = body as IDataObject;
	const eventType = textOrNull(b.eventType);
	if (!eventType) return { reason: 'the body has no eventType' };
	const event = EVENT_TYPES[eventType];
	if (!event) return { reason: `unknown eventType "${eventType.slice(0, 60)}"` };
	const messageId =
		textOrNull(b.messageIdentifier) ?? textOrNull(b.messageAS2ID) ?? textOrNull(b.messageAs2Id);
	if (!messageId) return { reason: `a ${eventType} event without messageIdentifier` };
	if (messageId.length > 1000 || firstControlCharacter(messageId) !== undefined)
		return { reason: 'the message identifier is not a valid AS2 Message-ID' };
	const at =
		event === 'messageReceived'
			? epoch(b.receivedAt)
			: event === 'messageSent'
				? epoch(b.sentAt)
				: (epoch(b.lastAttemptTime) ?? epoch(b.failedAt));
	return {
		eventType,
		event,
		ledger: LEDGER_KINDS[event],
		messageId: messageId.startsWith('<') ? messageId : `<${messageId}>`,
		station: textOrNull(b.stationIdentifier) ?? textOrNull(b.stationAS2ID),
		stationName: textOrNull(b.stationName),
		partner: textOrNull(b.partnerIdentifier) ?? textOrNull(b.partnerAS2ID),
		partnerName: textOrNull(b.partnerName),
		subject: textOrNull(b.messageSubject) ?? textOrNull(b.subject),
		at,
		failureReason: textOrNull(b.failureReason),
		failures: typeof b.failures === 'number' ? b.failures : null,
		attachmentPaths: Array.isArray(b.attachments)
			? (b.attachments as unknown[]).filter((p): p is string => typeof p === 'string')
			: [],
	};
}

/** The output item of an event whose message was not looked up: the same names Simplify uses. */
export function eventSummary(e: GatewayEvent): IDataObject {
	return {
		id: e.messageId,
		direction: e.event === 'messageReceived' ? 'received' : 'sent',
		station: e.station,
		stationName: e.stationName,
		partner: e.partner,
		partnerName: e.partnerName,
		subject: e.subject,
		eventAt: e.at ? new Date(e.at).toISOString() : null,
		attachments: e.attachmentPaths.map((path) => ({
			name: path.split('/').pop() ?? path,
			size: null,
		})),
		...(e.event === 'messageFailed'
			? { failureReason: e.failureReason, failures: e.failures }
			: {}),
	};
}
