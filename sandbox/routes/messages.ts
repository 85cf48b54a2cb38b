/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is dev-only tooling, not n8n node code */
import { createHash } from 'node:crypto';
import { Transform } from 'node:stream';

import {
	ApiError,
	header,
	headerText,
	queryBoolean,
	queryInteger,
	readBody,
	readJson,
	tooLarge,
} from '../http';
import type { IncomingFile } from '../messages';
import { normaliseId } from '../messages';
import { type Box, OUTBOUND_BOXES, type StoredMessage } from '../model';
import { parseMultipart } from '../multipart';
import type { Sandbox } from '../sandbox';
import { messageJson } from '../serialize';
import { ok, type Route, type RouteContext } from './types';

const ID = '([^/]+)';
const LIST_BOXES: Record<string, Box> = {
	inbox: 'inbox',
	outbox: 'sent',
	'outbox/queued': 'queued',
	'outbox/failed': 'failed',
	'outbox/incomplete': 'incomplete',
};
const boxesOf = (side: string): Box[] => (side === 'inbox' ? ['inbox'] : OUTBOUND_BOXES);

function checkService(query: URLSearchParams): 'as2' | 'sftp' {
	const service = query.get('service') ?? 'as2';
	if (service !== 'as2' && service !== 'sftp')
		throw new ApiError(400, `Invalid value for service: ${service}. Use as2 or sftp`);
	return service;
}

/** List filters with the documented precedence: primary (station, partner) beat secondary (id, then subject). */
function listMessages({ sandbox, query }: RouteContext, box: Box): string[] {
	const sortDir = (query.get('sortDir') ?? 'desc').toLowerCase();
	if (sortDir !== 'asc' && sortDir !== 'desc')
		throw new ApiError(400, 'Invalid value for sortDir: use asc or desc');
	const pageOffset = queryInteger(query, 'pageOffset', 0, 0, Number.MAX_SAFE_INTEGER);
	const pageLength = queryInteger(query, 'pageLength', 10, 1, 100);
	const fetchAll = box === 'inbox' ? queryBoolean(query, 'fetchAll', false) : true;
	if (checkService(query) === 'sftp') return [];
	const station = query.get('stationIdentifier') ?? query.get('stationAS2Id');
	const partner = query.get('partnerIdentifier') ?? query.get('partnerAS2Id');
	const identifier = query.get('identifier') ?? query.get('as2MessageId');
	const subject = query.get('subject');
	const primary = Boolean(station || partner);
	let matches = sandbox.store.messagesIn([box]).filter((m) => fetchAll || !m.isRead);
	if (station) matches = matches.filter((m) => m.station === station);
	if (partner) matches = matches.filter((m) => m.partner === partner);
	if (!primary && identifier)
		matches = matches.filter((m) => m.identifier === normaliseId(identifier));
	else if (!primary && subject)
		matches = matches.filter((m) => m.subject.toLowerCase().includes(subject.toLowerCase()));
	const direction = sortDir === 'asc' ? 1 : -1;
	const salt = sandbox.config.tieOrder === 'stable' ? undefined : sandbox.tieSalt;
	const tieKey =
		salt !== undefined
			? (m: StoredMessage) => createHash('sha1').update(`${salt}${m.identifier}`).digest('hex')
			: undefined;
	const keys = tieKey ? new Map(matches.map((m) => [m, tieKey(m)])) : undefined;
	matches.sort(
		(a, b) =>
			direction * (a.timestamp - b.timestamp) ||
			(keys ? (keys.get(a)! < keys.get(b)! ? -1 : 1) : direction * (a.id - b.id)),
	);
	return matches
		.slice(pageOffset * pageLength, (pageOffset + 1) * pageLength)
		.map((m) => m.identifier);
}

function findOr404(sandbox: Sandbox, id: string, side: string, message: string): StoredMessage {
	const found = sandbox.store.findMessage(id, boxesOf(side));
	if (!found) throw new ApiError(404, message);
	return found;
}

/** Streams a raw body to the store, failing with 413 past the limit. */
function limited(limit: number): Transform {
	let size = 0;
	return new Transform({
		transform(chunk: Buffer, _enc, done) {
			size += chunk.length;
			done(size > limit ? tooLarge(limit) : null, chunk);
		},
	});
}

