import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { deliveryStateOf, type DeliveryState } from '../../MftGateway/helpers/delivery';
import { messagePath } from '../../MftGateway/transport/ids';
import { MAX_PAGE_LENGTH } from '../../MftGateway/transport/paging';
import { apiRequestFull } from '../../MftGateway/transport/request';
import { type ItemOptions, messageItem } from './items';
import { type Candidate, type Folder, listPage, readMessage, scanFolder, timestampOf } from './scan';
import { MAX_HANDLED, MAX_QUEUED, type PollState, readState, TimestampCache, writeState } from './state';

export type TriggerEvent = 'messageReceived' | 'messageSent' | 'messageFailed' | 'messageIncomplete';

export interface TriggerSettings extends ItemOptions {
	event: TriggerEvent;
	/** Received messages: `readFlag` lists unread ones and marks emitted ones read; `n8n` leaves the flag alone. */
	trackBy: 'readFlag' | 'n8n';
	station: string;
	partner: string;
	maxPerPoll: number;
	emitExisting: boolean;
}

const OUTBOUND: Record<Exclude<TriggerEvent, 'messageReceived'>, { path: string; state: DeliveryState }> = {
	messageSent: { path: '/message/outbox', state: 'sent' },
	messageFailed: { path: '/message/outbox/failed', state: 'failed' },
	messageIncomplete: { path: '/message/outbox/incomplete', state: 'incomplete' },
};

function filters(s: TriggerSettings): IDataObject {
	const qs: IDataObject = {};
	if (s.station) qs.stationIdentifier = s.station;
	if (s.partner) qs.partnerIdentifier = s.partner;
	return qs;
}

function targetFolder(s: TriggerSettings, manual = false): Folder {
	if (s.event === 'messageReceived') return { path: '/message/inbox', side: 'inbox', qs: { ...filters(s), fetchAll: manual || s.trackBy === 'n8n' } };
	return { path: OUTBOUND[s.event].path, side: 'outbox', qs: filters(s) };
}

/** Every id in the Queued folder (it is short: messages wait there only until sent or given up). */
async function queuedIds(this: IPollFunctions, s: TriggerSettings): Promise<string[]> {
	const folder: Folder = { path: '/message/outbox/queued', side: 'outbox', qs: filters(s) };
	const ids: string[] = [];
	for (let page = 0; ids.length < MAX_QUEUED; page++) {
		const batch = await listPage.call(this, folder, page);
		ids.push(...batch);
		if (batch.length < MAX_PAGE_LENGTH) break;
	}
	return ids;
}

/** Outbound messages that left the Queued folder since the last poll and reached the watched state. */
async function resolvedSinceLastPoll(this: IPollFunctions, s: TriggerSettings, before: string[], now: string[]): Promise<Candidate[]> {
	const still = new Set(now);
	const found: Candidate[] = [];
	for (const id of before.filter((i) => !still.has(i))) {
		const read = await apiRequestFull.call(this, { method: 'GET', path: messagePath('outbox', id), service: true, notFoundOk: true, action: `Get message ${id}` });
		if (read.statusCode === 404) continue; // deleted
		if (deliveryStateOf(read.body) === OUTBOUND[s.event as Exclude<TriggerEvent, 'messageReceived'>].state) found.push({ id, ts: timestampOf(read.body), message: read.body });
	}
	return found;
}

/** Marks the last poll's messages read (read-flag mode); returns those to try again next time. */
async function markRead(this: IPollFunctions, ids: string[]): Promise<string[]> {
	const retry: string[] = [];
	for (const id of ids) {
		const read = await apiRequestFull.call(this, { method: 'GET', path: messagePath('inbox', id), qs: { markAsRead: true }, service: true, notFoundOk: true, action: `Mark message ${id} as read` }).catch(() => undefined);
		if (!read) retry.push(id);
	}
	return retry;
}

