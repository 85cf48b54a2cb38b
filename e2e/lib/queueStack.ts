/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling that runs n8n itself, not part of the published package */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import {
	chmodSync,
	chownSync,
	createWriteStream,
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { N8nInstance } from './instance';
import { n8nBin, STABLE } from './targets';

/**
 * n8n in queue mode on one machine, as ../shared/reference/n8n-queue-mode.md tested it: Redis and
 * PostgreSQL (Debian's packages) started here as plain processes in a temporary folder on loopback ports,
 * one main process (webhooks, triggers, the editor) and two workers that run the executions. Every n8n
 * process has its own user folder with the package installed, and the same encryption key.
 */

/** Debian's PostgreSQL binaries (the newest installed major version). */
const PG_BIN = (() => {
	const root = '/usr/lib/postgresql';
	const majors = existsSync(root)
		? readdirSync(root)
				.filter((v) => /^\d+$/.test(v))
				.sort((a, b) => Number(b) - Number(a))
		: [];
	return join(root, majors[0] ?? '15', 'bin');
})();
export const SHARED_N8N_CIPHER = 'queue-mode-test-only-not-a-secret-0123456789';

export interface QueuePorts {
	redis: number;
	postgres: number;
	main: number;
	workerBase: number;
}

function waitUntil(what: string, check: () => boolean, seconds: number): Promise<void> {
	return (async () => {
		const deadline = Date.now() + seconds * 1000;
		while (!check()) {
			if (Date.now() > deadline)
				throw new Error(`timed out after ${seconds} s waiting for ${what}`);
			await sleep(250);
		}
	})();
}

/** A child process whose output goes to a log file (appended). */
function spawnLogged(
	command: string,
	args: string[],
	logFile: string,
	options: { env?: NodeJS.ProcessEnv; cwd?: string; detached?: boolean } = {},
): ChildProcess {
	const log = createWriteStream(logFile, { flags: 'a' });
	const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
	child.stdout!.pipe(log);
	child.stderr!.pipe(log);
	return child;
}

export class QueueStack {
	readonly main: N8nInstance;
	readonly workers: Array<{ home: string; process?: ChildProcess; log: string; broker: number }>;
	private redis?: ChildProcess;

	constructor(
		readonly dir: string,
		readonly ports: QueuePorts,
		extraEnv: Record<string, string> = {},
	) {
		const env = { ...this.sharedEnv(), ...extraEnv };
		this.main = new N8nInstance(join(dir, 'main'), ports.main, env, STABLE);
		this.workers = [1, 2].map((n) => ({
			home: join(dir, `worker${n}`),
			log: join(dir, `worker${n}`, 'n8n.log'),
			broker: ports.workerBase + n,
		}));
	}

	/** What every n8n process of the stack shares: queue mode, Redis, Postgres, one encryption key. */
	private sharedEnv(): Record<string, string> {
		return {
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: '127.0.0.1',
			QUEUE_BULL_REDIS_PORT: String(this.ports.redis),
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: '127.0.0.1',
			DB_POSTGRESDB_PORT: String(this.ports.postgres),
			DB_POSTGRESDB_DATABASE: 'n8n',
			DB_POSTGRESDB_USER: 'n8n',
			DB_POSTGRESDB_PASSWORD: 'n8n-queue-test',
			N8N_ENCRYPTION_KEY: SHARED_N8N_CIPHER,
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		};
	}

	/** The Debian packages the stack runs, and whether each is installed. */
	static debianPackages(): Record<string, boolean> {
		return {
			'redis-server': existsSync('/usr/bin/redis-server'),
			postgresql: existsSync(join(PG_BIN, 'initdb')),
		};
	}

	async startDatabases(): Promise<void> {
		mkdirSync(join(this.dir, 'redis'), { recursive: true });
		this.redis = spawnLogged(
			'redis-server',
			[
				'--port',
				String(this.ports.redis),
				'--bind',
				'127.0.0.1',
				'--dir',
				join(this.dir, 'redis'),
				'--save',
				'',
				'--appendonly',
				'no',
				'--daemonize',
				'no',
			],
			join(this.dir, 'redis.log'),
		);
		await waitUntil(
			'Redis',
			() =>
				spawnSync('redis-cli', ['-p', String(this.ports.redis), 'ping'], {
					encoding: 'utf8',
				}).stdout?.includes('PONG') ?? false,
			20,
		);
		// initdb and postgres refuse to run as root: Debian's postgres user runs them (and must reach the folder).
		chmodSync(this.dir, 0o755);
		const pg = join(this.dir, 'pg');
		const socket = join(this.dir, 'pgsock');
		const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
		const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
		for (const d of [pg, socket]) {
			mkdirSync(d, { recursive: true, mode: 0o700 });
			chownSync(d, uid, gid);
		}
		const asPostgres = (args: string[]) =>
			spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8' });
		const init = asPostgres([
			join(PG_BIN, 'initdb'),
			'-D',
			join(pg, 'data'),
			'-U',
			'postgres',
			'--auth=trust',
			'-E',
			'UTF8',
			'--locale=C.UTF-8',
		]);
		if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr}`);
		// Stopped through its pid file (the child here is runuser).
		spawnLogged(
			'runuser',
			[
				'-u',
				'postgres',
				'--',
				join(PG_BIN, 'postgres'),
				'-D',
				join(pg, 'data'),
				'-p',
				String(this.ports.postgres),
				'-k',
				socket,
				'-h',
				'127.0.0.1',
			],
			join(this.dir, 'postgres.log'),
		);
		await waitUntil(
			'PostgreSQL',
			() =>
				spawnSync(join(PG_BIN, 'pg_isready'), [
					'-h',
					'127.0.0.1',
					'-p',
					String(this.ports.postgres),
					'-q',
				]).status === 0,
			30,
		);
		const sql = spawnSync(
			join(PG_BIN, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(this.ports.postgres),
				'-U',
				'postgres',
				'-v',
				'ON_ERROR_STOP=1',
				'-c',
				"CREATE USER n8n PASSWORD 'n8n-queue-test';",
				'-c',
				'CREATE DATABASE n8n OWNER n8n;',
			],
			{ encoding: 'utf8' },
		);
		if (sql.status !== 0) throw new Error(`creating the n8n database failed: ${sql.stderr}`);
	}

	/** One SQL query on n8n's database; rows as arrays of text. */
	query(sql: string): string[][] {
		const result = spawnSync(
			join(PG_BIN, 'psql'),
			[
				'-h',
				'127.0.0.1',
				'-p',
				String(this.ports.postgres),
				'-U',
				'n8n',
				'-d',
				'n8n',
				'-At',
				'-F',
				'\t',
				'-c',
				sql,
			],
			{ encoding: 'utf8', env: { ...process.env, PGPASSWORD: 'n8n-queue-test' } },
		);
		if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
		return result.stdout
			.split('\n')
			.filter(Boolean)
			.map((line) => line.split('\t'));
	}

	/** Installs the package into every user folder (main, workers), as `npm install` in ~/.n8n/nodes would. */
	installPackage(): void {
		this.main.installPackage();
		for (const worker of this.workers) {
			const instance = new N8nInstance(worker.home, this.ports.main, {}, STABLE);
			instance.installPackage();
		}
	}

	async startWorkers(): Promise<void> {
		await Promise.all(this.workers.map((_, index) => this.startWorker(index)));
	}

	/** Starts worker `index` (0 or 1); waits until its health check answers. */
	async startWorker(index: number): Promise<void> {
		const worker = this.workers[index];
		mkdirSync(worker.home, { recursive: true });
		const health = worker.broker + 10;
		const env = {
			...this.main.env(worker.broker),
			N8N_USER_FOLDER: worker.home,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(health),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
		};
		worker.process = spawnLogged(
			STABLE.nodeBin,
			[n8nBin(STABLE), 'worker', '--concurrency=10'],
			worker.log,
			{ cwd: STABLE.runtimeDir, env, detached: true },
		);
		const deadline = Date.now() + 120_000;
		for (;;) {
			if (worker.process.exitCode !== null)
				throw new Error(`worker ${index + 1} exited; see ${worker.log}`);
			const ok = await fetch(`http://127.0.0.1:${health}/healthz/readiness`)
				.then((r) => r.ok)
				.catch(() => false);
			if (ok) return;
			if (Date.now() > deadline)
				throw new Error(`worker ${index + 1} not ready; see ${worker.log}`);
			await sleep(500);
		}
	}

	/** Kills a worker at once (SIGKILL to its process group), as a crash or an OOM kill would. */
	killWorker(index: number): number {
		const pid = this.workers[index].process!.pid!;
		process.kill(-pid, 'SIGKILL');
		return pid;
	}

	/** Which worker ran each execution, from the workers' logs ("Worker finished execution N"). */
	executionsByWorker(): Array<Set<string>> {
		return this.workers.map((worker) => {
			const text = existsSync(worker.log) ? readFileSync(worker.log, 'utf8') : '';
			return new Set([...text.matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]));
		});
	}

	/** Executions each worker started (a killed worker starts some it never finishes). */
	startedByWorker(): Array<Set<string>> {
		return this.workers.map((worker) => {
			const text = existsSync(worker.log) ? readFileSync(worker.log, 'utf8') : '';
			return new Set([...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]));
		});
	}

	async stop(): Promise<void> {
		await this.main.stop();
		for (const worker of this.workers) {
			const child = worker.process;
			if (!child || child.exitCode !== null || child.signalCode !== null) continue;
			const exited = new Promise((resolve) => child.once('exit', resolve));
			try {
				process.kill(-child.pid!, 'SIGTERM');
			} catch {
				continue;
			}
			await Promise.race([exited, sleep(15_000)]);
		}
		const pidFile = join(this.dir, 'pg', 'data', 'postmaster.pid');
		if (existsSync(pidFile)) {
			try {
				process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGINT');
			} catch {
				// already gone
			}
		}
		this.redis?.kill('SIGTERM');
		await sleep(1000);
	}
}
