/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published package */
import { createReadStream } from 'node:fs';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Agent, request } from 'undici';

/**
 * The client a developer would write by hand with undici: log in once, keep-alive connections, the same
 * calls and concurrency as the node. It is the baseline the node is compared with.
 */
export class PlainClient {
	private token = '';
	private readonly agent: Agent;

	constructor(
		private readonly baseUrl: string,
		connections = 10,
		/** Trusted certificate authorities (the benchmark's self-signed TLS proxy). */
		ca?: string,
	) {
		this.agent = new Agent({
			connections,
			keepAliveTimeout: 30_000,
			...(ca ? { connect: { ca } } : {}),
		});
	}

	async login(tokenID: string, tokenSecret: string): Promise<void> {
		const res = await request(`${this.baseUrl}/authorize`, {
			method: 'POST',
			dispatcher: this.agent,
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ tokenID, tokenSecret }),
		});
		this.token = ((await res.body.json()) as { apiToken: string }).apiToken;
	}

	async getJson<T>(path: string): Promise<T> {
		const res = await request(`${this.baseUrl}${path}`, {
			dispatcher: this.agent,
			headers: { authorization: this.token },
		});
		if (res.statusCode !== 200) throw new Error(`${path}: HTTP ${res.statusCode}`);
		return (await res.body.json()) as T;
	}

	/** Get Many with details: pages of 100 ids, then every message with `concurrency` requests in flight. */
	async listWithDetails(concurrency: number): Promise<number> {
		const ids: string[] = [];
		for (let page = 0; ; page++) {
			const { messages } = await this.getJson<{ messages: string[] }>(
				`/message/inbox?service=as2&fetchAll=false&sortDir=desc&pageLength=100&pageOffset=${page}`,
			);
			ids.push(...messages);
			if (messages.length < 100) break;
		}
		let next = 0;
		const worker = async () => {
			while (next < ids.length) {
				const id = ids[next++];
				await this.getJson(`/message/inbox/${encodeURIComponent(id)}?service=as2&markAsRead=false`);
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
		return ids.length;
	}

	async uploadFile(path: string, size: number, station: string, partner: string): Promise<string> {
		const res = await request(`${this.baseUrl}/message/submit?service=as2`, {
			method: 'POST',
			dispatcher: this.agent,
			headers: {
				authorization: this.token,
				'as2-from': station,
				'as2-to': partner,
				'content-type': 'application/octet-stream',
				'content-length': String(size),
				'attachment-name': 'big.bin',
			},
			body: createReadStream(path),
		});
		return ((await res.body.json()) as { messageIdentifier: string }).messageIdentifier;
	}

	/**
	 * What the trigger does for new messages: the newest list page, each message, its attachment links and
	 * files, `concurrency` messages at a time. Returns the bytes downloaded.
	 */
	async newestWithAttachments(count: number, concurrency: number): Promise<number> {
		const { messages } = await this.getJson<{ messages: string[] }>(
			`/message/inbox?service=as2&fetchAll=true&sortDir=desc&pageLength=100&pageOffset=0`,
		);
		const ids = messages.slice(0, count);
		let bytes = 0;
		let next = 0;
		const worker = async () => {
			while (next < ids.length) {
				const id = ids[next++];
				await this.getJson(`/message/inbox/${encodeURIComponent(id)}?service=as2&markAsRead=false`);
				bytes += await this.downloadAttachments(id, 'inbox');
			}
		};
		await Promise.all(Array.from({ length: concurrency }, worker));
		return bytes;
	}

	/** Downloads every attachment of a message, streaming to nowhere (bytes counted). */
	async downloadAttachments(id: string, box: 'inbox' | 'outbox' = 'outbox'): Promise<number> {
		const { attachments } = await this.getJson<{ attachments: Array<{ url: string }> }>(
			`/message/${box}/${encodeURIComponent(id)}/attachments?service=as2`,
		);
		let bytes = 0;
		for (const a of attachments) {
			const res = await request(a.url, { dispatcher: this.agent });
			await pipeline(
				res.body,
				new Writable({ write: (chunk: Buffer, _e, done) => ((bytes += chunk.length), done()) }),
			);
		}
		return bytes;
	}

	async close(): Promise<void> {
		await this.agent.close();
	}
}
