/**
 * `npm run test:e2e`: the real-n8n suites (e2e/tests: n8n 2.8.4, the latest n8n, queue mode, the browser),
 * one at a time: each starts n8n processes that use both cores. Also the AS2 interop over HTTP with
 * `openssl cms` on every sign × encrypt × MDN-mode combination (`npm test` runs a pairwise subset).
 * @type {import('jest').Config}
 */
process.env.AS2_INTEROP_FULL = '1';

module.exports = {
	...require('./jest.config.js'),
	roots: ['<rootDir>/e2e/tests', '<rootDir>/test/as2interop'],
	testMatch: ['<rootDir>/e2e/tests/**/*.test.ts', '<rootDir>/test/as2interop/http.test.ts'],
	modulePathIgnorePatterns: ['<rootDir>/e2e/runtime/', '<rootDir>/e2e/runtime-latest/'],
	maxWorkers: 1,
};
