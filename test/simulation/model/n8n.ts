/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling: a local webhook endpoint, never part of the published package */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { forgetLedger } from '../../../nodes/shared/eventLedger';
import { TRIGGER_NODE_TYPE } from '../../harness/n8n';
import { runPoll, runWebhook } from '../../harness/run';
import type { TestCredentialsHelper } from '../../harness/n8n';

/** The workflow's row in n8n's database: one static-data column, each save replaces all of it. */
export class WorkflowRow {
	private column = '{}';
	load(): IDataObject {
		return JSON.parse(this.column) as IDataObject;
	}
	save(staticData: IDataObject): void {
		this.column = JSON.stringify(staticData);
	}
}

/** `<a@b>` and `a@b` are one message. */
export const eventId = (kind: string, id: unknown) =>
	`${kind}:<${String(id).replace(/^<|>$/g, '')}>`;

export interface PollerSettings {
	name: string;
	event: 'messageReceived' | 'messageSent' | 'messageFailed';
	kind: 'received' | 'sent' | 'failed';
	trackBy?: 'readFlag' | 'n8n';
	options: IDataObject;
}

/**
 * One active workflow as n8n runs it (reference n8n-notes §9): webhook calls build the workflow from the
 * row afresh and save the whole column when static data changed; the pollers keep the Workflow object
 * made at activation (never reloaded) and save it only when a poll returns items (and at activation);
 * the last writer wins; a restart drops the process's memory (the event ledger) and the pollers start
 * from the row. Records every item that started an execution, per event key.
 */
export class N8nWorkflow {
	readonly row = new WorkflowRow();
	private pollerStaticData: IDataObject = {};
	private activated = new Set<string>();
	readonly delivered = new Map<string, number>();
	/** Every item that started an execution, in order, with its `source` (webhook or reconciliation). */
	readonly deliveries: Array<{ key: string; source: string }> = [];
	readonly log: string[] = [];

	constructor(
		readonly id: string,
		readonly credentials: TestCredentialsHelper,
		readonly pollers: PollerSettings[],
		readonly webhookEvents: string[] = ['messageReceived', 'messageSent', 'messageFailed'],
	) {}

	private record(items: INodeExecutionData[] | null | undefined, kind: string, via: string): void {
		for (const item of items ?? []) {
			const key = eventId(kind, item.json.id ?? item.json.messageIdentifier);
			this.delivered.set(key, (this.delivered.get(key) ?? 0) + 1);
			this.deliveries.push({ key, source: String(item.json.source) });
			this.log.push(`${via} ${key}`);
		}
	}

	/** One production webhook call; returns the HTTP status the node answered with. */
	async notification(body: unknown): Promise<number> {
		const result = await runWebhook({
			credentials: this.credentials,
			parameters: { events: this.webhookEvents },
			body,
			staticData: this.row.load(),
			workflowId: this.id,
		});
		if (result.saved) this.row.save(result.staticData);
		const kind = { messageReceived: 'received', messageSent: 'sent', messageFailed: 'failed' }[
			String(result.items?.[0]?.json.event)
		];
		this.record(result.items, kind ?? 'unknown', 'webhook');
		return result.response.status ?? 500;
	}

	/** One scheduled poll of a poller; a poll that throws saves nothing (n8n raises its error). */
	async poll(index: number): Promise<{ emitted: number; changed: boolean; error?: Error }> {
		const p = this.pollers[index];
		// When a poll ran is no change of what it knows (the progress copy mirrors the node's own state).
		const snapshot = () =>
			JSON.stringify(this.pollerStaticData, (key, value: unknown) =>
				key === 'polledAt' || key === 'mftGatewayPollers' ? undefined : value,
			);
		const before = snapshot();
		const changed = () => snapshot() !== before;
		try {
			const { items } = await runPoll({
				credentials: this.credentials,
				nodeType: TRIGGER_NODE_TYPE,
				typeVersion: 2,
				nodeName: p.name,
				workflowId: this.id,
				staticData: this.pollerStaticData,
				parameters: {
					event: p.event,
					...(p.trackBy ? { trackBy: p.trackBy } : {}),
					options: p.options as INodeParameters,
				},
			});
			this.record(items, p.kind, p.name);
			// n8n saves at activation and when a poll emits.
			const activation = !this.activated.has(p.name);
			this.activated.add(p.name);
			if (items?.length || activation) this.row.save(this.pollerStaticData);
			return { emitted: items?.length ?? 0, changed: changed() };
		} catch (error) {
			this.log.push(`${p.name} failed: ${(error as Error).message}`);
			return { emitted: 0, changed: changed(), error: error as Error };
		}
	}

	/** n8n restarts: process memory is gone, the pollers start from what the row holds. */
	restart(): void {
		forgetLedger(this.id);
		this.pollerStaticData = this.row.load();
		this.log.push('restart');
	}

	doubled(): string[] {
		return [...this.delivered].filter(([, n]) => n > 1).map(([key]) => key);
	}
}

/**
 * n8n's webhook endpoint on 127.0.0.1 for the gateway's notifications: each body, parsed as n8n parses it
 * (JSON, or the text as it came), goes to `handle`, whose status is the answer (500 if it throws).
 */
export async function webhookEndpoint(
	handle: (body: unknown) => number | Promise<number>,
): Promise<{ url: string; close: () => Promise<void> }> {
	const server: Server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			const text = Buffer.concat(chunks).toString('utf8');
			let body: unknown = text;
			try {
				body = JSON.parse(text);
			} catch {
				// not JSON: passed on as text, as n8n would
			}
			void Promise.resolve()
				.then(() => handle(body))
				.then(
					(status) => res.writeHead(status).end(),
					() => res.writeHead(500).end(),
				);
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhook`,
		close: async () => await new Promise<void>((resolve) => server.close(() => resolve())),
	};
}
