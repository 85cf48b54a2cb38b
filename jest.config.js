/**
 * `npm test`: the unit and n8n-core integration suites (test/), two workers: most files wait on sandbox
 * timers and sockets more than they compute. The real-n8n suites are jest.e2e.config.js (`npm run test:e2e`).
 * @type {import('jest').Config}
 */
module.exports = {
	testEnvironment: 'node',
	roots: ['<rootDir>/test'],
	testMatch: ['**/*.test.ts'],
	transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }] },
	maxWorkers: 2,
	testTimeout: 60_000,
	// n8n-core keeps a few handles (cron, agents) open after a run.
	forceExit: true,
};
