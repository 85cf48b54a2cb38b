/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling that installs n8n, not part of the published package */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { N8N_BIN, RUNTIME_DIR } from './paths';

export const N8N_VERSION = '2.8.4';

function installed(): boolean {
	const manifest = join(RUNTIME_DIR(), 'node_modules', 'n8n', 'package.json');
	const sqlite = join(
		RUNTIME_DIR(),
		'node_modules',
		'sqlite3',
		'build',
		'Release',
		'node_sqlite3.node',
	);
	return (
		existsSync(manifest) &&
		(JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === N8N_VERSION &&
		existsSync(sqlite) &&
		existsSync(N8N_BIN())
	);
}

function run(command: string, args: string[], say: (line: string) => void): void {
	say(`$ ${command} ${args.join(' ')}   (in e2e/runtime)`);
	const result = spawnSync(command, args, {
		cwd: RUNTIME_DIR(),
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

/**
 * Installs the pinned n8n into e2e/runtime from its lockfile, once. Scripts stay off (telemetry, optional
 * native modules); only sqlite3, which n8n needs, is built (from source where no prebuilt can be fetched).
 */
export function ensureN8n(say: (line: string) => void): { installedNow: boolean; seconds: number } {
	if (installed()) return { installedNow: false, seconds: 0 };
	const started = Date.now();
	say(
		`Installing n8n ${N8N_VERSION} into e2e/runtime (first run only: 3 to 6 minutes; npm shows its progress) ...`,
	);
	// In a terminal npm lists each download as progress; in CI logs that would be 2,000 lines.
	run(
		'npm',
		['ci', '--no-audit', '--no-fund', ...(process.stdout.isTTY ? ['--loglevel=http'] : [])],
		say,
	);
	say('Building sqlite3 for this Node.js (about 2 minutes) ...');
	run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], say);
	if (!installed())
		throw new Error('n8n was installed but is not usable: see the npm output above');
	return { installedNow: true, seconds: Math.round((Date.now() - started) / 1000) };
}
