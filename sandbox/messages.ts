/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/require-node-api-error -- the sandbox is dev-only tooling, not n8n node code */
import { createHash } from 'node:crypto';
import type { Readable } from 'node:stream';

import { ApiError } from './http';
import { buildMdn, formatMic } from './mdn';
import type { StoredAttachment, StoredMessage } from './model';
import type { Store } from './store';

export interface IncomingFile {
	name: string;
	contentType: string;
	content: Buffer | Readable;
}

const safeSegment = (s: string) => s.replace(/[^A-Za-z0-9._-]/g, '_');

/** Creates messages and their files: outbound ones from a submit, inbound ones "sent" by a partner. */
export class MessageFactory {
	constructor(private readonly store: Store) {}

	async outbound(
		station: string,
		partner: string,
		subject: string,
		contentType: string,
		files: IncomingFile[],
	): Promise<StoredMessage> {
		const number = this.store.nextNumber();
		const now = Date.now();
		const identifier = `<${number}.${now}@mftgateway.com>`;
		const attachments = await this.saveFiles(
			`AS2/files/${safeSegment(station)}/${safeSegment(partner)}/outbox/${now}-${number}`,
			files,
		);
		const message: StoredMessage = {
			id: number,
			identifier,
			box: 'queued',
			incoming: false,
			station,
			partner,
			subject,
			contentType,
			attachments,
			timestamp: now,
			msgStatus: 'Queued',
			mdnStatus: 'Pending',
			failures: 0,
			transportStatusReceived: 0,
			isRead: false,
			mic: await this.mic(attachments),
			transportHeaders: as2Headers({
				from: station,
				to: partner,
				id: identifier,
				subject,
				userAgent: 'MFT Gateway',
				host: 'as2.partner.example',
			}),
		};
		this.store.addMessage(message);
		return message;
	}

	/** A partner's message arriving at a station; the station answers with a signed MDN, as MFTG does. */
	async inbound(opts: {
		station: string;
		partner: string;
		subject: string;
		messageId?: string;
		timestamp?: number;
		files: IncomingFile[];
	}): Promise<StoredMessage> {
		const number = this.store.nextNumber();
		const now = opts.timestamp ?? Date.now();
		const identifier = opts.messageId
			? normaliseId(opts.messageId)
			: `<${number}.${now}@${safeSegment(opts.partner).toLowerCase()}.as2.example>`;
		if (this.store.findMessage(identifier, ['inbox']))
			throw new Error(`A received message with id ${identifier} already exists`);
		const attachments = await this.saveFiles(
			`AS2/files/${safeSegment(opts.station)}/${safeSegment(opts.partner)}/inbox/${now}-${number}`,
			opts.files,
		);
		const mic = await this.mic(attachments);
		const mdn = buildMdn({
			originalMessageId: identifier,
			reportingAs2Id: opts.station,
			recipientAs2Id: opts.partner,
			mic,
			disposition: 'automatic-action/MDN-sent-automatically; processed',
			signed: true,
			receivedAt: now,
		});
		const rawKey = `AS2/raw-mdn/incoming/${number}/mdn.raw`;
		await this.store.writeFile(rawKey, mdn.raw);
		const message: StoredMessage = {
			id: number,
			identifier,
			box: 'inbox',
			incoming: true,
			station: opts.station,
			partner: opts.partner,
			subject: opts.subject,
			contentType:
				opts.files.length > 1
					? 'multipart/mixed'
					: (opts.files[0]?.contentType ?? 'application/octet-stream'),
			attachments,
			timestamp: now,
			msgStatus: 'Received',
			mdnStatus: 'Sent Signed MDN',
			failures: 0,
			transportStatusReceived: 0,
			isRead: false,
			mic,
			mdn: {
				mdnId: mdn.mdnId,
				disposition: 'automatic-action/MDN-sent-automatically; processed',
				humanMessage: mdn.humanMessage,
				mic,
				signed: true,
				incoming: false,
				status: 'Sent Signed MDN',
				statusCode: 1,
				timestamp: now + 1,
				rawKey,
			},
			transportHeaders: as2Headers({
				from: opts.partner,
				to: opts.station,
				id: identifier,
				subject: opts.subject,
				userAgent: 'Partner AS2 Server (sandbox)',
				host: 'service.mftgateway.com',
			}),
		};
		this.store.addMessage(message);
		return message;
	}

	/** Writes every file or none: on an error (too large, empty, dropped upload) the written ones are removed. */
	private async saveFiles(prefix: string, files: IncomingFile[]): Promise<StoredAttachment[]> {
		const used = new Set<string>();
		const saved: StoredAttachment[] = [];
		try {
			for (const file of files) {
				const base = file.name.replace(/[/\\]/g, '_') || 'attachment';
				let name = base;
				for (let i = 2; used.has(name); i++)
					name = base.replace(/(\.[^.]*)?$/, (ext) => `-${i}${ext}`);
				used.add(name);
				const key = `${prefix}/${name}`;
				saved.push({ name, contentType: file.contentType, size: 0, key });
				saved[saved.length - 1].size = await this.store.writeFile(key, file.content);
				if (saved[saved.length - 1].size === 0)
					throw new ApiError(400, `Attachment "${name}" is empty`);
			}
		} catch (error) {
			for (const attachment of saved) this.store.deleteFile(attachment.key);
			throw error;
		}
		return saved;
	}

	// Hashes the stored files as streams, so a 200 MB payload is never held in memory.
	private async mic(attachments: StoredAttachment[]): Promise<string> {
		const hash = createHash('sha256');
		for (const attachment of attachments) {
			for await (const chunk of this.store.openFile(attachment.key)) hash.update(chunk as Buffer);
		}
		return formatMic(hash.digest('base64'));
	}
}

/** The HTTP headers of the AS2 POST as MFT Gateway records them (`transportHeaders`). */
function as2Headers(h: {
	from: string;
	to: string;
	id: string;
	subject: string;
	userAgent: string;
	host: string;
}): Record<string, string> {
	return {
		'AS2-From': h.from,
		'AS2-To': h.to,
		'AS2-Version': '1.2',
		'Message-ID': h.id,
		Subject: h.subject,
		From: `as2@${h.from.toLowerCase()}.example`,
		'User-Agent': h.userAgent,
		Host: h.host,
		'MIME-Version': '1.0',
		'Accept-Encoding': 'gzip',
		'Content-Transfer-Encoding': 'binary',
		'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data; name="smime.p7m"',
		'Disposition-Notification-To': `as2@${h.from.toLowerCase()}.example`,
		'Disposition-Notification-Options':
			'signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256',
	};
}

export function normaliseId(id: string): string {
	const trimmed = id.trim();
	return trimmed.startsWith('<') ? trimmed : `<${trimmed}>`;
}
