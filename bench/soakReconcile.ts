/* eslint-disable @n8n/community-nodes/no-restricted-imports -- benchmark tooling, not part of the published package */
/**
 * The reconciliation phase of the soak (issue 18, last item): one workflow with the MFT Gateway Webhook
 * Trigger and three MFT Gateway Triggers with Reconcile Webhook Events (received, read-flag; sent;
 * failed), run the way n8n runs them (test/simulation/model/n8n.ts: webhook calls load static data from
 * the row and save it when changed, the pollers keep their copy and save when they emit, last writer
 * wins). Sends and inbound messages arrive in bursts while the sandbox's webhook faults lose, double and
 * delay (reorder) notifications and the API faults of the soak stay on; the pollers run; during a
 * reconciliation round n8n restarts: it stops taking webhook calls (the gateway's posts are refused and
 * never sent again), lets what is under way finish, drops the process memory (the event ledger) and the
 * pollers start again from the saved row. Each event must reach the workflow exactly once.
 */
import { setTimeout as sleep } from 'node:timers/promises';

import type { IDataObject } from 'n8n-workflow';

import { SEED } from '../sandbox';
import type { Sandbox } from '../sandbox/sandbox';
import { SandboxClient } from '../test/harness/client';
import type { TestCredentialsHelper } from '../test/harness/n8n';
import { runNode } from '../test/harness/run';
import {
	eventId,
	N8nWorkflow,
	type PollerSettings,
	webhookEndpoint,
} from '../test/simulation/model/n8n';

export interface ReconcileReport {
	/** Events that happened in the phase (received, sent, failed), from the gateway's store. */
	events: number;
	received: number;
	sent: number;
	failed: number;
	bursts: number;
	restarts: number;
	/** Notifications the gateway's faults lost, posted twice (second copies), and posted while n8n was down (refused, never sent again). */
	notificationsLost: number;
	notificationsDoubled: number;
	notificationsRefused: number;
	/** Events of which no notification reached n8n. */
	eventsNeverNotified: number;
	/** Webhook calls with an event that reached the node, and the executions they started. */
	webhookCalls: number;
	viaWebhook: number;
	/** Executions started by a reconciling poller (the event's notifications were lost, refused or late). */
	recoveredByReconciliation: number;
	/** Webhook calls that started nothing: a second copy, or a notification later than the poller. */
	duplicatesSuppressed: number;
	/** Events that reached the workflow more than once / never / that did not happen in the phase. */
	doubled: number;
	lost: number;
	unexpected: number;
	/** Messages of the phase still queued or incomplete at the end (no event expected). */
	unsettled: number;
	failedPolls: number;
	seconds: number;
}

export function emptyReconcileReport(): ReconcileReport {
	return {
		events: 0,
		received: 0,
		sent: 0,
		failed: 0,
		bursts: 0,
		restarts: 0,
		notificationsLost: 0,
		notificationsDoubled: 0,
		notificationsRefused: 0,
		eventsNeverNotified: 0,
		webhookCalls: 0,
		viaWebhook: 0,
		recoveredByReconciliation: 0,
		duplicatesSuppressed: 0,
		doubled: 0,
		lost: 0,
		unexpected: 0,
		unsettled: 0,
		failedPolls: 0,
		seconds: 0,
	};
}

const RECONCILE_AFTER_SECONDS = 1;
const EVENT_TYPES = {
	received: 'MESSAGE.RECEIVED.SUCCESS',
	sent: 'MESSAGE.SEND.SUCCESS',
	failed: 'MESSAGE.SEND.FAILED',
};

const POLLED: PollerSettings[] = (
	[
		['Reconcile received', 'messageReceived', 'received', 'readFlag'],
		['Reconcile sent', 'messageSent', 'sent', undefined],
		['Reconcile failed', 'messageFailed', 'failed', undefined],
	] as const
).map(([name, event, kind, trackBy]) => ({
	name,
	event,
	kind,
	...(trackBy ? { trackBy } : {}),
	options: {
		reconcileWebhook: true,
		reconcileAfterSeconds: RECONCILE_AFTER_SECONDS,
		maxPerPoll: 50,
	},
}));

