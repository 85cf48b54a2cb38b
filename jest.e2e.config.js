/**
 * `npm run test:e2e`: the real-n8n suites (e2e/tests: n8n 2.8.4, the latest n8n, queue mode, the browser),
 * one at a time: each starts n8n processes that use both cores.
 * @type {import('jest').Config}
 */
module.exports = {
	...require('./jest.config.js'),
	roots: ['<rootDir>/e2e/tests'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime/', '<rootDir>/e2e/runtime-latest/'],
	maxWorkers: 1,
};
