import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { mapWithConcurrency, TaskPool } from '../../helpers/concurrency';
import { messageIdOf } from '../../helpers/output';
import { messageOutput, simplifyField } from '../../helpers/simplify';
import { asNodeError } from '../../transport/errors';
import { normaliseMessageId, rejectControlCharacters } from '../../transport/ids';
import {
	listMessageIds,
	listPages,
	markUnread,
	readExistingMessage,
} from '../../transport/messages';
import { accountThrottle } from '../../transport/request';
import { MAX_IN_FLIGHT } from '../../transport/throttle';
import { item, limitParam, numberParam, returnAllAndLimit, show } from '../common';
import { locatorIf, locatorValue, versioned } from '../locators';

export const FOLDERS: Record<string, { path: string; side: 'inbox' | 'outbox' }> = {
	inbox: { path: '/message/inbox', side: 'inbox' },
	sent: { path: '/message/outbox', side: 'outbox' },
	queued: { path: '/message/outbox/queued', side: 'outbox' },
	failed: { path: '/message/outbox/failed', side: 'outbox' },
	incomplete: { path: '/message/outbox/incomplete', side: 'outbox' },
};

const op = ['getAll'];

/** The Filters collection; from version 2 on, Station and Partner are picked from the account's lists. */
function filtersField(locators: boolean): INodeProperties {
	const pick = (kind: 'station' | 'partner', field: INodeProperties) =>
		locatorIf(locators, kind, field);
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		displayOptions: show('message', op),
		description:
			'MFT Gateway applies filters in a fixed precedence: Station and Partner are primary and always apply; when one of them is set, Message ID and Subject are ignored. Without them, only one of Message ID (first) or Subject applies.',
		options: [
			{
				displayName: 'Message ID',
				name: 'messageId',
				type: 'string',
				default: '',
				description:
					'Only this message. Secondary filter: ignored when Station or Partner is set; wins over Subject.',
			},
			pick('partner', {
				displayName: 'Partner',
				name: 'partner',
				type: 'string',
				default: '',
				description:
					'The trading partner (AS2 identifier). Primary filter: combined with Station, and disables Message ID and Subject.',
			}),
			pick('station', {
				displayName: 'Station',
				name: 'station',
				type: 'string',
				default: '',
				description:
					'Your station (AS2 identifier). Primary filter: combined with Partner, and disables Message ID and Subject.',
			}),
			{
				displayName: 'Subject',
				name: 'subject',
				type: 'string',
				default: '',
				description:
					'Messages whose subject matches. Secondary filter: ignored when Station, Partner or Message ID is set.',
			},
		],
	};
}

