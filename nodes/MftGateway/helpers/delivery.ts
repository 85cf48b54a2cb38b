import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { listMessageIds, readMessage } from '../transport/messages';

export type DeliveryState = 'queued' | 'sent' | 'failed' | 'incomplete';

/**
 * Where an outbound message stands, from its status text (the API documents no enumeration). Words that
 * deny delivery ("Not Delivered", "Undelivered", "Unsent", "Not Sent") are never read as sent.
 */
export function deliveryStateOf(message: IDataObject): DeliveryState {
	const status = String(message.msgStatus ?? '').toLowerCase();
	if (status.includes('fail') || /\b(not\s+delivered|undelivered)\b/.test(status)) return 'failed';
	if (status.includes('incomplete')) return 'incomplete';
	if (/\b(unsent|not\s+sent)\b/.test(status)) return 'queued';
	if (
		status.includes('sent') ||
		status.includes('deliver') ||
		(message.mdnMessage && !status.includes('queue'))
	)
		return 'sent';
	return 'queued';
}

/**
 * A negative disposition in the partner's MDN (RFC 4130 §7.4.3: `processed/error: …` or `failed/…`): the
 * partner got the message but could not process it. Undefined when the MDN is positive or missing.
 */
export function negativeDisposition(message: IDataObject): string | undefined {
	const disposition = String((message.mdnMessage as IDataObject | undefined)?.disposition ?? '');
	return /;\s*(failed\b|processed\s*\/\s*error\b)/i.test(disposition) ? disposition : undefined;
}

/** The Send operation's view: a Sent message whose MDN reports an error is failed, not sent. */
export function sendStateOf(message: IDataObject): DeliveryState {
	const state = deliveryStateOf(message);
	return state === 'sent' && negativeDisposition(message) ? 'failed' : state;
}

/** Why a failed message failed: the API's reason, else the partner's negative MDN. */
export function failureReasonOf(message: IDataObject | undefined): string {
	const reason = message?.failureReason;
	if (typeof reason === 'string' && reason) return reason;
	const disposition = message && negativeDisposition(message);
	return disposition ? `The partner's MDN reports an error: ${disposition}` : 'no reason given';
}

export function mdnSummary(message: IDataObject): IDataObject | null {
	const mdn = message.mdnMessage as IDataObject | undefined;
	if (!mdn) return null;
	return {
		status: message.mdnStatus ?? mdn.status ?? null,
		disposition: mdn.disposition ?? null,
		signed: mdn.signed ?? null,
		mic: mdn.mic ?? null,
		micMatches: message.micMatches ?? null,
		mdnId: mdn.mdnId ?? null,
		receivedAt: typeof mdn.timestamp === 'number' ? new Date(mdn.timestamp).toISOString() : null,
	};
}

export interface DeliveryResult {
	/** The last state seen; `queued` also when no check got an answer. */
	state: DeliveryState;
	/** The outbox message as last read, when the API returned it. */
	message?: IDataObject;
	timedOut: boolean;
	/** Why the last check got no answer (the API or network failed), if it did not. */
	checkError?: string;
}

/** The minimum of "Check Every": one check is one request, and a message takes seconds to go out. */
export const MIN_CHECK_INTERVAL_MS = 1000;

/**
 * One check is one request. The message is read with GET /message/outbox/{id}; the API documents that a
 * message whose send failed may not be there (404), so after a 404 the checks take turns looking for
 * it in the Failed and Incomplete lists and reading it again.
 */
async function checkOnce(
	this: IExecuteFunctions,
	id: string,
	turn: 'read' | 'failed' | 'incomplete',
	itemIndex: number,
): Promise<{ state?: DeliveryState; message?: IDataObject }> {
	if (turn === 'read') {
		const message = await readMessage.call(this, 'outbox', id, {
			notFoundOk: true,
			action: `Check delivery of message ${id}`,
			itemIndex,
		});
		return message ? { state: sendStateOf(message), message } : {};
	}
	const path = turn === 'failed' ? '/message/outbox/failed' : '/message/outbox/incomplete';
	const found = await listMessageIds.call(this, {
		path,
		qs: { identifier: id },
		limit: 1,
		action: `Look for message ${id} in ${path}`,
		itemIndex,
	});
	return found.includes(id) ? { state: turn } : {};
}

const TURNS = ['read', 'failed', 'incomplete'] as const;

/**
 * Polls until the message is sent, failed or incomplete, or the time is up. Never throws for what the
 * API or the network does: the message was accepted, and an error here would make n8n's Retry On Fail
 * (or a re-run) submit it a second time. The outcome is data the workflow branches on.
 */
export async function waitForDelivery(
	this: IExecuteFunctions,
	id: string,
	timeoutMs: number,
	intervalMs: number,
	itemIndex: number,
): Promise<DeliveryResult> {
	const deadline = Date.now() + timeoutMs;
	const interval = Math.max(intervalMs, MIN_CHECK_INTERVAL_MS);
	let last: IDataObject | undefined;
	let turn = 0;
	let checkError: string | undefined;
	for (;;) {
		try {
			const check = await checkOnce.call(this, id, TURNS[turn], itemIndex);
			checkError = undefined;
			if (check.message) last = check.message;
			if (check.state && check.state !== 'queued')
				return { state: check.state, message: last, timedOut: false };
			// Not found where looked: try the next place on the next check.
			turn = check.state === 'queued' ? 0 : (turn + 1) % TURNS.length;
		} catch (error) {
			checkError = (error as Error).message;
		}
		if (Date.now() + interval > deadline)
			return {
				state: last ? sendStateOf(last) : 'queued',
				message: last,
				timedOut: true,
				checkError,
			};
		await sleep(interval);
	}
}
