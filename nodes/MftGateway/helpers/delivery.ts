import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { messagePath } from '../transport/ids';
import { apiRequest, apiRequestFull } from '../transport/request';

export type DeliveryState = 'queued' | 'sent' | 'failed' | 'incomplete';

/** Where an outbound message stands, from its status text (the API documents no enumeration). */
export function deliveryStateOf(message: IDataObject): DeliveryState {
	const status = String(message.msgStatus ?? '').toLowerCase();
	if (status.includes('fail')) return 'failed';
	if (status.includes('incomplete')) return 'incomplete';
	if (status.includes('sent') || status.includes('deliver') || (message.mdnMessage && !status.includes('queue'))) return 'sent';
	return 'queued';
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
	state: DeliveryState;
	/** The outbox message as last read, when the API returned it. */
	message?: IDataObject;
	timedOut: boolean;
}

const FOLDER_OF: Record<string, string> = { failed: '/message/outbox/failed', incomplete: '/message/outbox/incomplete', sent: '/message/outbox' };

/** Looks the id up in the failed, incomplete and sent lists (for services where GET outbox/{id} 404s until sent). */
async function findInLists(this: IExecuteFunctions, id: string, itemIndex: number): Promise<DeliveryState> {
	for (const [state, path] of Object.entries(FOLDER_OF)) {
		const page = await apiRequest.call(this, { method: 'GET', path, qs: { identifier: id, pageLength: 1 }, service: true, action: `Look for message ${id} in ${path}`, itemIndex });
		if (Array.isArray(page.messages) && (page.messages as string[]).includes(id)) return state as DeliveryState;
	}
	return 'queued';
}

/** Polls the outbox until the message is sent, failed or incomplete, or the time is up. */
export async function waitForDelivery(this: IExecuteFunctions, id: string, timeoutMs: number, intervalMs: number, itemIndex: number): Promise<DeliveryResult> {
	const deadline = Date.now() + timeoutMs;
	let last: IDataObject | undefined;
	for (;;) {
		const read = await apiRequestFull.call(this, { method: 'GET', path: messagePath('outbox', id), service: true, notFoundOk: true, action: `Check delivery of message ${id}`, itemIndex });
		let state: DeliveryState;
		if (read.statusCode === 404) state = await findInLists.call(this, id, itemIndex);
		else {
			last = read.body;
			state = deliveryStateOf(last);
		}
		if (state !== 'queued') return { state, message: last, timedOut: false };
		if (Date.now() + intervalMs > deadline) return { state, message: last, timedOut: true };
		await sleep(intervalMs);
	}
}
