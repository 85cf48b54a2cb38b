/* eslint-disable @n8n/community-nodes/require-node-api-error -- benchmark tooling, not n8n node code */
/**
 * The fault soak: sends through the node and inbound messages through the trigger while the sandbox
 * injects faults into ~10 % of calls (429, 500/502/503, dropped connections, token expiry, expired
 * pre-signed URLs, and answers lost after a submit was taken). Checks that nothing is lost, nothing is
 * doubled, files are byte-identical and no secret shows in any error text. Also:
 * - sends with Wait for Delivery and Retry On Fail, to partners that accept, reject, fail twice or send no
 *   MDN: never a second submit, and the reported outcome is the real one (issue 10, item 1);
 * - multi-item sends with Retry On Fail, one item in ten to an unknown partner (422 on every try): the
 *   items before it are submitted once, and the failed execution's error names them (issue 18, item 1);
 * - executions of one credential run two at a time, so token expiries meet parallel requests: renewals
 *   stay at about one per expiry (item 3);
 * - Sent and Failed triggers with a small Max Messages per Poll (5; 25 in the 1,000-message run) while messages fail late (item 9);
 * - inbound messages of which a fifth become visible late, stamped up to two minutes in the past, read by
 *   a read-flag trigger and a tracked-in-n8n trigger at once (item 10);
 * - a workflow with the Webhook Trigger and reconciling Triggers (received, sent, failed) while
 *   notifications are lost, doubled and delayed, and n8n restarts during reconciliation: each event
 *   reaches the workflow exactly once (last item; bench/soakReconcile.ts).
 */
import { createHash, randomBytes } from 'node:crypto';

import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { SEED, startSandbox } from '../sandbox';
import type { Sandbox } from '../sandbox/sandbox';
import { TestCredentialsHelper, TRIGGER_NODE_TYPE, binaryDataService } from '../test/harness/n8n';
import { CREDENTIAL_ID, runNode, runPoll } from '../test/harness/run';
import {
	emptyReconcileReport,
	reconcileProblems,
	runReconcilePhase,
	type ReconcileReport,
} from './soakReconcile';

export interface EventTally {
	expected: number;
	emittedOnce: number;
	missing: number;
	duplicates: number;
}

export interface SoakReport {
	sends: number;
	sentOk: number;
	reportedFailedNotStored: number;
	reportedUncertainButStored: number;
	doubled: number;
	silentlyDropped: number;
	/** Sends with Wait for Delivery and Retry On Fail (item 1). */
	waitedSends: number;
	waitedDoubled: number;
	/** Outcomes (sent/failed/incomplete) that differ from where the message really is. */
	waitedWrongOutcome: number;
	waitedOutcomes: Record<string, number>;
	/** Multi-item sends with Retry On Fail (issue 18, item 1): items, executions that failed, doubled, lost. */
	multiItems: number;
	multiFailedExecutions: number;
	multiDoubled: number;
	/**
	 * Items a user cannot account for: stored, but neither in the output nor named in the failed
	 * execution's error as already submitted; or, in a failed execution, named in neither of the error's
	 * lists (already submitted / not submitted), so the user cannot know whether to run it again.
	 */
	multiLost: number;
	/** Items the output or the error reports as taken with a message ID that is not stored. */
	multiWrongClaims: number;
	/** Items reported as `unknown` (the submit's answer was lost), in the output or in the error. */
	multiUncertain: number;
	/** Items a failed execution's error names as not submitted (the failing item and those after it). */
	multiNotSubmitted: number;
	/** Outbound events through triggers with Max Messages per Poll = 5 (item 9). */
	sentEvents: EventTally;
	failedEvents: EventTally;
	inbound: number;
	lateArrivals: number;
	/** Read-flag trigger (with attachments) and tracked-in-n8n trigger over the same inbox (item 10). */
	inboundReadFlag: EventTally;
	inboundTracked: EventTally;
	attachmentsIdentical: number;
	/** Webhook Trigger + reconciling Triggers with lost/doubled/late notifications and a restart (issue 18, last item). */
	reconcile: ReconcileReport;
	/** Token expiries injected, and the renewals they caused (item 3). */
	tokenExpiries: number;
	refreshes: number;
	passwordLogins: number;
	faultsFired: number;
	failedPolls: number;
	secretsInErrors: number;
	seconds: number;
	/** The distinct reasons polls failed, with how often. */
	pollFailures: Record<string, number>;
}

