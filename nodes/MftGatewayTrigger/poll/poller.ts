import type { IDataObject, INodeExecutionData, IPollFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { TaskPool } from '../../MftGateway/helpers/concurrency';
import { deliveryStateOf, type DeliveryState } from '../../MftGateway/helpers/delivery';
import { listMessageIds, readMessage, timestampOf } from '../../MftGateway/transport/messages';
import { accountThrottle } from '../../MftGateway/transport/request';
import { MAX_IN_FLIGHT } from '../../MftGateway/transport/throttle';
import { type ItemOptions, messageItem } from './items';
import {
	confirmClaims,
	keepLedger,
	newestState,
	type Reconciliation,
	reconciliationFor,
	releaseClaims,
	settle,
} from './reconcile';
import {
	type Candidate,
	drainStep,
	type Folder,
	readMessages,
	scanWindow,
	unreadStep,
} from './scan';
import {
	MAX_BASELINE,
	MAX_QUEUED,
	newState,
	type PollState,
	pruneHandled,
	readState,
	TimestampCache,
	writeState,
} from './state';

export type TriggerEvent =
	| 'messageReceived'
	| 'messageSent'
	| 'messageFailed'
	| 'messageIncomplete';

export interface TriggerSettings extends ItemOptions {
	event: TriggerEvent;
	/** Received messages: `readFlag` lists unread ones and marks emitted ones read; `n8n` leaves the flag alone. */
	trackBy: 'readFlag' | 'n8n';
	station: string;
	partner: string;
	maxPerPoll: number;
	emitExisting: boolean;
	/** How far below the newest handled timestamp each poll looks again for late arrivals. */
	lookBackMs: number;
	/** Reconcile Webhook Events: emit only what the webhook trigger did not, this long after the event. */
	reconcileGraceMs?: number;
}

const OUTBOUND: Record<
	Exclude<TriggerEvent, 'messageReceived'>,
	{ path: string; state: DeliveryState }
> = {
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

const byReadFlag = (s: TriggerSettings) =>
	s.event === 'messageReceived' && s.trackBy === 'readFlag';

function targetFolder(s: TriggerSettings, manual = false): Folder {
	if (s.event === 'messageReceived')
		return {
			path: '/message/inbox',
			side: 'inbox',
			qs: { ...filters(s), fetchAll: manual || s.trackBy === 'n8n' },
		};
	return { path: OUTBOUND[s.event].path, side: 'outbox', qs: filters(s) };
}

/** Every id in the Queued folder (it is short: messages wait there only until sent or given up). */
async function queuedIds(this: IPollFunctions, s: TriggerSettings): Promise<string[]> {
	return await listMessageIds.call(this, {
		path: '/message/outbox/queued',
		qs: { ...filters(s), sortDir: 'desc' },
		limit: MAX_QUEUED,
	});
}

/** Outbound messages that left the Queued folder since the last poll and reached the watched state. */
async function resolvedSinceLastPoll(
	this: IPollFunctions,
	s: TriggerSettings,
	before: string[],
	now: string[],
): Promise<Candidate[]> {
	const still = new Set(now);
	const left = before.filter((id) => !still.has(id));
	const messages = await readMessages.call(this, 'outbox', left);
	const watched = OUTBOUND[s.event as Exclude<TriggerEvent, 'messageReceived'>].state;
	return left.flatMap((id, index) => {
		const message = messages[index];
		return message && deliveryStateOf(message) === watched
			? [{ id, ts: timestampOf(message), message }]
			: [];
	});
}

/** Marks the last poll's messages read (read-flag mode); returns those to try again next time. */
async function markRead(this: IPollFunctions, ids: string[]): Promise<string[]> {
	const pool = new TaskPool<boolean>(MAX_IN_FLIGHT, accountThrottle(this));
	for (const id of ids) {
		pool.add(async () => {
			try {
				await readMessage.call(this, 'inbox', id, {
					markAsRead: true,
					notFoundOk: true,
					action: `Mark message ${id} as read`,
				});
				return true;
			} catch {
				return false;
			}
		});
	}
	const done = await pool.results();
	return ids.filter((_, index) => !done[index]);
}

/**
 * First activation: remember what is already there, so that none of it is emitted (unless Emit
 * Existing is on: then it is drained oldest first). Read-flag mode remembers the unread ids; tracked
 * mode the newest timestamp and the messages inside the look-back window below it.
 */
async function initialState(
	this: IPollFunctions,
	s: TriggerSettings,
	key: string,
): Promise<PollState> {
	const state = newState(key);
	if (s.event !== 'messageReceived') state.queued = await queuedIds.call(this, s);
	const folder = targetFolder(s);
	if (byReadFlag(s)) {
		if (!s.emitExisting)
			state.baseline = await listMessageIds.call(this, {
				path: folder.path,
				qs: { ...folder.qs, sortDir: 'asc' },
				limit: MAX_BASELINE,
			});
		return state;
	}
	if (s.emitExisting) return { ...state, drain: { page: 0 } };
	const newest = await newestMessage.call(this, folder);
	if (!newest) return state;
	const floor = timestampOf(newest.message);
	const cache = new TimestampCache([[newest.id, floor]]);
	const present = await scanWindow.call(this, folder, floor - s.lookBackMs, new Map(), cache);
	return {
		...state,
		floor,
		handled: present.map((c): [string, number] => [c.id, c.ts]),
		timestamps: cache.toJSON(),
	};
}

/** The newest message of a folder, read (undefined when there is none, or it was deleted meanwhile). */
async function newestMessage(
	this: IPollFunctions,
	folder: Folder,
): Promise<{ id: string; message: IDataObject } | undefined> {
	const [id] = await listMessageIds.call(this, {
		path: folder.path,
		qs: { ...folder.qs, sortDir: 'desc' },
		limit: 1,
	});
	const message = id
		? await readMessage.call(this, folder.side, id, { notFoundOk: true })
		: undefined;
	return id && message ? { id, message } : undefined;
}

async function manualSample(
	this: IPollFunctions,
	s: TriggerSettings,
): Promise<INodeExecutionData[][]> {
	const folder = targetFolder(s, true);
	const newest = await newestMessage.call(this, folder);
	if (!newest) {
		throw new NodeOperationError(this.getNode(), `No message in ${folder.path} matches yet`, {
			description:
				'Send or receive one first (with the sandbox: npm run sandbox -- inbound FILE), or loosen the Station and Partner filters.',
		});
	}
	return [[await messageItem.call(this, folder.side, newest.id, newest.message, s)]];
}

/**
 * Output items for the chosen messages, in order; reads and downloads run with bounded parallelism. If
 * it fails, the events claimed for reconciliation are given back (nothing was emitted).
 */
async function emit(
	this: IPollFunctions,
	s: TriggerSettings,
	side: Folder['side'],
	chosen: Candidate[],
	r?: Reconciliation,
): Promise<Array<{ candidate: Candidate; item: INodeExecutionData }>> {
	let emitted = false;
	try {
		const items = await emitItems.call(this, s, side, chosen);
		emitted = true;
		confirmClaims(r, chosen);
		return items;
	} finally {
		if (!emitted) releaseClaims(r, chosen);
	}
}

async function emitItems(
	this: IPollFunctions,
	s: TriggerSettings,
	side: Folder['side'],
	chosen: Candidate[],
): Promise<Array<{ candidate: Candidate; item: INodeExecutionData }>> {
	const pool = new TaskPool<INodeExecutionData | undefined>(MAX_IN_FLIGHT, accountThrottle(this));
	for (const candidate of chosen) {
		pool.add(async () => {
			const message =
				candidate.message ??
				(await readMessage.call(this, side, candidate.id, { notFoundOk: true }));
			return message ? await messageItem.call(this, side, candidate.id, message, s) : undefined;
		});
	}
	const items = await pool.results();
	return chosen.flatMap((candidate, index) =>
		items[index] ? [{ candidate, item: items[index] }] : [],
	);
}

const byTime = (a: Candidate, b: Candidate) =>
	a.ts - b.ts || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Read-flag mode: every unread message matching the filters is emitted once, oldest first. */
async function pollUnread(
	this: IPollFunctions,
	s: TriggerSettings,
	state: PollState,
	r?: Reconciliation,
): Promise<{ state: PollState; items: INodeExecutionData[]; listedAll: boolean }> {
	const folder = targetFolder(s);
	const pending = await markRead.call(this, state.toMarkRead);
	const baseline = new Set(state.baseline);
	const step = await unreadStep.call(
		this,
		folder,
		new Set([...pending, ...baseline]),
		s.maxPerPoll,
	);
	let chosen: Candidate[] = step.ids.map((id) => ({ id, ts: 0 }));
	let elsewhere: string[] = [];
	if (r) {
		// Messages the webhook trigger started on are only marked read; young ones wait for their webhook.
		const settled = await settle.call(this, r, folder.side, chosen, s.maxPerPoll);
		chosen = settled.chosen;
		elsewhere = settled.elsewhere.map((c) => c.id);
	}
	const emitted = await emit.call(this, s, folder.side, chosen, r);
	return {
		// A baseline id no longer unread (read elsewhere, deleted) is forgotten once the whole list was seen.
		state: {
			...state,
			toMarkRead: [...pending, ...elsewhere, ...emitted.map((e) => e.candidate.id)].slice(
				-MAX_QUEUED,
			),
			baseline: step.complete ? state.baseline.filter((id) => step.seen.has(id)) : state.baseline,
		},
		items: emitted.map((e) => e.item),
		listedAll: step.complete,
	};
}

/** Emit Existing: the next step of draining what was there at activation; then the window takes over. */
async function pollDrain(
	this: IPollFunctions,
	s: TriggerSettings,
	state: PollState,
	cache: TimestampCache,
	r?: Reconciliation,
): Promise<{ state: PollState; items: INodeExecutionData[] }> {
	const folder = targetFolder(s);
	const handled = new Set(state.handled.map(([id]) => id));
	const step = await drainStep.call(this, folder, state.drain!.page, handled, s.maxPerPoll);
	let chosen: Candidate[] = step.ids.map((id) => ({ id, ts: 0 }));
	// What existed at activation is not waited for; only events the webhook trigger took are left out.
	if (r)
		chosen = (await settle.call(this, { ...r, graceMs: 0 }, folder.side, chosen, s.maxPerPoll))
			.chosen;
	const emitted = await emit.call(this, s, folder.side, chosen, r);
	const done: Array<[string, number]> = emitted.map(({ candidate, item }) => [
		candidate.id,
		timestampOf(item.json),
	]);
	done.forEach(([id, ts]) => cache.set(id, ts));
	const all = [...state.handled, ...done];
	const floor = all.reduce((max, [, ts]) => Math.max(max, ts), state.floor);
	// While draining, every emitted id is kept (up to the bound); once done, only those inside the window.
	const kept = pruneHandled(
		all,
		step.finished ? floor - s.lookBackMs : Number.NEGATIVE_INFINITY,
		state.cut,
	);
	return {
		state: { ...state, floor, ...kept, drain: step.finished ? undefined : { page: step.page } },
		items: emitted.map((e) => e.item),
	};
}

/** Tracked in n8n (and outbound events): the look-back window below the newest handled timestamp. */
async function pollWindow(
	this: IPollFunctions,
	s: TriggerSettings,
	state: PollState,
	cache: TimestampCache,
	r?: Reconciliation,
): Promise<{ state: PollState; items: INodeExecutionData[] }> {
	const folder = targetFolder(s);
	const handled = new Map(state.handled);
	const lower = Math.max(state.floor - s.lookBackMs, state.cut);
	const candidates = await scanWindow.call(this, folder, lower, handled, cache);
	let queued = state.queued;
	if (s.event !== 'messageReceived') {
		queued = await queuedIds.call(this, s);
		const known = new Set(candidates.map((c) => c.id));
		candidates.push(
			...(await resolvedSinceLastPoll.call(this, s, state.queued, queued)).filter(
				(c) => !known.has(c.id) && !handled.has(c.id),
			),
		);
	}
	candidates.sort(byTime);
	const settled = r
		? await settle.call(this, r, folder.side, candidates, s.maxPerPoll)
		: {
				chosen: candidates.slice(0, s.maxPerPoll),
				elsewhere: [],
				waiting: candidates.slice(s.maxPerPoll),
			};
	const { chosen } = settled;
	// The floor never passes an event still waiting (Max per Poll, grace, clock skew): it would fall out of the window.
	const oldestWaiting = settled.waiting.reduce((min, c) => Math.min(min, c.ts), Infinity);
	// Messages that left Queued but wait for a later poll stay watched, so the next poll looks them up again.
	if (s.event !== 'messageReceived') {
		const waiting = settled.waiting.map((c) => c.id);
		queued = [...new Set([...queued, ...waiting])].slice(0, MAX_QUEUED);
	}
	const emitted = await emit.call(this, s, folder.side, chosen, r);
	// Events the webhook trigger took count as handled here: they are not looked at again.
	const done = [...chosen, ...settled.elsewhere];
	const floor = Math.max(
		state.floor,
		Math.min(
			done.reduce((max, c) => Math.max(max, c.ts), state.floor),
			oldestWaiting,
		),
	);
	const kept = pruneHandled(
		[...state.handled, ...done.map((c): [string, number] => [c.id, c.ts])],
		floor - s.lookBackMs,
		state.cut,
	);
	return { state: { ...state, floor, ...kept, queued }, items: emitted.map((e) => e.item) };
}

/**
 * The oldest event time the next poll may look at, so the ledger copy keeps every claim it may meet.
 * Read-flag mode: any unread message, so only claims made before a poll that saw the whole unread list
 * (and took the claimed ones over as to be marked read) can go.
 */
function scanFloor(
	s: TriggerSettings,
	state: PollState,
	listedAll: boolean,
	previous = -1,
): number {
	if (byReadFlag(s)) return listedAll ? state.polledAt! : previous;
	return state.drain ? -1 : Math.max(state.floor - s.lookBackMs, state.cut);
}

/**
 * One poll. Emits each matching message once, oldest first, at most `maxPerPoll` (the rest come next
 * time); the state in static data changes only when the poll succeeds. See state.ts for what is kept.
 */
export async function pollMessages(
	this: IPollFunctions,
	s: TriggerSettings,
): Promise<INodeExecutionData[][] | null> {
	if (this.getMode() === 'manual') return await manualSample.call(this, s);
	const staticData = this.getWorkflowStaticData('node');
	const key = JSON.stringify([
		s.event,
		s.event === 'messageReceived' ? s.trackBy : '',
		s.station,
		s.partner,
	]);
	const r = reconciliationFor.call(this, s.event, s.reconcileGraceMs);
	const name = this.getNode().name;
	let state = newestState(r, name, readState(staticData, key), key);
	if (!state) {
		state = { ...(await initialState.call(this, s, key)), polledAt: Date.now() };
		writeState(staticData, state);
		// Activation: claims made before it are no longer needed (read-flag mode: a new baseline).
		keepLedger(r, name, state, scanFloor(s, state, true, r?.ledger.progress(name)?.floor));
		if (!s.emitExisting) return null;
	}
	const cache = new TimestampCache(state.timestamps);
	const result = byReadFlag(s)
		? await pollUnread.call(this, s, state, r)
		: state.drain
			? await pollDrain.call(this, s, state, cache, r)
			: await pollWindow.call(this, s, state, cache, r);
	if (r) for (const item of result.items) item.json.source = 'reconciliation';
	// Handled ids carry their timestamps already: the cache keeps only the others.
	const handledIds = new Set(result.state.handled.map(([id]) => id));
	const next: PollState = {
		...result.state,
		timestamps: cache.toJSON().filter(([id]) => !handledIds.has(id)),
		polledAt: Date.now(),
	};
	writeState(staticData, next);
	const listedAll = 'listedAll' in result && result.listedAll === true;
	keepLedger(r, name, next, scanFloor(s, next, listedAll, r?.ledger.progress(name)?.floor));
	return result.items.length ? [result.items] : null;
}