async function submit({ sandbox, req, query }: RouteContext) {
	if (checkService(query) !== 'as2')
		throw new ApiError(400, 'Only service=as2 messages can be submitted through this endpoint');
	const station = header(req, 'AS2-From');
	const partner = header(req, 'AS2-To');
	if (!station)
		throw new ApiError(
			400,
			'Missing required header: AS2-From (the AS2 identifier of your station)',
		);
	if (!partner)
		throw new ApiError(400, 'Missing required header: AS2-To (the AS2 identifier of the partner)');
	if (!sandbox.store.state.stations.some((s) => s.as2Identifier === station))
		throw new ApiError(422, `Unable to find station with AS2 identifier: ${station}`);
	const partnerRecord = sandbox.store.state.partners.find((p) => p.as2Identifier === partner);
	if (!partnerRecord)
		throw new ApiError(422, `Unable to find partner with AS2 identifier: ${partner}`);
	const contentType = header(req, 'Content-Type') ?? 'application/octet-stream';
	let files: IncomingFile[];
	if (/^multipart\/form-data/i.test(contentType)) {
		const parts = parseMultipart(
			await readBody(req, sandbox.config.maxMultipartBytes),
			contentType,
		).filter((p) => p.fileName !== undefined);
		if (parts.length === 0)
			throw new ApiError(
				400,
				'The multipart body has no file parts (each attachment needs a filename)',
			);
		files = parts.map((p) => ({ name: p.fileName!, contentType: p.contentType, content: p.data }));
	} else {
		if (req.headers['content-length'] === '0')
			throw new ApiError(400, 'The message payload is empty');
		const declared = Number(req.headers['content-length'] ?? 0);
		if (declared > sandbox.config.maxRawBodyBytes) throw tooLarge(sandbox.config.maxRawBodyBytes);
		files = [
			{
				name: headerText(req, 'Attachment-Name') || 'Attachment.raw',
				contentType,
				content: req.pipe(limited(sandbox.config.maxRawBodyBytes)),
			},
		];
	}
	const subject =
		headerText(req, 'Subject') ||
		String(partnerRecord.settings.messageSubject ?? `AS2 Message from ${station}`);
	const message = await sandbox.messages.outbound(station, partner, subject, contentType, files);
	sandbox.lifecycle.enqueue(message);
	return ok(
		{
			message: 'Message queued successfully',
			messageIdentifier: message.identifier,
			as2MessageId: message.identifier,
		},
		202,
		{ Link: `${sandbox.url}/message/outbox/${message.identifier}` },
	);
}

export const messageRoutes: Route[] = [
	{ name: 'submit', method: 'POST', path: /^\/message\/submit$/, auth: true, handle: submit },
	...Object.entries(LIST_BOXES).map(
		([path, box]): Route => ({
			name: 'list',
			method: 'GET',
			path: new RegExp(`^/message/${path}$`),
			auth: true,
			handle: async (ctx) => ok({ messages: listMessages(ctx, box) }),
		}),
	),
	...['inbox', 'outbox'].flatMap((side): Route[] => [
		{
			name: 'batchDelete',
			method: 'POST',
			path: new RegExp(`^/message/${side}/delete$`),
			auth: true,
			async handle({ sandbox, req }) {
				const body = await readJson(req);
				const ids = body.messageIdentifiers ?? body.as2MessageIds;
				if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== 'string')) {
					throw new ApiError(
						400,
						'messageIdentifiers must be a non-empty array of message identifiers',
					);
				}
				if (ids.length > 100)
					throw new ApiError(
						400,
						`At most 100 messages can be deleted in one request (got ${ids.length})`,
					);
				const found = (ids as string[])
					.map((id) => sandbox.store.findMessage(id, boxesOf(side)))
					.filter((m): m is StoredMessage => m !== undefined);
				if (found.length === 0) throw new ApiError(404, 'Unable to find messages');
				const deleted = [...new Set(found)];
				for (const m of deleted) sandbox.store.deleteMessage(m);
				return ok({ deleted: deleted.map((m) => m.identifier) });
			},
		},
		{
			name: 'get',
			method: 'GET',
			path: new RegExp(`^/message/${side}/${ID}$`),
			auth: true,
			async handle({ sandbox, params, query }) {
				const message = findOr404(sandbox, params[0], side, 'Message not found');
				if (side === 'inbox' && queryBoolean(query, 'markAsRead', true) && !message.isRead) {
					message.isRead = true;
					sandbox.store.changed();
				}
				return ok(messageJson(message));
			},
		},
		{
			name: 'delete',
			method: 'DELETE',
			path: new RegExp(`^/message/${side}/${ID}$`),
			auth: true,
			async handle({ sandbox, params }) {
				const message = findOr404(sandbox, params[0], side, 'Unable to find message');
				sandbox.store.deleteMessage(message);
				return ok({ deleted: message.identifier });
			},
		},
		{
			name: 'attachments',
			method: 'GET',
			path: new RegExp(`^/message/${side}/${ID}/attachments$`),
			auth: true,
			async handle({ sandbox, params }) {
				const message = findOr404(sandbox, params[0], side, 'Attachment(s) not found');
				const present = message.attachments.filter((a) => sandbox.store.hasFile(a.key));
				if (present.length === 0) throw new ApiError(404, 'Attachment(s) not found');
				return ok({
					total: present.length,
					attachments: present.map((a) => ({
						name: a.name,
						url: sandbox.presignedUrl({ key: a.key, contentType: a.contentType, fileName: a.name }),
					})),
				});
			},
		},
		{
			name: 'mdn',
			method: 'GET',
			path: new RegExp(`^/message/${side}/${ID}/mdn$`),
			auth: true,
			async handle({ sandbox, params }) {
				const message = findOr404(sandbox, params[0], side, 'MDN not found');
				if (!message.mdn || !sandbox.store.hasFile(message.mdn.rawKey))
					throw new ApiError(404, 'MDN not found');
				return ok({
					url: sandbox.presignedUrl({
						key: message.mdn.rawKey,
						contentType: 'message/disposition-notification',
						fileName: 'mdn.raw',
					}),
				});
			},
		},
	]),
	{
		name: 'markUnread',
		method: 'POST',
		path: new RegExp(`^/message/inbox/${ID}/markUnread$`),
		auth: true,
		async handle({ sandbox, params }) {
			const message = findOr404(sandbox, params[0], 'inbox', 'Message not found');
			message.isRead = false;
			sandbox.store.changed();
			return ok({ message: `Successfully marked message ${message.identifier} as unread` });
		},
	},
];