const sha = (data: Buffer) => createHash('sha256').update(data).digest('hex');
const SEND_PARTNERS = [
	'PARTNER_OK',
	'PARTNER_OK',
	'PARTNER_OK',
	'PARTNER_OK',
	'PARTNER_OK',
	'PARTNER_OK',
	'PARTNER_OK',
	'PARTNER_REJECTS',
	'PARTNER_DOWN',
	'PARTNER_OK',
];
const WAIT_PARTNERS = ['PARTNER_OK', 'PARTNER_REJECTS', 'PARTNER_FLAKY', 'PARTNER_NO_MDN'];

/** Send parameters for items `{ n, partner }`: the text and subject carry the tag and n. */
const perItemSend = (tag: string): INodeParameters => ({
	resource: 'message',
	operation: 'send',
	station: SEED.station,
	partner: '={{ $json.partner }}',
	payload: 'text',
	text: `={{ "${tag.toUpperCase()}-" + $json.n }}`,
	fileName: `${tag}.edi`,
	options: { subject: `={{ "${tag}-" + $json.n }}` },
});

function tally(expected: Iterable<string>, emitted: string[]): EventTally {
	const counts = new Map<string, number>();
	for (const id of emitted) counts.set(id, (counts.get(id) ?? 0) + 1);
	const result: EventTally = {
		expected: 0,
		emittedOnce: 0,
		missing: 0,
		duplicates: [...counts.values()].filter((c) => c > 1).length,
	};
	for (const id of expected) {
		result.expected++;
		const c = counts.get(id) ?? 0;
		if (c === 0) result.missing++;
		else if (c === 1) result.emittedOnce++;
	}
	return result;
}

/** A trigger polled again and again under faults; failed polls are counted and the next one catches up. */
class SoakTrigger {
	readonly emitted: string[] = [];
	private readonly staticData: IDataObject = {};

	constructor(
		private readonly credentials: TestCredentialsHelper,
		private readonly parameters: IDataObject,
		private readonly report: SoakReport,
		private readonly errorTexts: string[],
		private readonly onItem?: (item: INodeExecutionData) => Promise<void>,
	) {}

	/** Activation has to succeed once (n8n would refuse to activate otherwise). */
	async activate(): Promise<void> {
		for (let tries = 0; ; tries++) {
			try {
				await this.poll(true);
				return;
			} catch (error) {
				if (tries >= 10) throw error;
			}
		}
	}

	/** One poll; returns how many items it emitted (0 also when it failed). */
	async poll(rethrow = false): Promise<number> {
		try {
			const result = await runPoll({
				credentials: this.credentials,
				nodeType: TRIGGER_NODE_TYPE,
				staticData: this.staticData,
				parameters: this.parameters as never,
			});
			for (const item of result.items ?? []) {
				this.emitted.push(String(item.json.identifier ?? item.json.messageIdentifier));
				await this.onItem?.(item);
			}
			return result.items?.length ?? 0;
		} catch (error) {
			this.report.failedPolls++;
			const reason = (error as Error).message
				.replace(/<[^>]+>/g, '<id>')
				.replace(/127\.0\.0\.1:\d+/g, 'host');
			this.report.pollFailures[reason] = (this.report.pollFailures[reason] ?? 0) + 1;
			this.errorTexts.push(
				(error as Error).message,
				String((error as { description?: string }).description ?? ''),
			);
			if (rethrow) throw error;
			return 0;
		}
	}
}

/** Polls every trigger until each had three quiet (or failed) polls in a row. */
async function pollUntilQuiet(triggers: SoakTrigger[]): Promise<void> {
	for (const trigger of triggers) {
		let quiet = 0;
		for (let round = 0; round < 2000 && quiet < 3; round++)
			quiet = (await trigger.poll()) > 0 ? 0 : quiet + 1;
	}
}

function outboundBySubject(
	sandbox: Sandbox,
	prefix: string,
): Map<number, Array<{ id: string; box: string }>> {
	const byNumber = new Map<number, Array<{ id: string; box: string }>>();
	for (const m of sandbox.store.state.messages) {
		const match = !m.incoming && new RegExp(`^${prefix}-(\\d+)$`).exec(m.subject);
		if (!match) continue;
		const list = byNumber.get(Number(match[1])) ?? [];
		list.push({ id: m.identifier, box: m.box });
		byNumber.set(Number(match[1]), list);
	}
	return byNumber;
}

