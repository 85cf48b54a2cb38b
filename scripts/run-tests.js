// Runs Jest (arguments passed through, e.g. --config jest.e2e.config.js), then prints one plain closing
// line ("tests: N passed, N failed, N skipped") that any CI can read after Jest's own output, and exits
// with Jest's exit code.
const { spawnSync } = require('node:child_process');
const { existsSync, mkdirSync, readFileSync, rmSync } = require('node:fs');
const { join } = require('node:path');

const resultsFile = join('build', `jest-results-${process.pid}.json`);
mkdirSync('build', { recursive: true });
const jest = spawnSync(
	process.execPath,
	[
		require.resolve('jest/bin/jest'),
		'--json',
		`--outputFile=${resultsFile}`,
		...process.argv.slice(2),
	],
	{ stdio: 'inherit' },
);
if (existsSync(resultsFile)) {
	const r = JSON.parse(readFileSync(resultsFile, 'utf8'));
	rmSync(resultsFile);
	process.stdout.write(
		`\ntests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${r.numPendingTests} skipped\n`,
	);
}
process.exit(jest.status ?? 1);
