/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test: dev-only */
import { setTimeout as sleep } from 'node:timers/promises';

import { SandboxClient } from '../harness/client';
import { useFilesystemBinaryData } from '../harness/n8n';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';
import { N8nWorkflow, type PollerSettings, webhookEndpoint } from '../simulation/model/n8n';

/**
 * The MFT Gateway Webhook Trigger and three MFT Gateway Triggers with Reconcile Webhook Events on, in one
 * workflow, run the way n8n runs them (test/simulation/model/n8n.ts: webhook calls load static data from
 * the database afresh and save it when changed; the pollers keep the copy made at activation and save it
 * when they emit; each save replaces the whole column), against the sandbox sending notifications with
 * faults.
 */
type Delivery = N8nWorkflow['deliveries'][number];

const POLLED: PollerSettings[] = [
	{
		name: 'Reconcile received',
		event: 'messageReceived',
		kind: 'received',
		trackBy: 'readFlag',
		options: {},
	},
	{ name: 'Reconcile sent', event: 'messageSent', kind: 'sent', options: {} },
	{ name: 'Reconcile failed', event: 'messageFailed', kind: 'failed', options: {} },
];

let env: TestEnv;
let endpoint: Awaited<ReturnType<typeof webhookEndpoint>>;
let workflowCounter = 0;

class Workflow extends N8nWorkflow {
	constructor() {
		super(
			`wf-reconcile-${++workflowCounter}`,
			env.credentials,
			POLLED.map((p) => ({ ...p, options: { reconcileWebhook: true, maxPerPoll: 100 } })),
		);
	}

	async pollAll(graceSeconds: number): Promise<void> {
		for (const [index, p] of this.pollers.entries()) {
			p.options.reconcileAfterSeconds = graceSeconds;
			const { error } = await this.poll(index);
			if (error) throw error;
		}
	}
}

let current: Workflow;

beforeEach(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv();
	current = new Workflow();
	endpoint = await webhookEndpoint(async (body) => await current.notification(body));
});
afterEach(async () => {
	await endpoint.close();
	await env.close();
});

const admin = (method: string, path: string, body?: unknown) =>
	new SandboxClient(env.running.url).admin(method, path, body);

/** Partner messages arriving in the inbox (one small X12 file each). */
const inbound = (subject: string, count = 1) =>
	env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject,
		count,
		files: [{ name: 'in.edi', contentType: 'application/edi-x12', content: Buffer.from('ISA~') }],
	});

function counts(delivered: Delivery[]): Map<string, number> {
	const map = new Map<string, number>();
	for (const d of delivered) map.set(d.key, (map.get(d.key) ?? 0) + 1);
	return map;
}

test('500 events, 20 % of notifications lost, 5 % doubled, out of order, one restart: each reaches the workflow exactly once', async () => {
	const w = current;
	await admin('PUT', 'webhooks', { url: endpoint.url, station: '*', payloadStyle: 'both' });
	await admin('PUT', 'webhooks/faults', { lose: 0.2, duplicate: 0.05, delayMs: 250, seed: 7 });
	await w.pollAll(1); // activation: records where each list stands
	const client = new SandboxClient(env.running.url);
	await client.login('apiToken');
	const expected = new Set<string>();
	for (let burst = 0; burst < 10; burst++) {
		const arrived = await inbound(`burst ${burst}`, 30);
		arrived.forEach((id) => expected.add(`received:${id}`));
		for (let i = 0; i < 20; i++) {
			const partner = i % 4 === 0 ? 'PARTNER_REJECTS' : 'PARTNER_OK';
			const id = (await client.submit(partner)).json.messageIdentifier as string;
			expected.add(`${partner === 'PARTNER_OK' ? 'sent' : 'failed'}:${id}`);
		}
		await w.pollAll(1);
		if (burst === 4) {
			await admin('POST', 'webhooks/idle');
			w.restart();
		}
	}
	expect(expected.size).toBe(500);
	// Everything settles, every notification is answered, then reconciliation catches up.
	await client.settle();
	for (let round = 0; round < 40 && counts(w.deliveries).size < 500; round++) {
		await admin('POST', 'webhooks/idle');
		await sleep(300);
		await w.pollAll(1);
	}
	await sleep(1200);
	await w.pollAll(1);
	await w.pollAll(1);

	const byKey = counts(w.deliveries);
	const doubled = [...byKey].filter(([, n]) => n > 1);
	const missing = [...expected].filter((k) => !byKey.has(k));
	const unexpected = [...byKey.keys()].filter((k) => !expected.has(k));
	expect({ doubled, missing, unexpected }).toEqual({ doubled: [], missing: [], unexpected: [] });

	const { deliveries, outcomes } = (await admin('GET', 'webhooks')) as {
		deliveries: Array<{ eventType: string; messageId: string; outcome: string; copy: number }>;
		outcomes: Record<string, number>;
	};
	const lost = deliveries.filter((d) => d.outcome === 'lost').length;
	const fromReconciliation = w.deliveries.filter((d) => d.source === 'reconciliation').length;
	const duplicates = deliveries.filter((d) => d.copy === 2 && d.outcome === '2xx').length;
	// Every lost notification was made up for by reconciliation, and nothing else was.
	expect(fromReconciliation).toBe(lost);
	expect(lost).toBeGreaterThan(60);
	expect(duplicates).toBeGreaterThan(5);
	expect(outcomes['status 500'] ?? 0).toBe(0);
	process.stdout.write(
		`lossy run: ${expected.size} events, ${lost} notifications lost (recovered by reconciliation: ${fromReconciliation}), ${duplicates} duplicates suppressed, ${w.deliveries.length - fromReconciliation} via webhook\n`,
	);
}, 120_000);

test('a notification and the reconciling poll meeting on the same event: one of them emits it', async () => {
	const w = current;
	await w.pollAll(0);
	const [id] = await inbound('race');
	const body = {
		messageIdentifier: id,
		stationIdentifier: SEED.station,
		eventType: 'MESSAGE.RECEIVED.SUCCESS',
	};
	// With no grace, the poll and the notification run at once; the ledger lets one through.
	await Promise.all([w.pollAll(0), w.notification(body), w.notification(body)]);
	await w.pollAll(0);
	expect(w.deliveries.map((d) => d.key)).toEqual([`received:${id}`]);
});

test('a webhook that is late but inside the grace wins; the poller does not emit it', async () => {
	const w = current;
	await w.pollAll(30);
	const [id] = await inbound('late');
	await w.pollAll(30);
	expect(w.deliveries).toEqual([]);
	await w.notification({
		messageAS2ID: id,
		stationAS2ID: SEED.station,
		eventType: 'MESSAGE.RECEIVED.SUCCESS',
	});
	await w.pollAll(0);
	expect(w.deliveries).toEqual([{ key: `received:${id}`, source: 'webhook' }]);
	// The read-flag poller marks it read (at its next poll): it leaves the unread list.
	await w.pollAll(0);
	expect(env.running.sandbox.store.findMessage(id, ['inbox'])?.isRead).toBe(true);
});
