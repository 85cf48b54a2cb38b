/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling that installs n8n, not part of the published package */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

import { repoRoot } from './paths';
import { n8nBin, type N8nTarget, STABLE } from './targets';

const version = (manifest: string): string | undefined =>
	existsSync(manifest)
		? (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version
		: undefined;

const sqliteBinary = (target: N8nTarget) =>
	join(target.runtimeDir, 'node_modules', 'sqlite3', 'build', 'Release', 'node_sqlite3.node');

function packagesInstalled(target: N8nTarget): boolean {
	return (
		version(join(target.runtimeDir, 'node_modules', 'n8n', 'package.json')) === target.n8nVersion &&
		existsSync(n8nBin(target)) &&
		existsSync(target.nodeBin)
	);
}

const installed = (target: N8nTarget) =>
	packagesInstalled(target) && existsSync(sqliteBinary(target));

function run(
	target: N8nTarget,
	command: string,
	args: string[],
	say: (line: string) => void,
): void {
	say(`$ ${command} ${args.join(' ')}   (in ${relative(repoRoot(), target.runtimeDir)})`);
	const result = spawnSync(command, args, {
		cwd: target.runtimeDir,
		stdio: ['ignore', 'inherit', 'inherit'],
	});
	if (result.status !== 0)
		throw new Error(`${command} ${args.join(' ')} failed with exit code ${result.status}`);
}

/**
 * sqlite3 is an N-API module: one build serves every Node.js version. When the other runtime has built
 * the same sqlite3 already, its binary is copied (saves a 2-minute compile); otherwise it is compiled.
 */
function provideSqlite(target: N8nTarget, say: (line: string) => void): void {
	const sqliteVersion = (t: N8nTarget) =>
		version(join(t.runtimeDir, 'node_modules', 'sqlite3', 'package.json'));
	const donor = target === STABLE ? undefined : STABLE;
	if (donor && sqliteVersion(donor) === sqliteVersion(target) && existsSync(sqliteBinary(donor))) {
		mkdirSync(join(sqliteBinary(target), '..'), { recursive: true });
		copyFileSync(sqliteBinary(donor), sqliteBinary(target));
		say(`sqlite3 ${sqliteVersion(target)}: reused the N-API build of ${donor.runtimeDir}`);
		return;
	}
	say('Building sqlite3 (about 2 minutes) ...');
	run(target, 'npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], say);
}

/**
 * Installs a pinned n8n (and for the latest, Node.js 24) from its lockfile, once. Scripts stay off
 * (telemetry, optional native modules such as Kafka's, which fail offline); only sqlite3, which n8n
 * needs, is provided.
 */
export function ensureN8n(
	say: (line: string) => void,
	target: N8nTarget = STABLE,
): { installedNow: boolean; seconds: number } {
	if (installed(target)) return { installedNow: false, seconds: 0 };
	const started = Date.now();
	say(
		`Installing n8n ${target.n8nVersion} into ${relative(repoRoot(), target.runtimeDir)} (first run only: 3 to 7 minutes; npm shows its progress) ...`,
	);
	// In a terminal npm lists each download as progress; in CI logs that would be 2,000 lines.
	if (!packagesInstalled(target))
		run(
			target,
			'npm',
			[
				'ci',
				'--ignore-scripts',
				'--no-audit',
				'--no-fund',
				...(process.stdout.isTTY ? ['--loglevel=http'] : []),
			],
			say,
		);
	provideSqlite(target, say);
	if (!installed(target))
		throw new Error('n8n was installed but is not usable: see the npm output above');
	return { installedNow: true, seconds: Math.round((Date.now() - started) / 1000) };
}
