import fc from 'fast-check';

import { useFilesystemBinaryData } from '../../harness/n8n';
import type { VirtualClock } from './clock';
import { type Fate, Gateway } from './gateway';
import { N8nWorkflow, type PollerSettings } from './n8n';

/**
 * The world of one simulation run around the two triggers: the gateway (sandbox in-process, notifications
 * queued for the model), n8n's clock, and the workflows on one credential, each with a Webhook Trigger
 * and a Trigger that reconciles it.
 */
export class TriggerWorld {
	private constructor(
		readonly gateway: Gateway,
		readonly workflows: N8nWorkflow[],
		readonly clock: VirtualClock,
	) {}

	static async start(clock: VirtualClock, setup: WorldSetup, run: number): Promise<TriggerWorld> {
		await useFilesystemBinaryData();
		const gateway = await Gateway.start(setup.pollers.length, setup.skewMs);
		const workflows = setup.pollers.map(
			(p, index) => new N8nWorkflow(`wf-sim-${run}-${index}`, gateway.env.credentials, [p]),
		);
		const world = new TriggerWorld(gateway, workflows, clock);
		for (const w of workflows) await w.poll(0); // activation
		return world;
	}

	/** Every violation of "each event once per workflow; nothing read that was not emitted". */
	violations(): string[] {
		const found: string[] = [];
		this.workflows.forEach((w, index) => {
			for (const key of w.doubled()) found.push(`workflow ${index}: ${key} emitted twice`);
			if (w.pollers[0].trackBy === 'readFlag')
				for (const key of this.gateway.readIds())
					if (!w.delivered.has(key))
						found.push(`workflow ${index}: ${key} marked read, never emitted`);
		});
		return found;
	}

	/** Events that exist (not deleted) and never reached a workflow. */
	missing(): string[] {
		const found: string[] = [];
		this.workflows.forEach((w, index) => {
			for (const key of this.gateway.events)
				if (!this.gateway.deleted.has(key) && !w.delivered.has(key))
					found.push(`workflow ${index}: ${key} never emitted`);
		});
		return found;
	}

	/** Every notification still owed is lost; time passes beyond every grace and skew; the pollers catch up. */
	async settle(): Promise<void> {
		this.gateway.pending.length = 0;
		this.clock.advance(15 * 60_000);
		for (const w of this.workflows) {
			// Until two polls in a row emit nothing and change nothing (a failing poll counts as busy).
			for (let quiet = 0, round = 0; quiet < 2 && round < 200; round++) {
				const { emitted, changed, error } = await w.poll(0);
				quiet = emitted || changed || error ? 0 : quiet + 1;
			}
		}
	}

	async close(): Promise<void> {
		await this.gateway.close();
	}
}

export interface WorldSetup {
	skewMs: number;
	pollers: PollerSettings[];
}

type Model = { arrived: number };
type Cmd = fc.AsyncCommand<Model, TriggerWorld>;

const check = (world: TriggerWorld) => {
	const found = world.violations();
	if (found.length) throw new Error(`invariant broken:\n${found.join('\n')}`);
};

export class Arrive implements Cmd {
	constructor(
		readonly count: number,
		readonly lateMs: number,
		readonly fates: Fate[][],
	) {}
	check = () => true;
	async run(m: Model, w: TriggerWorld) {
		m.arrived += this.count;
		await w.gateway.arrive(this.count, this.lateMs, this.fates);
		check(w);
	}
	toString = () =>
		`arrive(${this.count}, late ${this.lateMs / 1000}s, ${JSON.stringify(this.fates)})`;
}

export class Notify implements Cmd {
	constructor(readonly pick: number) {}
	check = () => true;
	async run(_: Model, w: TriggerWorld) {
		const n = w.gateway.take(this.pick);
		if (n) await w.workflows[n.workflow].notification(n.body);
		check(w);
	}
	toString = () => `notify(${this.pick})`;
}

