/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling that installs n8n, not part of the published package */
import { spawn } from 'node:child_process';
import {
	closeSync,
	copyFileSync,
	existsSync,
	mkdirSync,
	openSync,
	readFileSync,
	writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';

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

/**
 * Where the install's npm output goes (npm's deprecation warnings about n8n's dependencies are hundreds of
 * lines): outside the runtime folder, which `npm ci` empties.
 */
export const installLog = (target: N8nTarget) =>
	join(repoRoot(), 'node_modules', '.cache', 'n8n-nodes-mft-gateway-install', `${target.name}.log`);

/** Packages the lockfile pins (links and the root aside): what `npm ci` installs. */
function lockedTarballs(target: N8nTarget): number {
	const lock = JSON.parse(readFileSync(join(target.runtimeDir, 'package-lock.json'), 'utf8')) as {
		packages: Record<string, { link?: boolean }>;
	};
	return Object.entries(lock.packages).filter(([path, p]) => path !== '' && !p.link).length;
}

/**
 * How far `npm ci` is, from its `--loglevel=http` lines: the lockfile keeps no tarball URLs, so npm first
 * looks each package up in the registry (or its cache), then downloads its tarball.
 */
function npmProgress(log: string, total: number): string {
	const lines = existsSync(log)
		? (readFileSync(log, 'utf8').match(/http fetch GET \d+ \S+/g) ?? [])
		: [];
	const downloaded = lines.filter((line) => line.endsWith('.tgz')).length;
	return `${lines.length - downloaded} of ${total} packages looked up, ${downloaded} downloaded, `;
}

const seconds = (since: number) => Math.round((Date.now() - since) / 1000);

/** One phase of the install: a command whose output goes to the log, with a progress line every 30 s. */
async function phase(
	target: N8nTarget,
	step: string,
	args: string[],
	say: (line: string) => void,
	progress: () => string = () => '',
): Promise<void> {
	const log = installLog(target);
	const started = Date.now();
	const prefix = `[n8n ${target.n8nVersion}] ${step}`;
	say(`${prefix}: npm ${args.join(' ')} ...`);
	const out = openSync(log, 'a');
	const ticker = setInterval(() => say(`${prefix}: ${progress()}${seconds(started)} s`), 30_000);
	try {
		const status = await new Promise<number | null>((resolve, reject) =>
			spawn('npm', args, { cwd: target.runtimeDir, stdio: ['ignore', out, out] })
				.once('error', reject)
				.once('exit', resolve),
		);
		if (status !== 0)
			throw new Error(
				`${prefix}: npm ${args.join(' ')} failed with exit code ${status} after ${seconds(started)} s; npm's output is in ${log}`,
			);
	} finally {
		clearInterval(ticker);
		closeSync(out);
	}
	say(`${prefix}: done, ${seconds(started)} s`);
}

/**
 * sqlite3 is an N-API module: one build serves every Node.js version. When the other runtime has built
 * the same sqlite3 already, its binary is copied (saves a 2-minute compile); otherwise it is compiled.
 */
async function provideSqlite(
	target: N8nTarget,
	step: string,
	say: (line: string) => void,
): Promise<void> {
	const sqliteVersion = (t: N8nTarget) =>
		version(join(t.runtimeDir, 'node_modules', 'sqlite3', 'package.json'));
	const donor = target === STABLE ? undefined : STABLE;
	if (donor && sqliteVersion(donor) === sqliteVersion(target) && existsSync(sqliteBinary(donor))) {
		mkdirSync(join(sqliteBinary(target), '..'), { recursive: true });
		copyFileSync(sqliteBinary(donor), sqliteBinary(target));
		say(
			`[n8n ${target.n8nVersion}] ${step}: sqlite3 ${sqliteVersion(target)} copied from the N-API build in ${relative(repoRoot(), donor.runtimeDir)}`,
		);
		return;
	}
	await phase(
		target,
		`${step} sqlite3 build (about 2 min)`,
		['rebuild', 'sqlite3', '--ignore-scripts=false'],
		say,
	);
}

/**
 * Installs a pinned n8n (and for the latest, Node.js 24) from its lockfile, once, saying what it does:
 * a line per phase and every 30 s, npm's own output in install.log (shown by path when a phase fails).
 * Scripts stay off (telemetry, optional native modules such as Kafka's, which fail offline); only
 * sqlite3, which n8n needs, is provided.
 */
export async function ensureN8n(
	say: (line: string) => void,
	target: N8nTarget = STABLE,
): Promise<{ installedNow: boolean; seconds: number }> {
	if (installed(target)) return { installedNow: false, seconds: 0 };
	const started = Date.now();
	say(
		`[n8n ${target.n8nVersion}] first run: installing into ${relative(repoRoot(), target.runtimeDir)} (3 to 7 minutes, 2 to 3 GB); npm's output goes to ${relative(repoRoot(), installLog(target))}`,
	);
	mkdirSync(dirname(installLog(target)), { recursive: true });
	writeFileSync(installLog(target), '');
	if (!packagesInstalled(target)) {
		const total = lockedTarballs(target);
		await phase(
			target,
			`1/2 npm ci (${total} packages)`,
			['ci', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'],
			say,
			() => npmProgress(installLog(target), total),
		);
	}
	await provideSqlite(target, '2/2', say);
	if (!installed(target))
		throw new Error(
			`n8n ${target.n8nVersion} was installed but is not usable: see ${installLog(target)}`,
		);
	say(`[n8n ${target.n8nVersion}] installed in ${seconds(started)} s`);
	return { installedNow: true, seconds: seconds(started) };
}
