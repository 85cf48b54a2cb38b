// `npm run simulate -- --runs 20000 [--seed S]`: the simulation checker (test/simulation/) alone, with
// more runs or one seed than `npm test` uses (the tests read SIM_RUNS and SIM_SEED).
const { spawnSync } = require('node:child_process');
const { join } = require('node:path');

const env = { ...process.env };
const jestArgs = [];
const args = process.argv.slice(2);
for (let i = 0; i < args.length; i++) {
	const value = args[i + 1];
	if (args[i] === '--runs' || args[i] === '--seed') {
		if (value === undefined || !/^-?\d+$/.test(value)) {
			process.stderr.write(
				`${args[i]} needs a whole number, e.g. npm run simulate -- --runs 20000 --seed 42\n`,
			);
			process.exit(2);
		}
		env[args[i] === '--runs' ? 'SIM_RUNS' : 'SIM_SEED'] = value;
		i++;
	} else jestArgs.push(args[i]);
}
process.stdout.write(
	`simulation: ${env.SIM_RUNS ?? 'default'} runs, seed ${env.SIM_SEED ?? 'default'}\n`,
);
// A long run may take longer than the default per-test limit.
const run = spawnSync(
	process.execPath,
	[join(__dirname, 'run-tests.js'), '--testTimeout=86400000', ...jestArgs, 'test/simulation/'],
	{ stdio: 'inherit', env },
);
process.exit(run.status ?? 1);
