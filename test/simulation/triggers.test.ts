import fc from 'fast-check';

import { VirtualClock } from './model/clock';
import { runSettings } from './model/settings';
import { triggerCommands, TriggerWorld, worldSetups } from './model/triggerSim';

/**
 * The simulation checker for the two triggers (README "Simulation checker"): seeded sequences of
 * gateway moves (arrivals, late visibility, deletions, notifications lost / doubled / reordered / during
 * a poll, failing polls, clock skew) and n8n moves (polls, time passing, restarts), run through the real
 * node code; after every step no event reached a workflow twice and nothing is marked read that was not
 * emitted; at the end, once time has passed, every event that still exists reached each workflow once.
 */
const clock = new VirtualClock();
beforeAll(() => clock.install());
afterAll(() => clock.uninstall());

let runs = 0;
const settings = runSettings(200);

test(
	'each event reaches each workflow exactly once; nothing is marked read that was not emitted',
	async () => {
		await fc.assert(
			fc.asyncProperty(worldSetups(2), triggerCommands(2, 40), async (setup, commands) => {
				const world = await TriggerWorld.start(clock, setup, ++runs);
				try {
					await fc.asyncModelRun(() => ({ model: { arrived: 0 }, real: world }), commands);
					await world.settle();
					const problems = [...world.violations(), ...world.missing()];
					if (problems.length)
						throw new Error(
							`${problems.join('\n')}\nsetup ${JSON.stringify(setup)}\nlog:\n${world.workflows.map((w, i) => `workflow ${i}: ${w.log.join('; ')}`).join('\n')}`,
						);
				} finally {
					await world.close();
				}
			}),
			settings,
		);
	},
	// About 0.2 s a sequence on 2 cores; the rest is room for shrinking a failure.
	120_000 + settings.numRuns! * 1000,
);