/** First activation: remember what is already there (emit nothing of it), unless told to emit it too. */
async function initialState(this: IPollFunctions, s: TriggerSettings, key: string): Promise<PollState> {
	const state: PollState = { version: 2, key, floor: -1, handled: [], timestamps: [], queued: [], toMarkRead: [] };
	if (s.event !== 'messageReceived') state.queued = await queuedIds.call(this, s);
	if (s.emitExisting) return state;
	const folder = targetFolder(s);
	const ids = await listPage.call(this, folder, 0);
	if (ids.length === 0) return state;
	// The newest message sets the floor. The rest of the first page existed too: their timestamps are
	// cached as just below the floor (they are at most equal to it), so the next quiet poll stops after
	// one page without reading them.
	const floor = timestampOf(await readMessage.call(this, folder.side, ids[0]));
	return { ...state, floor, handled: [[ids[0], floor]], timestamps: ids.map((id, i) => [id, i === 0 ? floor : floor - 1]) };
}

async function manualSample(this: IPollFunctions, s: TriggerSettings): Promise<INodeExecutionData[][]> {
	const folder = targetFolder(s, true);
	const [id] = await listPage.call(this, folder, 0, 1);
	if (!id) {
		throw new NodeOperationError(this.getNode(), `No message in ${folder.path} matches yet`, {
			description: 'Send or receive one first (with the sandbox: npm run sandbox -- inbound FILE), or loosen the Station and Partner filters.',
		});
	}
	const message = await readMessage.call(this, folder.side, id);
	return [[await messageItem.call(this, folder.side, id, message, s)]];
}

/**
 * One poll. Emits each matching message once, oldest first, at most `maxPerPoll` (the rest come next
 * time); the state in static data changes only when the poll succeeds. See state.ts for what is kept.
 */
export async function pollMessages(this: IPollFunctions, s: TriggerSettings): Promise<INodeExecutionData[][] | null> {
	if (this.getMode() === 'manual') return await manualSample.call(this, s);
	const staticData = this.getWorkflowStaticData('node');
	const key = JSON.stringify([s.event, s.event === 'messageReceived' ? s.trackBy : '', s.station, s.partner]);
	let state = readState(staticData, key);
	if (!state) {
		state = await initialState.call(this, s, key);
		writeState(staticData, state);
		if (!s.emitExisting) return null;
	}

	const folder = targetFolder(s);
	const cache = new TimestampCache(state.timestamps);
	const handled = new Set(state.handled.map(([id]) => id));
	const toMarkRead = s.trackBy === 'readFlag' && s.event === 'messageReceived' ? await markRead.call(this, state.toMarkRead) : [];
	const scan = await scanFolder.call(this, folder, state.floor, handled, cache);
	const candidates = scan.candidates;
	let queued = state.queued;
	if (s.event !== 'messageReceived') {
		queued = await queuedIds.call(this, s);
		const known = new Set(candidates.map((c) => c.id));
		candidates.push(...(await resolvedSinceLastPoll.call(this, s, state.queued, queued)).filter((c) => !known.has(c.id) && !handled.has(c.id)));
	}
	candidates.sort((a, b) => a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
	const chosen = candidates.slice(0, s.maxPerPoll);

	const items: INodeExecutionData[] = [];
	for (const candidate of chosen) {
		const message = candidate.message ?? (await readMessage.call(this, folder.side, candidate.id));
		items.push(await messageItem.call(this, folder.side, candidate.id, message, s));
	}

	// Every candidate left for later is at least as new as the newest emitted one, so nothing is skipped;
	// the floor also waits at a same-millisecond group whose members may not all have been seen.
	let floor = chosen.reduce((max, c) => Math.max(max, c.ts), state.floor);
	if (scan.unsettledTs !== undefined) floor = Math.max(state.floor, Math.min(floor, scan.unsettledTs));
	let handledNow = [...state.handled, ...chosen.map((c): [string, number] => [c.id, c.ts])].filter(([, ts]) => ts >= floor);
	if (handledNow.length > MAX_HANDLED) {
		floor = Math.max(...handledNow.map(([, ts]) => ts));
		handledNow = handledNow.filter(([, ts]) => ts >= floor);
	}
	writeState(staticData, {
		...state,
		floor,
		handled: handledNow,
		timestamps: cache.toJSON(),
		queued,
		toMarkRead: s.trackBy === 'readFlag' && s.event === 'messageReceived' ? [...toMarkRead, ...chosen.map((c) => c.id)].slice(-MAX_QUEUED) : [],
	});
	return items.length ? [items] : null;
}