export async function runReconcilePhase(options: {
	sandbox: Sandbox;
	credentials: TestCredentialsHelper;
	/** About how many events (sends and inbound messages, ~40/60) arrive, in bursts of 20 to 50. */
	events: number;
	seed: number;
	say?: (line: string) => void;
}): Promise<ReconcileReport> {
	const { sandbox, credentials } = options;
	const say = options.say ?? (() => {});
	const started = Date.now();
	const report = emptyReconcileReport();
	const before = new Set(sandbox.store.state.messages.map((m) => m.identifier));
	const workflow = new N8nWorkflow('wf-soak-reconcile', credentials, POLLED);

	// n8n's webhook endpoint: while n8n is down the gateway's posts are refused; calls under way finish.
	let down = false;
	const underWay = new Set<Promise<unknown>>();
	const endpoint = await webhookEndpoint((body) => {
		if (down) return 503;
		if ((body as IDataObject | null)?.eventType) report.webhookCalls++;
		const call = workflow.notification(body);
		const settled = call.then(
			() => undefined,
			() => undefined,
		);
		underWay.add(settled);
		void settled.finally(() => underWay.delete(settled));
		return call;
	});
	const admin = (method: string, path: string, body?: unknown) =>
		new SandboxClient(sandbox.url).admin(method, path, body);
	const poll = async (index: number) => {
		const result = await workflow.poll(index);
		if (result.error) report.failedPolls++;
		return result;
	};
	/** n8n restarts: takes no more webhook calls, lets `alsoUnderWay` and the calls under way finish, drops its memory. */
	const restart = async (alsoUnderWay?: Promise<unknown>) => {
		down = true;
		await alsoUnderWay;
		while (underWay.size) await Promise.allSettled([...underWay]);
		workflow.restart();
		report.restarts++;
		// Down for a moment: notifications posted now are refused, and MFT Gateway never sends them again.
		await sleep(500);
		down = false;
	};

	/** The events of the phase so far: every message it made, once it is received, sent or failed. */
	const expectedEvents = () =>
		sandbox.store.state.messages
			.filter((m) => !before.has(m.identifier))
			.map((m) =>
				m.incoming
					? eventId('received', m.identifier)
					: m.box === 'sent' || m.box === 'failed'
						? eventId(m.box, m.identifier)
						: '',
			)
			.filter(Boolean);

	try {
		// Activation has to succeed (n8n would refuse to activate otherwise); the API faults stay on.
		for (const index of POLLED.keys())
			for (let tries = 0; (await poll(index)).error; tries++)
				if (tries >= 20) throw new Error(`${POLLED[index].name} did not activate`);
		const url = endpoint.url;
		await admin('PUT', 'webhooks', { url, station: '*', payloadStyle: 'both' });
		await admin('PUT', 'webhooks/faults', {
			lose: 0.2,
			duplicate: 0.05,
			delayMs: 400,
			seed: options.seed,
		});

		say(
			`reconciliation: ~${options.events} events in bursts, 20 % of notifications lost, 5 % doubled, delayed up to 0.4 s, n8n restarting during reconciliation ...`,
		);
		const restartAt = Math.max(1, Math.floor(options.events / 35 / 2));
		for (let made = 0, burst = 0; made < options.events; burst++) {
			const size = Math.min(options.events - made, 20 + Math.floor(Math.random() * 31));
			made += size;
			report.bursts++;
			const inbound = Math.max(1, Math.round(size * 0.6));
			const sends = size - inbound;
			if (sends > 0)
				await runNode({
					credentials,
					continueOnFail: true,
					items: Array.from({ length: sends }, (_, k) => ({ json: { k } })),
					parameters: {
						resource: 'message',
						operation: 'send',
						station: SEED.station,
						// A quarter to a partner that rejects: failed events.
						partner: '={{ $json.k % 4 === 3 ? "PARTNER_REJECTS" : "PARTNER_OK" }}',
						payload: 'text',
						text: 'ISA*00*~',
						fileName: 'out.edi',
						options: { subject: `soakrec-${burst}` },
					},
				});
			await sandbox.deliverInbound({
				station: SEED.station,
				partner: 'PARTNER_OK',
				subject: `soak reconcile ${burst}`,
				count: inbound,
				files: [
					{ name: 'in.edi', contentType: 'application/edi-x12', content: Buffer.from('ISA~') },
				],
			});
			// One reconciliation round. The restart comes during one, while the received poller runs and the
			// burst's notifications are still under way (a graceful stop: what is under way finishes first).
			if (burst === restartAt) {
				const polling = poll(0);
				await restart(polling);
			}
			for (const index of POLLED.keys()) await poll(index);
		}
		if (!report.restarts) await restart();

		// Everything queued runs to its end, every notification is answered; the pollers catch up.
		await sandbox.lifecycle.settleAll();
		for (let round = 0; round < 5; round++) {
			await sandbox.webhooks.idle();
			while (underWay.size) await Promise.allSettled([...underWay]);
			await sleep(RECONCILE_AFTER_SECONDS * 1000 + 300);
			let busy = false;
			for (const index of POLLED.keys())
				for (let quiet = 0, n = 0; quiet < 2 && n < 200; n++) {
					const { emitted, changed, error } = await poll(index);
					quiet = emitted || changed || error ? 0 : quiet + 1;
					if (emitted) busy = true;
				}
			if (!busy && round > 0) break;
			if (!busy && expectedEvents().every((key) => workflow.delivered.has(key))) break;
		}

		// ---- what happened, per event ----
		const expected = new Set<string>();
		const notified = new Set<string>();
		const phase = sandbox.store.state.messages.filter((m) => !before.has(m.identifier));
		for (const m of phase) {
			const kind = m.incoming ? 'received' : m.box === 'sent' || m.box === 'failed' ? m.box : null;
			if (!kind) {
				report.unsettled++;
				continue;
			}
			report[kind]++;
			expected.add(eventId(kind, m.identifier));
			notified.add(`${EVENT_TYPES[kind]}:${m.identifier}`);
		}
		report.events = expected.size;
		const answered = new Set<string>();
		for (const r of sandbox.webhooks.records) {
			const key = `${r.eventType}:${r.messageId}`;
			if (!notified.has(key)) continue;
			if (r.copy === 2) report.notificationsDoubled++;
			if (r.outcome === 'lost') report.notificationsLost++;
			else if (r.outcome === '2xx') answered.add(key);
			else report.notificationsRefused++;
		}
		report.eventsNeverNotified = notified.size - answered.size;
		for (const [key, count] of workflow.delivered) {
			if (!expected.has(key)) report.unexpected++;
			else if (count > 1) report.doubled++;
		}
		for (const key of expected) if (!workflow.delivered.has(key)) report.lost++;
		report.viaWebhook = workflow.deliveries.filter((d) => d.source === 'webhook').length;
		report.recoveredByReconciliation = workflow.deliveries.filter(
			(d) => d.source === 'reconciliation',
		).length;
		report.duplicatesSuppressed = report.webhookCalls - report.viaWebhook;
		report.seconds = Math.round((Date.now() - started) / 1000);
		return report;
	} finally {
		await admin('DELETE', 'webhooks').catch(() => undefined);
		await admin('PUT', 'webhooks/faults', { lose: 0, duplicate: 0, delayMs: 0 }).catch(
			() => undefined,
		);
		await sandbox.webhooks.idle();
		await endpoint.close();
	}
}

/** The verdict of the phase: each event exactly once, and the restart happened. */
export function reconcileProblems(report: ReconcileReport): string[] {
	const problems: string[] = [];
	if (report.doubled || report.lost || report.unexpected)
		problems.push(
			`reconciliation: ${report.doubled} doubled, ${report.lost} lost, ${report.unexpected} unexpected of ${report.events} events`,
		);
	if (report.events && !report.restarts) problems.push('reconciliation: no restart happened');
	return problems;
}
