/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the sandbox is dev-only tooling, not n8n node code */
import { createHash } from 'node:crypto';
import {
	createReadStream,
	createWriteStream,
	existsSync,
	mkdirSync,
	mkdtempSync,
	readFileSync,
	renameSync,
	rmSync,
	statSync,
	unlinkSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import type { Box, SandboxState, StoredMessage } from './model';

/**
 * All sandbox state. In memory by default; with a data directory, `state.json` and the files survive
 * a restart. File contents always live on disk (never in memory), so 200 MB payloads cost no RAM.
 */
export class Store {
	readonly state: SandboxState;
	/** Messages by id; a list, because in an AS2 loop the sent and the received copy share their id. */
	private readonly byIdentifier = new Map<string, StoredMessage[]>();
	private readonly filesDir: string;
	private saveTimer: NodeJS.Timeout | undefined;

	constructor(
		private readonly dataDir: string | undefined,
		initial: () => SandboxState,
	) {
		const root = dataDir ?? mkdtempSync(join(tmpdir(), 'mftg-sandbox-'));
		this.filesDir = join(root, 'files');
		mkdirSync(this.filesDir, { recursive: true });
		const statePath = dataDir && join(dataDir, 'state.json');
		this.state =
			statePath && existsSync(statePath)
				? (JSON.parse(readFileSync(statePath, 'utf8')) as SandboxState)
				: initial();
		for (const message of this.state.messages) this.index(message);
		if (dataDir) this.flush();
	}

	/** A number for ids, unique within this sandbox's life (and across restarts with a data directory). */
	nextNumber(): number {
		this.changed();
		return this.state.nextNumber++;
	}

	addMessage(message: StoredMessage): void {
		this.state.messages.push(message);
		this.index(message);
		this.changed();
	}

	private index(message: StoredMessage): void {
		const list = this.byIdentifier.get(message.identifier);
		if (list) list.push(message);
		else this.byIdentifier.set(message.identifier, [message]);
	}

	/** Finds a message by id, with or without the angle brackets. */
	findMessage(identifier: string, boxes: Box[]): StoredMessage | undefined {
		const trimmed = identifier.trim();
		const list =
			this.byIdentifier.get(trimmed) ??
			this.byIdentifier.get(`<${trimmed}>`) ??
			this.byIdentifier.get(trimmed.replace(/^<(.*)>$/, '$1'));
		return list?.find((message) => boxes.includes(message.box));
	}

	messagesIn(boxes: Box[]): StoredMessage[] {
		return this.state.messages.filter((m) => boxes.includes(m.box));
	}

	deleteMessage(message: StoredMessage): void {
		this.state.messages = this.state.messages.filter((m) => m !== message);
		const rest = (this.byIdentifier.get(message.identifier) ?? []).filter((m) => m !== message);
		if (rest.length) this.byIdentifier.set(message.identifier, rest);
		else this.byIdentifier.delete(message.identifier);
		for (const attachment of message.attachments) this.deleteFile(attachment.key);
		if (message.mdn) this.deleteFile(message.mdn.rawKey);
		this.changed();
	}

	async writeFile(key: string, source: Readable | Buffer): Promise<number> {
		const path = this.pathOf(key);
		if (Buffer.isBuffer(source)) {
			writeFileSync(path, source);
			return source.length;
		}
		await pipeline(source, createWriteStream(path));
		return statSync(path).size;
	}

	hasFile(key: string): boolean {
		return existsSync(this.pathOf(key));
	}

	fileSize(key: string): number {
		return statSync(this.pathOf(key)).size;
	}

	openFile(key: string): Readable {
		return createReadStream(this.pathOf(key));
	}

	deleteFile(key: string): void {
		if (this.hasFile(key)) unlinkSync(this.pathOf(key));
	}

	/** Marks the state dirty; with a data directory it is written shortly after (coalesced). */
	changed(): void {
		if (!this.dataDir || this.saveTimer) return;
		this.saveTimer = setTimeout(() => this.flush(), 25);
	}

	flush(): void {
		if (this.saveTimer) clearTimeout(this.saveTimer);
		this.saveTimer = undefined;
		if (!this.dataDir) return;
		const path = join(this.dataDir, 'state.json');
		writeFileSync(`${path}.tmp`, JSON.stringify(this.state));
		renameSync(`${path}.tmp`, path);
	}

	close(): void {
		this.flush();
		if (!this.dataDir) rmSync(join(this.filesDir, '..'), { recursive: true, force: true });
	}

	// Keys are S3-like paths chosen partly by users; on disk they are hashed, so no key escapes the folder.
	private pathOf(key: string): string {
		return join(this.filesDir, createHash('sha256').update(key).digest('hex'));
	}
}
