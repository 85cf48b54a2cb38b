import fc from 'fast-check';

import { lastRun, NodeWorkflow, SEND_PER_ITEM } from '../actions/message/execution';
import { startTestEnv, type TestEnv } from '../harness/sandbox';
import { runSettings } from './model/settings';

/**
 * The simulation checker for Send (issue 18, item 1): seeded sequences of executions of two workflows on
 * one credential (multi-item, with and without Retry On Fail), retries of failed executions, and gateway
 * faults on submit (422, 429, 503, the answer lost after the message was taken), run through n8n-core's
 * real execution code against the sandbox. After every step: no item of an execution is stored twice
 * (each accepted submit happens once), and every message id an output reports is stored, for its item.
 * `SIM_RUNS` (default 40, about 7 s) and `SIM_SEED` replay; fast-check prints the shrunk steps on failure.
 */

type Fault = 'none' | '422' | '429' | '503' | 'answerLost';
interface ItemPlan {
	/** An unknown partner is refused (422) on every try. */
	knownPartner: boolean;
}
interface RunPlan {
	workflow: 0 | 1;
	items: ItemPlan[];
	/** Faults on the next submits, in order (after `skip` submits go through). */
	faults: Fault[];
	skip: number;
}

interface Chain {
	workflow: 0 | 1;
	subjects: string[];
	failed: boolean;
	run: Awaited<ReturnType<NodeWorkflow['run']>>;
}

class SendWorld {
	readonly workflows: NodeWorkflow[];
	readonly chains: Chain[] = [];
	readonly log: string[] = [];
	private executions = 0;

	constructor(
		readonly env: TestEnv,
		readonly tag: string,
	) {
		this.workflows = [
			new NodeWorkflow(
				env.credentials,
				SEND_PER_ITEM,
				{ retryOnFail: true, maxTries: 3, waitBetweenTries: 1 },
				`${tag}-retrying`,
			),
			new NodeWorkflow(env.credentials, SEND_PER_ITEM, {}, `${tag}-plain`),
		];
	}

	private scheduleFaults(plan: Pick<RunPlan, 'faults' | 'skip'>): void {
		const sandbox = this.env.running.sandbox;
		sandbox.faults.clear();
		plan.faults.forEach((fault, index) => {
			if (fault === 'none') return;
			const skip = plan.skip + index;
			if (fault === 'answerLost')
				sandbox.faults.add({
					route: 'submit',
					action: { kind: 'drop' },
					when: 'after',
					skip,
					times: 1,
				});
			else
				sandbox.faults.add({
					route: 'submit',
					action: { kind: 'status', status: Number(fault), retryAfter: 0, body: 'json' },
					skip,
					times: 1,
				});
		});
	}

	async execute(plans: RunPlan[]): Promise<void> {
		this.scheduleFaults(plans[0]);
		await Promise.all(
			plans.map(async (plan) => {
				const chain = ++this.executions;
				const items = plan.items.map((item, index) => ({
					partner: item.knownPartner ? 'PARTNER_OK' : 'NO_SUCH_PARTNER',
					text: `ISA*${this.tag}*${chain}*${index}~`,
					subject: `${this.tag}-c${chain}-i${index}`,
				}));
				const run = await this.workflows[plan.workflow].run(items);
				const failed = lastRun(run).error !== undefined;
				this.chains.push({
					workflow: plan.workflow,
					subjects: items.map((i) => i.subject),
					failed,
					run,
				});
				this.log.push(
					`run c${chain} wf${plan.workflow} ${JSON.stringify(plan)} → ${failed ? 'failed' : 'ok'}`,
				);
			}),
		);
	}

	async retry(which: number, plan: Pick<RunPlan, 'faults' | 'skip'>): Promise<void> {
		const failed = this.chains.filter((c) => c.failed);
		if (failed.length === 0) return;
		const chain = failed[which % failed.length];
		this.scheduleFaults(plan);
		const run = await this.workflows[chain.workflow].retry(chain.run);
		chain.failed = lastRun(run).error !== undefined;
		if (chain.failed) chain.run = run;
		this.log.push(
			`retry ${chain.subjects[0]} ${JSON.stringify(plan)} → ${chain.failed ? 'failed' : 'ok'}`,
		);
		this.check([{ subjects: chain.subjects, run }]);
	}