export const description: INodeProperties[] = [
	{
		displayName: 'Folder',
		description:
			'Which list to read: received messages, or sent, queued, failed or incomplete outbound messages',
		name: 'folder',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Failed',
				value: 'failed',
				description: 'Outbound messages that could not be delivered',
			},
			{
				name: 'Inbox (Received)',
				value: 'inbox',
				description: 'Messages partners sent to your stations',
			},
			{
				name: 'Incomplete',
				value: 'incomplete',
				description: 'Delivered, but the partner sent no MDN in time',
			},
			{
				name: 'Queued',
				value: 'queued',
				description: 'Submitted and waiting to be sent (or retried)',
			},
			{ name: 'Sent', value: 'sent', description: 'Delivered to the partner' },
		],
		default: 'inbox',
		displayOptions: show('message', op),
	},
	{
		displayName:
			'The API lists only messages not yet read through the API. Turn on Include Already-Read Messages (under Options) to list them all: a trigger tracking by the read flag, or Get with Mark as Read, marks messages read.',
		name: 'unreadOnlyNotice',
		type: 'notice',
		default: '',
		displayOptions: show('message', op, { folder: ['inbox'] }),
	},
	...returnAllAndLimit('message', op),
	...versioned(filtersField(false), filtersField(true)),
	simplifyField({ resource: ['message'], operation: op }),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: show('message', op),
		options: [
			{
				displayName: 'Include Already-Read Messages',
				name: 'includeRead',
				type: 'boolean',
				default: false,
				description:
					'Whether to list inbox messages already read through the API too (the API lists only unread ones by default)',
				displayOptions: { show: { '/folder': ['inbox'] } },
			},
			{
				displayName: 'Include Details',
				name: 'includeDetails',
				type: 'boolean',
				default: false,
				description:
					'Whether to return the full message objects instead of only their IDs (one extra request per message)',
			},
			{
				displayName: 'Mark as Read',
				name: 'markAsRead',
				type: 'boolean',
				default: false,
				description:
					'Whether fetching details marks inbox messages as read in the API. Off by default, so listing changes nothing.',
				displayOptions: { show: { '/folder': ['inbox'], includeDetails: [true] } },
			},
			{
				displayName: 'Page Size',
				name: 'pageSize',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 100 },
				default: 100,
				description: 'How many message IDs to ask for per list request (the API allows 1 to 100)',
			},
			{
				displayName: 'Parallel Requests',
				name: 'concurrency',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_IN_FLIGHT },
				default: MAX_IN_FLIGHT,
				description:
					'How many message details to fetch at once at most. Fewer while MFT Gateway answers 429 (too many requests): the number halves on each, then grows back slowly.',
				displayOptions: { show: { includeDetails: [true] } },
			},
			{
				displayName: 'Sort Direction',
				description: 'Oldest first (ascending) or newest first (descending), by timestamp',
				name: 'sortDir',
				type: 'options',
				options: [
					{ name: 'Newest First', value: 'desc' },
					{ name: 'Oldest First', value: 'asc' },
				],
				default: 'desc',
			},
		],
	},
];

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const node = this.getNode();
	const folder = FOLDERS[this.getNodeParameter('folder', i) as string];
	const limit = limitParam(this, i);
	const filters = this.getNodeParameter('filters', i, {}) as IDataObject;
	const options = this.getNodeParameter('options', i, {}) as IDataObject;
	const pageSize = numberParam(
		this,
		'options.pageSize',
		'Page Size',
		i,
		{ min: 1, max: 100, integer: true },
		100,
	);
	const concurrency = numberParam(
		this,
		'options.concurrency',
		'Parallel Requests',
		i,
		{ min: 1, max: MAX_IN_FLIGHT, integer: true },
		MAX_IN_FLIGHT,
	);
	const qs: IDataObject = { sortDir: options.sortDir ?? 'desc' };
	for (const [field, param] of [
		['station', 'stationIdentifier'],
		['partner', 'partnerIdentifier'],
		['subject', 'subject'],
	] as const) {
		const value = locatorValue(filters[field]);
		if (value) {
			rejectControlCharacters(node, value, `Filters → ${field}`, i);
			qs[param] = value;
		}
	}
	if (String(filters.messageId ?? '').trim())
		qs.identifier = normaliseMessageId(node, filters.messageId, i, 'Filters → Message ID');
	const includeRead = folder.side === 'inbox' && options.includeRead === true;
	if (folder.side === 'inbox') qs.fetchAll = includeRead;
	const query = { path: folder.path, qs, limit, pageLength: pageSize, itemIndex: i };
	if (options.includeDetails !== true)
		return (await listMessageIds.call(this, query)).map((id) => item({ messageIdentifier: id }, i));

	// An unread-only list (the inbox default) can be marked while it is read: every message in it was
	// unread, so a failure can put each flag back exactly. A list with read messages is read first and
	// only its unread ones are marked afterwards.
	const markAsRead = folder.side === 'inbox' && options.markAsRead === true;
	const markWhileReading = markAsRead && !includeRead;
	const pool = new TaskPool<IDataObject>(concurrency, accountThrottle(this));
	const read = (id: string) =>
		readExistingMessage.call(this, folder.side, id, {
			markAsRead: markWhileReading,
			notFoundHint: 'It was listed a moment ago; it may have been deleted since.',
			itemIndex: i,
		});
	let failure: unknown;
	try {
		for await (const page of listPages.call(this, query)) {
			for (const id of page) pool.add(async () => await read(id));
			if (pool.failed) break;
		}
	} catch (error) {
		failure = error; // the list failed: the reads already started finish first
	}
	const details = await pool.results().catch((error: unknown) => {
		failure ??= error;
		return [];
	});
	if (failure !== undefined) {
		if (markWhileReading)
			await restoreReadFlags.call(
				this,
				pool.succeeded().map(({ value }) => value),
				i,
				failure,
			);
		throw asNodeError(this.getNode(), failure, i);
	}
	if (markAsRead && includeRead) await markUnreadOnesRead.call(this, details, concurrency, i);
	const simplify = this.getNodeParameter('simplify', i, true) as boolean;
	return details.map((message) => item(messageOutput(message, node.typeVersion, simplify), i));
}

const isUnread = (message: IDataObject) =>
	message.isRead === false || (message.isRead === undefined && message.apiFetched === false);

/** Marks the unread messages among those read (a list that included read ones); all or none. */
async function markUnreadOnesRead(
	this: IExecuteFunctions,
	details: IDataObject[],
	concurrency: number,
	i: number,
): Promise<void> {
	const unread = details.filter(isUnread);
	const pool = new TaskPool<IDataObject>(concurrency);
	for (const message of unread)
		pool.add(
			async () =>
				await readExistingMessage.call(this, 'inbox', messageIdOf(message) ?? '', {
					markAsRead: true,
					itemIndex: i,
				}),
		);
	const failure = await pool.results().then(
		() => undefined,
		(error: unknown) => error ?? new Error('Marking messages read failed'),
	);
	if (failure !== undefined) {
		await restoreReadFlags.call(
			this,
			pool.succeeded().map(({ value }) => value),
			i,
			failure,
		);
		throw asNodeError(this.getNode(), failure, i);
	}
	for (const message of unread) {
		if (message.isRead !== undefined) message.isRead = true;
		if (message.apiFetched !== undefined) message.apiFetched = true;
	}
}

/**
 * A failed Get Many must leave the read flags as they were: the messages it already marked read never
 * reach the workflow, so they are marked unread again. What cannot be restored is named in the error.
 */
async function restoreReadFlags(
	this: IExecuteFunctions,
	marked: IDataObject[],
	i: number,
	error: unknown,
): Promise<void> {
	const ids = marked.map((m) => messageIdOf(m)).filter((id): id is string => id !== undefined);
	const left: string[] = [];
	await mapWithConcurrency(
		ids,
		5,
		async (id) => await markUnread.call(this, id, i).catch(() => left.push(id)),
	);
	if (left.length && error && typeof error === 'object') {
		const e = error as { description?: string | null };
		e.description =
			`${e.description ?? ''} These messages were marked read before the failure and could not be marked unread again: ${left.join(', ')}.`.trim();
	}
}