export class Poll implements Cmd {
	constructor(
		readonly workflow: number,
		readonly failEmit: boolean,
		readonly notifyDuring: number | null,
	) {}
	check = () => true;
	async run(_: Model, w: TriggerWorld) {
		const workflow = w.workflows[this.workflow % w.workflows.length];
		const faults = w.gateway.sandbox.faults;
		const slow = this.notifyDuring !== null;
		if (slow) faults.add({ route: 'attachments', action: { kind: 'latency', ms: 40 }, times: 1 });
		if (this.failEmit)
			faults.add({ route: 'attachments', action: { kind: 'status', status: 400 }, times: 1 });
		// A notification posted while the poll waits for its first attachment list (after it chose its events).
		let reached: () => void = () => {};
		const atAttachments = new Promise<void>((resolve) => (reached = resolve));
		const decide = faults.decide.bind(faults);
		faults.decide = (route, method) => {
			if (route === 'attachments') reached();
			return decide(route, method);
		};
		const polled = workflow.poll(0);
		if (slow) {
			await Promise.race([atAttachments, polled]);
			const n = w.gateway.take(this.notifyDuring!);
			if (n) await w.workflows[n.workflow].notification(n.body);
		}
		await polled;
		faults.decide = decide;
		faults.clear();
		check(w);
	}
	toString = () =>
		`poll(${this.workflow}${this.failEmit ? ', emit fails' : ''}${this.notifyDuring !== null ? `, notify(${this.notifyDuring}) meanwhile` : ''})`;
}

export class Advance implements Cmd {
	constructor(readonly ms: number) {}
	check = () => true;
	async run(_: Model, w: TriggerWorld) {
		w.clock.advance(this.ms);
	}
	toString = () => `advance(${this.ms / 1000}s)`;
}

export class Restart implements Cmd {
	check = () => true;
	async run(_: Model, w: TriggerWorld) {
		for (const workflow of w.workflows) workflow.restart();
	}
	toString = () => 'restart()';
}

export class Delete implements Cmd {
	constructor(readonly pick: number) {}
	check = () => true;
	async run(_: Model, w: TriggerWorld) {
		w.gateway.delete(this.pick);
		check(w);
	}
	toString = () => `delete(${this.pick})`;
}

const fate = fc.constantFrom<Fate>('once', 'lost', 'twice');

/** The commands of the trigger model; `workflows`: how many workflows share the credential. */
export function triggerCommands(workflows: number, maxCommands: number) {
	return fc.commands(
		[
			fc
				.record({
					count: fc.integer({ min: 1, max: 4 }),
					lateMs: fc.constantFrom(0, 0, 30_000, 180_000),
				})
				.chain(({ count, lateMs }) =>
					fc
						.array(fc.array(fate, { minLength: count, maxLength: count }), {
							minLength: workflows,
							maxLength: workflows,
						})
						.map((fates) => new Arrive(count, lateMs, fates)),
				),
			fc.nat(20).map((pick) => new Notify(pick)),
			fc.nat(20).map((pick) => new Notify(pick)),
			fc
				.tuple(fc.nat(workflows - 1), fc.boolean(), fc.option(fc.nat(20), { freq: 3 }))
				.map(([wf, fail, during]) => new Poll(wf, fail, during)),
			fc.nat(workflows - 1).map((wf) => new Poll(wf, false, null)),
			fc.constantFrom(10_000, 61_000, 6 * 60_000, 31 * 60_000).map((ms) => new Advance(ms)),
			fc.constantFrom(6 * 60_000, 31 * 60_000).map((ms) => new Advance(ms)),
			fc.constant(new Restart()),
			fc.constant(new Restart()),
			fc.nat(50).map((pick) => new Delete(pick)),
		],
		{ maxCommands, size: 'large' },
	);
}

/** A run's setup: gateway clock skew (±10 min) and the reconciling pollers (tracking, batch size). */
export function worldSetups(workflows: number) {
	return fc
		.record({
			skewMs: fc.constantFrom(0, 0, 6 * 60_000, -6 * 60_000, 10 * 60_000, -10 * 60_000),
			pollers: fc.array(
				fc.record({
					trackBy: fc.constantFrom<'readFlag' | 'n8n'>('readFlag', 'n8n'),
					maxPerPoll: fc.integer({ min: 1, max: 3 }),
				}),
				{ minLength: workflows, maxLength: workflows },
			),
		})
		.map(
			({ skewMs, pollers }): WorldSetup => ({
				skewMs,
				pollers: pollers.map(
					(p, index): PollerSettings => ({
						name: 'Reconcile received',
						event: 'messageReceived',
						kind: 'received',
						// One read-flag workflow per inbox: what another reads first is not emitted (documented).
						trackBy: index === 0 ? p.trackBy : 'n8n',
						options: {
							reconcileWebhook: true,
							reconcileAfterSeconds: 60,
							maxPerPoll: p.maxPerPoll,
							downloadAttachments: true,
						},
					}),
				),
			}),
		);
}