	/** Each item stored at most once; every id an output reports is stored, for the item it reports. */
	check(outputs = this.chains.map((c) => ({ subjects: c.subjects, run: c.run }))): void {
		const stored = this.env.running.sandbox.store
			.messagesIn(['queued', 'sent', 'failed', 'incomplete'])
			.filter((m) => m.subject?.startsWith(`${this.tag}-`));
		const bySubject = new Map<string, number>();
		for (const message of stored)
			bySubject.set(message.subject!, (bySubject.get(message.subject!) ?? 0) + 1);
		const doubled = [...bySubject].filter(([, n]) => n > 1);
		if (doubled.length)
			throw new Error(`submitted twice: ${JSON.stringify(doubled)}\n${this.log.join('\n')}`);
		for (const { subjects, run } of outputs) {
			const { items } = lastRun(run);
			items.forEach((item, index) => {
				if (!item.id) return; // not accepted (or its answer was lost): nothing to find
				const message = stored.find((m) => m.identifier === item.id);
				if (message?.subject !== subjects[index])
					throw new Error(
						`item ${subjects[index]} reported as ${String(item.id)}, stored as ${message?.subject}\n${this.log.join('\n')}`,
					);
			});
		}
	}
}

const fault = fc.constantFrom<Fault>('none', 'none', '422', '429', '503', 'answerLost');
const schedule = fc.record({ faults: fc.array(fault, { maxLength: 3 }), skip: fc.nat(3) });
const runPlan = fc.record({
	workflow: fc.constantFrom<0 | 1>(0, 1),
	items: fc.array(fc.record({ knownPartner: fc.constantFrom(true, true, true, true, false) }), {
		minLength: 1,
		maxLength: 3,
	}),
	faults: schedule.map((s) => s.faults),
	skip: fc.nat(3),
});

type Model = Record<string, never>;
class RunCommand implements fc.AsyncCommand<Model, SendWorld> {
	constructor(readonly plans: RunPlan[]) {}
	check = () => true;
	async run(_: Model, world: SendWorld): Promise<void> {
		await world.execute(this.plans);
		world.check();
	}
	toString = () => `run ${JSON.stringify(this.plans)}`;
}
class RetryCommand implements fc.AsyncCommand<Model, SendWorld> {
	constructor(
		readonly which: number,
		readonly plan: Pick<RunPlan, 'faults' | 'skip'>,
	) {}
	check = () => true;
	async run(_: Model, world: SendWorld): Promise<void> {
		await world.retry(this.which, this.plan);
		world.check();
	}
	toString = () => `retry ${this.which} ${JSON.stringify(this.plan)}`;
}

const commands = fc.commands(
	[
		runPlan.map((plan) => new RunCommand([plan])),
		// Two workflows on one credential at the same time.
		fc.tuple(runPlan, runPlan).map(
			([a, b]) =>
				new RunCommand([
					{ ...a, workflow: 0 },
					{ ...b, workflow: 1 },
				]),
		),
		fc.tuple(fc.nat(5), schedule).map(([which, plan]) => new RetryCommand(which, plan)),
	],
	{ maxCommands: 6 },
);

let env: TestEnv;
beforeAll(async () => {
	env = await startTestEnv({ config: { deliveryDelayMs: 20, retryDelayMs: 20 } });
});
afterAll(async () => await env.close());

let runs = 0;
test('each accepted submit happens once, across Retry On Fail, retries of executions and faults', async () => {
	await fc.assert(
		fc.asyncProperty(commands, async (steps) => {
			const world = new SendWorld(env, `sim${++runs}`);
			await fc.asyncModelRun(() => ({ model: {}, real: world }), steps);
			world.check();
		}),
		runSettings(40),
	);
}, 600_000);
