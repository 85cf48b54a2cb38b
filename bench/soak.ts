/* eslint-disable @n8n/community-nodes/require-node-api-error -- benchmark tooling, not n8n node code */
/**
 * The fault soak: sends through the node and inbound messages through the trigger while the sandbox
 * injects faults into ~10 % of calls (429, 500/502/503, dropped connections, token expiry, expired
 * pre-signed URLs, and answers lost after a submit was taken). Checks that nothing is lost, nothing is
 * doubled, files are byte-identical and no secret shows in any error text.
 */
import { createHash, randomBytes } from 'node:crypto';

import type { IDataObject } from 'n8n-workflow';

import { SEED, startSandbox } from '../sandbox';
import { TestCredentialsHelper, TRIGGER_NODE_TYPE, binaryDataService } from '../test/harness/n8n';
import { CREDENTIAL_ID, runNode, runPoll } from '../test/harness/run';

export interface SoakReport {
	sends: number;
	sentOk: number;
	reportedFailedNotStored: number;
	reportedUncertainButStored: number;
	doubled: number;
	silentlyDropped: number;
	inbound: number;
	inboundEmittedOnce: number;
	inboundMissing: number;
	inboundDuplicates: number;
	attachmentsIdentical: number;
	faultsFired: number;
	failedPolls: number;
	secretsInErrors: number;
	seconds: number;
	/** The distinct reasons polls failed, with how often. */
	pollFailures: Record<string, number>;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');

export async function runSoak(options: { sends: number; inbound: number; seed?: number; say?: (line: string) => void }): Promise<SoakReport> {
	const say = options.say ?? (() => {});
	const started = Date.now();
	const running = await startSandbox({ config: { deliveryDelayMs: 50, retryDelayMs: 50 }, faultSeed: options.seed ?? 7 });
	const sandbox = running.sandbox;
	const credentials = new TestCredentialsHelper();
	credentials.set(CREDENTIAL_ID, { authentication: 'password', username: SEED.username, password: SEED.password, baseUrl: running.url });
	const errorTexts: string[] = [];
	try {
		// Warm up the session, then turn the faults on: ~10 % of calls in all.
		await runNode({ credentials, parameters: { resource: 'message', operation: 'getAll', folder: 'sent', returnAll: false, limit: 1 } });
		const rules: Array<[string, IDataObject, number, 'before' | 'after']> = [
			['*', { kind: 'status', status: 429, retryAfter: 0 }, 0.02, 'before'],
			['*', { kind: 'status', status: 500 }, 0.015, 'before'],
			['*', { kind: 'status', status: 502 }, 0.01, 'before'],
			['*', { kind: 'status', status: 503 }, 0.015, 'before'],
			['*', { kind: 'drop' }, 0.01, 'before'],
			['*', { kind: 'expireToken' }, 0.01, 'before'],
			['submit', { kind: 'status', status: 500 }, 0.01, 'after'],
			['file', { kind: 'status', status: 403, message: 'Request has expired' }, 0.02, 'before'],
		];
		for (const [route, action, rate, when] of rules) sandbox.faults.add({ route, action: action as never, rate, when });

		// ---- sends through the node: batches of 50 items, Continue on Fail ----
		say(`sending ${options.sends} messages through the node ...`);
		const outcome = new Map<number, { ok: boolean; id?: string; error?: string }>();
		for (let start = 0; start < options.sends; start += 50) {
			const batch = Array.from({ length: Math.min(50, options.sends - start) }, (_, k) => start + k);
			const result = await runNode({
				credentials,
				continueOnFail: true,
				items: batch.map((n) => ({ json: { n } })),
				parameters: { resource: 'message', operation: 'send', station: SEED.station, partner: 'PARTNER_OK', payload: 'text', text: '={{ "SOAK-" + $json.n }}', fileName: 'soak.edi', options: { subject: '={{ "soak-" + $json.n }}' } },
			});
			if (result.error) throw result.error;
			result.items.forEach((item, index) => {
				const n = batch[(item.pairedItem as { item: number }).item ?? index];
				if (item.json.error) {
					errorTexts.push(String(item.json.error), String(item.json.errorDescription ?? ''));
					outcome.set(n, { ok: false, error: String(item.json.error) });
				} else outcome.set(n, { ok: true, id: item.json.messageIdentifier as string });
			});
		}
		const stored = new Map<number, number>();
		for (const m of sandbox.store.state.messages) {
			const match = !m.incoming && /^soak-(\d+)$/.exec(m.subject);
			if (match) stored.set(Number(match[1]), (stored.get(Number(match[1])) ?? 0) + 1);
		}
		const report: SoakReport = { sends: options.sends, sentOk: 0, reportedFailedNotStored: 0, reportedUncertainButStored: 0, doubled: 0, silentlyDropped: 0, inbound: options.inbound, inboundEmittedOnce: 0, inboundMissing: 0, inboundDuplicates: 0, attachmentsIdentical: 0, faultsFired: 0, failedPolls: 0, secretsInErrors: 0, seconds: 0, pollFailures: {} };
		for (let n = 0; n < options.sends; n++) {
			const copies = stored.get(n) ?? 0;
			const result = outcome.get(n);
			if (copies > 1) report.doubled++;
			else if (result?.ok && copies === 1) report.sentOk++;
			else if (result?.ok && copies === 0) report.silentlyDropped++;
			else if (!result?.ok && copies === 0) report.reportedFailedNotStored++;
			else if (!result?.ok && copies === 1) report.reportedUncertainButStored++;
			else report.silentlyDropped++; // no outcome at all for this input
		}

		// ---- inbound through the trigger, with attachments ----
		say(`delivering ${options.inbound} inbound messages and polling them with the trigger ...`);
		const expected = new Map<string, string>();
		const emitted: string[] = [];
		const staticData: IDataObject = {};
		const poll = () => runPoll({ credentials, nodeType: TRIGGER_NODE_TYPE, staticData, parameters: { event: 'messageReceived', trackBy: 'readFlag', options: { downloadAttachments: true, maxPerPoll: 100 } as never } });
		for (let tries = 0; ; tries++) {
			// Activation has to succeed once (n8n would refuse to activate otherwise).
			try {
				await poll();
				break;
			} catch (error) {
				report.failedPolls++;
				if (tries >= 10) throw error;
			}
		}
		let quietInARow = 0;
		for (let round = 0; round < 1000 && (expected.size < options.inbound || quietInARow < 3); round++) {
			if (expected.size < options.inbound) {
				const count = Math.min(options.inbound - expected.size, 1 + Math.floor(Math.random() * 60));
				for (let k = 0; k < count; k++) {
					const content = Buffer.concat([Buffer.from(`INBOUND-${expected.size}-`), randomBytes(512)]);
					const [id] = await sandbox.deliverInbound({ station: SEED.station, partner: 'PARTNER_OK', subject: 'soak in', count: 1, files: [{ name: `in-${expected.size}.bin`, contentType: 'application/octet-stream', content }] });
					expected.set(id, sha(content));
				}
			}
			try {
				const result = await poll();
				for (const item of result.items ?? []) {
					const id = item.json.identifier as string;
					emitted.push(id);
					const file = item.binary?.attachment_0;
					if (file && expected.get(id) === sha(await binaryDataService().getAsBuffer(file))) report.attachmentsIdentical++;
				}
				quietInARow = result.items || expected.size < options.inbound ? 0 : quietInARow + 1;
			} catch (error) {
				report.failedPolls++;
				const reason = (error as Error).message.replace(/<[^>]+>/g, '<id>').replace(/127\.0\.0\.1:\d+/g, 'host');
				report.pollFailures[reason] = (report.pollFailures[reason] ?? 0) + 1;
				errorTexts.push((error as Error).message, String((error as { description?: string }).description ?? ''));
				quietInARow = 0;
			}
		}
		const counts = new Map<string, number>();
		for (const id of emitted) counts.set(id, (counts.get(id) ?? 0) + 1);
		for (const id of expected.keys()) {
			const c = counts.get(id) ?? 0;
			if (c === 0) report.inboundMissing++;
			else if (c === 1) report.inboundEmittedOnce++;
		}
		report.inboundDuplicates = [...counts.values()].filter((c) => c > 1).length;

		// ---- secrets ----
		const stored2 = credentials.get(CREDENTIAL_ID);
		const secrets = [String(stored2.sessionToken), String(stored2.refreshToken), SEED.password];
		report.secretsInErrors = errorTexts.filter((t) => secrets.some((s) => s && t.includes(s)) || /eyJ[\w-]{10,}\.[\w-]{10,}\./.test(t) || /X-Amz-Signature=[0-9a-f]{8}/.test(t)).length;
		report.faultsFired = sandbox.faults.list().reduce((sum, rule) => sum + rule.fired, 0);
		report.seconds = Math.round((Date.now() - started) / 1000);
		return report;
	} finally {
		await running.close();
	}
}