/**
 * What a multi-item send tells its user about one item, checked against what MFT Gateway stored
 * (`stored`: the ids of its copies). The item is in the output of a successful execution, or else its
 * execution failed and the error (`failure.text`, the item being number `failure.index` of the input)
 * names it in one of two lists: "Already submitted …: item 0 (<id>), item 1 (answer lost)" or
 * "Not submitted: item 2 (this error), items 3, 4 (not tried …)".
 * - `sent`: reported with the id of its stored copy;
 * - `uncertain`: reported as `unknown` (the submit's answer was lost): stored or not, it is accounted for
 *   (it is never resent; the user is told to check), so it is not lost;
 * - `notSubmitted`: named as not submitted, and nothing stored;
 * - `wrongClaim`: reported as taken with an id that is not stored, or as not submitted while stored;
 * - `lost`: stored but reported nowhere, or (failed execution) named in neither list.
 */
export function multiItemFate(
	stored: string[],
	output: IDataObject | undefined,
	failure: { text: string; index: number } | undefined,
): 'sent' | 'uncertain' | 'notSubmitted' | 'wrongClaim' | 'lost' {
	if (output) {
		const id = output.messageIdentifier ?? output.id;
		if (id) return stored.includes(String(id)) ? 'sent' : 'wrongClaim';
		if (output.deliveryStatus === 'unknown') return 'uncertain';
		// Accepted without a message id: it must be stored.
		return stored.length > 0 ? 'sent' : 'wrongClaim';
	}
	if (!failure) return stored.length > 0 ? 'lost' : 'notSubmitted';
	const takenAt = failure.text.indexOf('Already submitted');
	const notAt = failure.text.indexOf('Not submitted:');
	const taken = takenAt < 0 ? '' : failure.text.slice(takenAt, notAt > takenAt ? notAt : undefined);
	const named = new RegExp(`\\bitem ${failure.index} \\(([^)]*)\\)`).exec(taken)?.[1];
	if (named !== undefined) {
		if (named === 'answer lost') return 'uncertain';
		if (named === 'no message ID') return stored.length > 0 ? 'sent' : 'wrongClaim';
		return stored.includes(named) ? 'sent' : 'wrongClaim';
	}
	const notSent = notAt < 0 ? '' : failure.text.slice(notAt);
	if (namesItem(notSent, failure.index)) return stored.length > 0 ? 'wrongClaim' : 'notSubmitted';
	return 'lost';
}

/** Whether "Not submitted: item 2 (this error), items 3–4 (…)" names item `index`. */
function namesItem(text: string, index: number): boolean {
	for (const m of text.matchAll(/\bitems? (\d+)(?:(?:, |–)(\d+))?/g)) {
		const from = Number(m[1]);
		const to = m[2] === undefined ? from : Number(m[2]);
		if (index >= from && index <= to) return true;
	}
	return false;
}

