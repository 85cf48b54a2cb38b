import { SandboxClient } from '../harness/client';
import { VirtualClock } from '../simulation/model/clock';
import { Poll, TriggerWorld, type WorldSetup } from '../simulation/model/triggerSim';

/**
 * Issue 18, items 2-4: the shrunk sequences of the simulation checker (test/simulation/), replayed
 * step by step through the real nodes: a Webhook Trigger and a Trigger reconciling it, in n8n's rules.
 */
const clock = new VirtualClock();
beforeAll(() => clock.install());
afterAll(() => clock.uninstall());

let run = 0;
const setup = (
	trackBy: 'readFlag' | 'n8n',
	maxPerPoll = 100,
	skewMs = 0,
	downloadAttachments = false,
): WorldSetup => ({
	skewMs,
	pollers: [
		{
			name: 'Reconcile received',
			event: 'messageReceived',
			kind: 'received',
			trackBy,
			options: {
				reconcileWebhook: true,
				reconcileAfterSeconds: 60,
				maxPerPoll,
				downloadAttachments,
			},
		},
	],
});

async function withWorld(s: WorldSetup, body: (w: TriggerWorld) => Promise<void>): Promise<void> {
	const world = await TriggerWorld.start(clock, s, 1000 + ++run);
	try {
		await body(world);
	} finally {
		await world.close();
	}
}

const notifyAll = async (w: TriggerWorld) => {
	for (let n = w.gateway.take(0); n; n = w.gateway.take(0))
		await w.workflows[n.workflow].notification(n.body);
};

test.each(['n8n', 'readFlag'] as const)(
	'item 2 (%s): what the webhook delivered is not emitted again after a restart 31 minutes later',
	async (trackBy) => {
		await withWorld(setup(trackBy), async (w) => {
			const wf = w.workflows[0];
			await w.gateway.arrive(11, 0, [[]]);
			await notifyAll(w);
			clock.advance(61_000);
			await wf.poll(0); // all taken by the webhook: emits nothing, saves nothing
			clock.advance(31 * 60_000);
			await w.gateway.arrive(1, 0, [[]]);
			await notifyAll(w); // this webhook call saves the copy of the ledger
			wf.restart();
			await w.settle();
			expect([...w.violations(), ...w.missing()]).toEqual([]);
			expect(wf.delivered.size).toBe(12);
		});
	},
);

test('item 2: 1,100 events in 10 minutes through the webhook, then a restart: none doubled', async () => {
	await withWorld(setup('n8n'), async (w) => {
		const wf = w.workflows[0];
		await wf.poll(0);
		for (let minute = 0; minute < 10; minute++) {
			await w.gateway.arrive(110, 0, [[]]);
			await notifyAll(w);
			clock.advance(60_000);
		}
		wf.restart();
		await w.settle();
		expect([...w.violations(), ...w.missing()]).toEqual([]);
		expect(wf.delivered.size).toBe(1100);
	});
}, 120_000);

test.each(['n8n', 'readFlag'] as const)(
	'item 3 (%s): a reconciling poll that fails after choosing an event, while a notification is saved, loses nothing',
	async (trackBy) => {
		await withWorld(setup(trackBy, 100, 0, true), async (w) => {
			const wf = w.workflows[0];
			await w.gateway.arrive(1, 0, [['lost']]);
			clock.advance(61_000);
			await w.gateway.arrive(1, 0, [['once']]);
			// The poll chooses the first event and fails on its files; the second's notification is saved meanwhile.
			await new Poll(0, true, 0).run({ arrived: 0 }, w);
			expect(wf.log.some((line) => line.includes('failed'))).toBe(true);
			// The next notification loads the row, which holds what that webhook call saved.
			await w.gateway.arrive(1, 0, [['once']]);
			await notifyAll(w);
			await w.settle();
			expect([...w.violations(), ...w.missing()]).toEqual([]);
		});
	},
);

test('item 4: a backlog larger than Max per Poll is emitted in full while the webhook delivers newer events', async () => {
	await withWorld(setup('n8n', 100), async (w) => {
		const wf = w.workflows[0];
		await w.gateway.arrive(250, 0, [Array(250).fill('lost')]); // an outage: no notification
		clock.advance(6 * 60_000);
		await w.gateway.arrive(20, 0, [[]]);
		await notifyAll(w);
		await w.settle();
		expect([...w.violations(), ...w.missing()]).toEqual([]);
		expect(wf.delivered.size).toBe(270);
	});
}, 60_000);

test.each([6, -6, 10, -10])(
	'item 4: gateway clock %i minutes off n8n, Max per Poll 1: every event once',
	async (minutes) => {
		await withWorld(setup('n8n', 1, minutes * 60_000), async (w) => {
			const wf = w.workflows[0];
			await w.gateway.arrive(3, 0, [['lost', 'lost', 'lost']]);
			for (let step = 0; step < 8; step++) {
				clock.advance(60_000);
				await w.gateway.arrive(1, 0, [[]]);
				await notifyAll(w);
				await wf.poll(0);
			}
			await w.settle();
			expect([...w.violations(), ...w.missing()]).toEqual([]);
		});
	},
);

test('item 2: a Sent reconciler does not emit again what the webhook delivered, after a restart 31 minutes later', async () => {
	const sent: WorldSetup = {
		skewMs: 0,
		pollers: [
			{
				name: 'Reconcile sent',
				event: 'messageSent',
				kind: 'sent',
				options: { reconcileWebhook: true, reconcileAfterSeconds: 60 },
			},
		],
	};
	await withWorld(sent, async (w) => {
		const wf = w.workflows[0];
		const client = new SandboxClient(w.gateway.env.running.url);
		await client.login('apiToken');
		for (let i = 0; i < 9; i++) await client.submit('PARTNER_OK');
		await client.settle();
		await notifyAll(w);
		clock.advance(61_000);
		await wf.poll(0); // all taken by the webhook: emits nothing, saves nothing
		clock.advance(31 * 60_000);
		await client.submit('PARTNER_OK');
		await client.settle();
		await notifyAll(w);
		wf.restart();
		await w.settle();
		expect([...w.violations(), ...w.missing()]).toEqual([]);
		expect(wf.delivered.size).toBe(10);
	});
});
