import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { textOrNull as text, withIsoTimestamps } from './output';

const iso = (value: unknown): string | null =>
	typeof value === 'number' && Number.isFinite(value) && value > 0
		? new Date(value).toISOString()
		: null;

/** File names and sizes (as numbers) from `attachmentInfo`, or names from `attachmentPaths`. */
function attachmentsOf(message: IDataObject): IDataObject[] {
	if (Array.isArray(message.attachmentInfo)) {
		return (message.attachmentInfo as IDataObject[]).map((a) => ({
			name: a.name ?? null,
			size: a.size === undefined || a.size === null || a.size === '' ? null : Number(a.size),
		}));
	}
	if (Array.isArray(message.attachmentPaths)) {
		return (message.attachmentPaths as unknown[]).map((path) => ({
			name: String(path).split('/').pop() ?? null,
			size: null,
		}));
	}
	return [];
}

/**
 * A message as people read it: one id, the station and the partner (whichever side sent it), ISO times,
 * sizes as numbers, the MDN in a few fields; no legacy duplicates, no transport headers. Simplify off
 * returns the API's object as it is.
 */
export function simplifyMessage(message: IDataObject): IDataObject {
	const incoming = message.incoming === true;
	const sender = text(message.senderIdentifier) ?? text(message.senderAS2Id);
	const receiver = text(message.receiverIdentifier) ?? text(message.receiverAS2Id);
	const mdn =
		message.mdnMessage && typeof message.mdnMessage === 'object'
			? (message.mdnMessage as IDataObject)
			: undefined;
	const read = message.isRead ?? message.apiFetched;
	return {
		id: text(message.identifier) ?? text(message.as2MessageId) ?? text(message.messageIdentifier),
		direction: incoming ? 'received' : 'sent',
		station: incoming ? receiver : sender,
		partner: incoming ? sender : receiver,
		subject: text(message.subject),
		status: text(message.msgStatus),
		timestamp: iso(message.timestamp),
		...(incoming ? { read: typeof read === 'boolean' ? read : null } : {}),
		attachments: attachmentsOf(message),
		failureReason: text(message.failureReason),
		failures: typeof message.failures === 'number' ? message.failures : null,
		lastAttemptAt: iso(message.lastAttemptTime),
		signed: typeof message.signed === 'boolean' ? message.signed : null,
		encrypted: typeof message.encrypted === 'boolean' ? message.encrypted : null,
		mdn: mdn
			? {
					status:
						text(message.mdnStatus) ??
						text(mdn.status) ??
						(mdn.status as string | number | undefined) ??
						null,
					disposition: text(mdn.disposition),
					signed: typeof mdn.signed === 'boolean' ? mdn.signed : null,
					micMatches: typeof message.micMatches === 'boolean' ? message.micMatches : null,
					receivedAt: iso(mdn.timestamp),
				}
			: null,
	};
}

/** The Simplify switch (on by default), shown where message objects are output (from `versions` on). */
export function simplifyField(show: IDataObject, versions: number[] = [2]): INodeProperties {
	return {
		displayName: 'Simplify',
		name: 'simplify',
		type: 'boolean',
		default: true,
		description:
			'Whether to return a simplified message (one ID, station, partner, subject, status, ISO times, attachments with sizes, MDN summary) instead of the raw API object',
		displayOptions: { show: { ...show, '@version': versions } },
	};
}

/**
 * What a node outputs for a message: version 1 the API object with ISO copies of its times (as saved
 * workflows expect), version 2 the simplified message unless Simplify is off (then the API object as is).
 */
export function messageOutput(
	message: IDataObject,
	typeVersion: number,
	simplify: boolean,
): IDataObject {
	if (typeVersion < 2) return withIsoTimestamps(message);
	return simplify ? simplifyMessage(message) : message;
}