export async function runSoak(options: {
	sends: number;
	inbound: number;
	/** About how many events the reconciliation phase makes (0: skipped). */
	reconcile?: number;
	seed?: number;
	say?: (line: string) => void;
}): Promise<SoakReport> {
	const say = options.say ?? (() => {});
	const started = Date.now();
	const running = await startSandbox({
		config: { deliveryDelayMs: 50, retryDelayMs: 50 },
		faultSeed: options.seed ?? 7,
	});
	const sandbox = running.sandbox;
	const credentials = new TestCredentialsHelper();
	credentials.set(CREDENTIAL_ID, {
		authentication: 'password',
		username: SEED.username,
		password: SEED.password,
		baseUrl: running.url,
	});
	const errorTexts: string[] = [];
	const waitedSends = Math.max(8, Math.round(options.sends / 10));
	const report: SoakReport = {
		sends: options.sends,
		sentOk: 0,
		reportedFailedNotStored: 0,
		reportedUncertainButStored: 0,
		doubled: 0,
		silentlyDropped: 0,
		waitedSends,
		waitedDoubled: 0,
		waitedWrongOutcome: 0,
		waitedOutcomes: {},
		multiItems: 0,
		multiFailedExecutions: 0,
		multiDoubled: 0,
		multiLost: 0,
		multiWrongClaims: 0,
		multiUncertain: 0,
		multiNotSubmitted: 0,
		sentEvents: tally([], []),
		failedEvents: tally([], []),
		inbound: options.inbound,
		lateArrivals: 0,
		inboundReadFlag: tally([], []),
		inboundTracked: tally([], []),
		attachmentsIdentical: 0,
		reconcile: emptyReconcileReport(),
		tokenExpiries: 0,
		refreshes: 0,
		passwordLogins: 0,
		faultsFired: 0,
		failedPolls: 0,
		secretsInErrors: 0,
		seconds: 0,
		pollFailures: {},
	};
	try {
		// Warm up the session and activate the outbound triggers, then turn the faults on: ~10 % of calls in all.
		await runNode({
			credentials,
			parameters: {
				resource: 'message',
				operation: 'getAll',
				folder: 'sent',
				returnAll: false,
				limit: 1,
			},
		});
		// A small cap, so that events wait for later polls (a larger one for the 1,000-message run, to keep it short).
		const maxPerPoll = options.sends > 200 ? 25 : 5;
		const sentTrigger = new SoakTrigger(
			credentials,
			{ event: 'messageSent', options: { maxPerPoll, idsOnly: true } },
			report,
			errorTexts,
		);
		const failedTrigger = new SoakTrigger(
			credentials,
			{ event: 'messageFailed', options: { maxPerPoll, idsOnly: true } },
			report,
			errorTexts,
		);
		await sentTrigger.activate();
		await failedTrigger.activate();
		sandbox.stats.reset();
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
		for (const [route, action, rate, when] of rules)
			sandbox.faults.add({ route, action: action as never, rate, when });

		// ---- sends through the node: batches of 50 items, two executions at a time, Continue on Fail ----
		say(`sending ${options.sends} messages through the node (two executions at a time) ...`);
		const outcome = new Map<number, { ok: boolean; id?: string }>();
		const sendBatch = async (batch: number[]) => {
			const result = await runNode({
				credentials,
				continueOnFail: true,
				items: batch.map((n) => ({
					json: { n, partner: SEND_PARTNERS[n % SEND_PARTNERS.length] },
				})),
				parameters: perItemSend('soak'),
			});
			if (result.error) throw result.error;
			result.items.forEach((item, index) => {
				const n = batch[(item.pairedItem as { item: number }).item ?? index];
				if (item.json.error) {
					errorTexts.push(String(item.json.error), String(item.json.errorDescription ?? ''));
					outcome.set(n, { ok: false });
				} else outcome.set(n, { ok: true, id: item.json.messageIdentifier as string });
			});
		};
		for (let start = 0; start < options.sends; start += 100) {
			const numbers = Array.from(
				{ length: Math.min(100, options.sends - start) },
				(_, k) => start + k,
			);
			await Promise.all([
				sendBatch(numbers.slice(0, 50)),
				...(numbers.length > 50 ? [sendBatch(numbers.slice(50))] : []),
			]);
			await sentTrigger.poll();
			await failedTrigger.poll();
		}

		// ---- sends that wait for delivery, with Retry On Fail: never a second submit ----
		say(`sending ${waitedSends} messages with Wait for Delivery and Retry On Fail ...`);
		const waited = new Map<number, IDataObject>();
		for (let start = 0; start < waitedSends; start += 10) {
			if (start > 0 && start % 50 === 0) say(`   ${start} of ${waitedSends} ...`);
			const group = Array.from({ length: Math.min(10, waitedSends - start) }, (_, k) => start + k);
			await Promise.all(
				group.map(async (n) => {
					const result = await runNode({
						credentials,
						continueOnFail: true,
						settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 },
						items: [{ json: { n } }],
						parameters: {
							resource: 'message',
							operation: 'send',
							station: SEED.station,
							partner: WAIT_PARTNERS[n % WAIT_PARTNERS.length],
							payload: 'text',
							text: `SOAKWAIT-${n}`,
							fileName: 'wait.edi',
							waitForDelivery: true,
							waitTimeout: 30,
							pollInterval: 1,
							options: { subject: `soakwait-${n}` },
						},
					});
					if (result.error) throw result.error;
					const json = result.items[0]?.json ?? {};
					if (json.error) errorTexts.push(String(json.error), String(json.errorDescription ?? ''));
					waited.set(n, json);
				}),
			);
		}

		// ---- multi-item sends with Retry On Fail: a later item's failure never resends an earlier one ----
		const multiItems = Math.max(20, Math.round(options.sends / 5));
		report.multiItems = multiItems;
		say(`sending ${multiItems} items, 5 per execution, with Retry On Fail ...`);
		const multiOutput = new Map<number, IDataObject>();
		const multiErrors = new Map<number, { text: string; index: number }>();
		const sendMulti = async (batch: number[]) => {
			const result = await runNode({
				credentials,
				settings: { retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
				items: batch.map((n) => ({
					json: { n, partner: n % 10 === 7 ? 'NO_SUCH_PARTNER' : 'PARTNER_OK' },
				})),
				parameters: perItemSend('soakmulti'),
			});
			if (result.error) {
				report.multiFailedExecutions++;
				const text = `${result.error.message} ${result.error.description ?? ''}`;
				errorTexts.push(text);
				batch.forEach((n, index) => multiErrors.set(n, { text, index }));
			}
			result.items.forEach((item, index) => multiOutput.set(batch[index], item.json));
		};
		for (let start = 0; start < multiItems; start += 10) {
			const numbers = Array.from({ length: Math.min(10, multiItems - start) }, (_, k) => start + k);
			await Promise.all([sendMulti(numbers.slice(0, 5)), sendMulti(numbers.slice(5))]);
		}

		// ---- everything queued runs to its end; the outbound triggers catch up ----
		await sandbox.lifecycle.settleAll();
		await pollUntilQuiet([sentTrigger, failedTrigger]);

		// ---- inbound through two triggers at once, with late arrivals ----
		say(
			`delivering ${options.inbound} inbound messages (a fifth of them late) and polling them with two triggers ...`,
		);
		const expected = new Map<string, string>();
		let attachmentsIdentical = 0;
		const readFlag = new SoakTrigger(
			credentials,
			{
				event: 'messageReceived',
				trackBy: 'readFlag',
				options: { downloadAttachments: true, maxPerPoll: 100 },
			},
			report,
			errorTexts,
			async (item) => {
				const file = item.binary?.attachment_0;
				if (
					file &&
					expected.get(String(item.json.identifier)) ===
						sha(await binaryDataService().getAsBuffer(file))
				)
					attachmentsIdentical++;
			},
		);
		const tracked = new SoakTrigger(
			credentials,
			{
				event: 'messageReceived',
				trackBy: 'n8n',
				options: { idsOnly: true, maxPerPoll: 100, lookBackMinutes: 5 },
			},
			report,
			errorTexts,
		);
		await readFlag.activate();
		await tracked.activate();
		for (let round = 0; round < 1000 && expected.size < options.inbound; round++) {
			const count = Math.min(options.inbound - expected.size, 1 + Math.floor(Math.random() * 60));
			for (let k = 0; k < count; k++) {
				const content = Buffer.concat([Buffer.from(`INBOUND-${expected.size}-`), randomBytes(512)]);
				const late = Math.random() < 0.2;
				if (late) report.lateArrivals++;
				const [id] = await sandbox.deliverInbound({
					station: SEED.station,
					partner: 'PARTNER_OK',
					subject: 'soak in',
					count: 1,
					timestamp: late ? Date.now() - 1000 - Math.floor(Math.random() * 119_000) : undefined,
					files: [
						{ name: `in-${expected.size}.bin`, contentType: 'application/octet-stream', content },
					],
				});
				expected.set(id, sha(content));
			}
			await readFlag.poll();
			await tracked.poll();
		}
		await pollUntilQuiet([readFlag, tracked]);

		// ---- webhook + reconciliation, notifications lost/doubled/late, n8n restarts in the middle ----
		if (options.reconcile)
			report.reconcile = await runReconcilePhase({
				sandbox,
				credentials,
				events: options.reconcile,
				seed: options.seed ?? 7,
				say,
			});

		// ---- what happened ----
		const stored = outboundBySubject(sandbox, 'soak');
		for (let n = 0; n < options.sends; n++) {
			const copies = stored.get(n)?.length ?? 0;
			const result = outcome.get(n);
			if (copies > 1) report.doubled++;
			else if (result?.ok && copies === 1) report.sentOk++;
			else if (result?.ok && copies === 0) report.silentlyDropped++;
			else if (!result?.ok && copies === 0) report.reportedFailedNotStored++;
			else if (!result?.ok && copies === 1) report.reportedUncertainButStored++;
			else report.silentlyDropped++; // no outcome at all for this input
		}
		const storedWaited = outboundBySubject(sandbox, 'soakwait');
		for (const [n, json] of waited) {
			const copies = storedWaited.get(n) ?? [];
			if (copies.length > 1) report.waitedDoubled++;
			const status = json.error ? 'error' : String(json.deliveryStatus);
			report.waitedOutcomes[status] = (report.waitedOutcomes[status] ?? 0) + 1;
			const box = copies[0]?.box;
			if (['sent', 'failed', 'incomplete'].includes(status) && status !== box)
				report.waitedWrongOutcome++;
			// `unknown`: the submit's answer was lost; it must not have been resent (copies ≤ 1, counted above).
		}
		const storedMulti = outboundBySubject(sandbox, 'soakmulti');
		for (let n = 0; n < multiItems; n++) {
			const copies = storedMulti.get(n) ?? [];
			if (copies.length > 1) report.multiDoubled++;
			const fate = multiItemFate(
				copies.map((c) => c.id),
				multiOutput.get(n),
				multiErrors.get(n),
			);
			if (fate === 'lost') report.multiLost++;
			else if (fate === 'wrongClaim') report.multiWrongClaims++;
			else if (fate === 'uncertain') report.multiUncertain++;
			else if (fate === 'notSubmitted') report.multiNotSubmitted++;
		}
		const all = [...stored.values(), ...storedWaited.values(), ...storedMulti.values()].flat();
		report.sentEvents = tally(
			all.filter((m) => m.box === 'sent').map((m) => m.id),
			sentTrigger.emitted,
		);
		report.failedEvents = tally(
			all.filter((m) => m.box === 'failed').map((m) => m.id),
			failedTrigger.emitted,
		);
		report.inboundReadFlag = tally(expected.keys(), readFlag.emitted);
		report.inboundTracked = tally(expected.keys(), tracked.emitted);
		report.attachmentsIdentical = attachmentsIdentical;

		// ---- renewals and secrets ----
		report.tokenExpiries = sandbox.stats.requests.filter((r) => r.fault === 'expireToken').length;
		report.refreshes = sandbox.stats.refreshes;
		report.passwordLogins = sandbox.stats.logins.password;
		const session = credentials.get(CREDENTIAL_ID);
		const secrets = [String(session.sessionToken), String(session.refreshToken), SEED.password];
		report.secretsInErrors = errorTexts.filter(
			(t) =>
				secrets.some((s) => s && t.includes(s)) ||
				/eyJ[\w-]{10,}\.[\w-]{10,}\./.test(t) ||
				/X-Amz-Signature=[0-9a-f]{8}/.test(t),
		).length;
		report.faultsFired = sandbox.faults.list().reduce((sum, rule) => sum + rule.fired, 0);
		report.seconds = Math.round((Date.now() - started) / 1000);
		return report;
	} finally {
		await running.close();
	}
}

/** The verdict: nothing lost, nothing doubled, outcomes true, files identical, no secrets. */
export function soakProblems(report: SoakReport): string[] {
	const problems: string[] = [];
	if (report.doubled || report.waitedDoubled || report.multiDoubled)
		problems.push('a message was submitted twice');
	if (report.silentlyDropped || report.multiLost) problems.push('a send was lost without an error');
	if (report.multiWrongClaims) problems.push('an item was reported sent that is not stored');
	if (report.waitedWrongOutcome) problems.push('Wait for Delivery reported a wrong outcome');
	for (const [name, t] of Object.entries({
		sentEvents: report.sentEvents,
		failedEvents: report.failedEvents,
		inboundReadFlag: report.inboundReadFlag,
		inboundTracked: report.inboundTracked,
	})) {
		if (t.missing || t.duplicates || t.emittedOnce !== t.expected)
			problems.push(`${name}: ${t.missing} missing, ${t.duplicates} doubled of ${t.expected}`);
	}
	if (report.attachmentsIdentical !== report.inbound) problems.push('an attachment differed');
	if (report.secretsInErrors) problems.push('a secret reached an error text');
	problems.push(...reconcileProblems(report.reconcile));
	return problems;
}
