/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- dev tooling that runs n8n itself, not part of the published package */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
	createWriteStream,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

import { PACKAGE_NAME, repoRoot } from './paths';
import { n8nBin, type N8nTarget, STABLE } from './targets';

export const OWNER = {
	email: 'owner@sandbox.mftgateway.test',
	firstName: 'Demo',
	lastName: 'Owner',
	password: 'SandboxDemo1',
};

/**
 * One n8n home (N8N_USER_FOLDER) with our package installed as a community package, as a user who ran
 * "npm install n8n-nodes-mft-gateway" in ~/.n8n/nodes would have it: node types are
 * `n8n-nodes-mft-gateway.mftGateway` and `…mftGatewayTrigger`, exactly as in production.
 */
export class N8nInstance {
	server?: ChildProcess;
	cookie = '';
	readonly logFile: string;

	constructor(
		readonly home: string,
		readonly port: number,
		readonly extraEnv: Record<string, string> = {},
		readonly target: N8nTarget = STABLE,
	) {
		this.logFile = join(home, 'n8n.log');
	}

	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	/** The environment of every n8n command: loopback only, no telemetry or outside calls. */
	env(brokerPort = this.port + 1): NodeJS.ProcessEnv {
		return {
			// The target's Node.js first, for anything n8n starts by name (task runners).
			PATH: `${dirname(this.target.nodeBin)}:${process.env.PATH ?? ''}`,
			HOME: process.env.HOME,
			N8N_USER_FOLDER: this.home,
			N8N_HOST: '127.0.0.1',
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_PORT: String(this.port),
			N8N_PROTOCOL: 'http',
			N8N_EDITOR_BASE_URL: this.url,
			WEBHOOK_URL: `${this.url}/`,
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_SECURE_COOKIE: 'false',
			// A fixed key for this local, throw-away instance (derived, so it is obviously not a real secret).
			N8N_ENCRYPTION_KEY: createHash('sha256').update(`mftg-local-${this.home}`).digest('hex'),
			N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
			N8N_DIAGNOSTICS_ENABLED: 'false',
			N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
			N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
			N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
			N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
			N8N_TEMPLATES_ENABLED: 'false',
			N8N_PERSONALIZATION_ENABLED: 'false',
			N8N_HIRING_BANNER_ENABLED: 'false',
			N8N_DYNAMIC_BANNERS_ENABLED: 'false',
			N8N_AI_ENABLED: 'false',
			N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
			N8N_VERIFIED_PACKAGES_ENABLED: 'false',
			N8N_REINSTALL_MISSING_PACKAGES: 'false',
			EXTERNAL_FRONTEND_HOOKS_URLS: '',
			GENERIC_TIMEZONE: 'UTC',
			DB_SQLITE_POOL_SIZE: '2',
			N8N_LOG_LEVEL: 'info',
			...this.target.env,
			...this.extraEnv,
		};
	}

	/** Packs the built package (npm pack) and unpacks it into <home>/.n8n/nodes/node_modules. */
	installPackage(): void {
		const packDir = mkdtempSync(join(tmpdir(), 'mftg-pack-'));
		try {
			const pack = spawnSync('npm', ['pack', '--pack-destination', packDir, '--silent'], {
				cwd: repoRoot(),
				encoding: 'utf8',
			});
			if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
			const tarball = readdirSync(packDir).find((f) => f.endsWith('.tgz'));
			const target = join(this.home, '.n8n', 'nodes', 'node_modules', PACKAGE_NAME);
			rmSync(target, { recursive: true, force: true });
			mkdirSync(target, { recursive: true });
			const untar = spawnSync('tar', [
				'xzf',
				join(packDir, tarball!),
				'-C',
				target,
				'--strip-components=1',
			]);
			if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
		} finally {
			rmSync(packDir, { recursive: true, force: true });
		}
	}

	/**
	 * Runs an n8n CLI command (its task broker on another port, so it can run next to the server). Async:
	 * the sandbox may live in this same process and must keep answering meanwhile.
	 */
	async cli(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
		const child = spawn(this.target.nodeBin, [n8nBin(this.target), ...args], {
			cwd: this.target.runtimeDir,
			env: this.env(this.port + 21),
		});
		let stdout = '';
		let stderr = '';
		child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		const timer = setTimeout(() => child.kill('SIGKILL'), 180_000);
		const status = await new Promise<number>((resolve) =>
			child.once('close', (code) => resolve(code ?? 1)),
		);
		clearTimeout(timer);
		return { status, stdout, stderr };
	}

	async cliOrThrow(args: string[]): Promise<string> {
		const result = await this.cli(args);
		if (result.status !== 0)
			throw new Error(
				`n8n ${args.join(' ')} failed (${result.status}):\n${result.stdout}\n${result.stderr}`,
			);
		return result.stdout;
	}

	/** `n8n execute --rawOutput` prints log lines around the JSON result; this returns the result. */
	async execute(workflowId: string): Promise<{
		status: string;
		data: {
			resultData: {
				runData: Record<
					string,
					Array<{
						data?: {
							main: Array<
								Array<{
									json: Record<string, unknown>;
									binary?: Record<string, { fileName?: string; mimeType?: string }>;
								}>
							>;
						};
						error?: { message: string };
					}>
				>;
			};
		};
	}> {
		const out = await this.cliOrThrow(['execute', `--id=${workflowId}`, '--rawOutput']);
		const start = out.search(/^\{$/m);
		if (start < 0) throw new Error(`no JSON result in:\n${out}`);
		// Log lines may follow the result too: it ends at the first closing brace alone on a line that parses.
		for (let end = out.indexOf('\n}', start); end >= 0; end = out.indexOf('\n}', end + 2)) {
			try {
				return JSON.parse(out.slice(start, end + 2));
			} catch {
				// not the end yet
			}
		}
		throw new Error(`no complete JSON result in:\n${out}`);
	}

	async start(): Promise<void> {
		writeFileSync(this.logFile, '');
		const log = createWriteStream(this.logFile, { flags: 'a' });
		this.server = spawn(this.target.nodeBin, [n8nBin(this.target), 'start'], {
			cwd: this.target.runtimeDir,
			env: this.env(),
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		this.server.stdout!.pipe(log);
		this.server.stderr!.pipe(log);
		const deadline = Date.now() + 120_000;
		while (!readFileSync(this.logFile, 'utf8').includes('Editor is now accessible')) {
			if (this.server.exitCode !== null)
				throw new Error(`n8n exited (${this.server.exitCode}); see ${this.logFile}`);
			if (Date.now() > deadline)
				throw new Error(`n8n did not start within 120 s; see ${this.logFile}`);
			await sleep(250);
		}
	}

	async stop(): Promise<void> {
		const server = this.server;
		if (!server || server.exitCode !== null) return;
		const exited = new Promise((resolve) => server.once('exit', resolve));
		try {
			process.kill(-server.pid!, 'SIGTERM');
		} catch {
			return;
		}
		const timer = sleep(15_000).then(() => {
			if (server.exitCode === null) process.kill(-server.pid!, 'SIGKILL');
		});
		await Promise.race([exited, timer]);
	}

	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	async rest(method: string, path: string, body?: unknown): Promise<{ status: number; json: any }> {
		const res = await fetch(`${this.url}/rest${path}`, {
			method,
			headers: {
				'Content-Type': 'application/json',
				...(this.cookie ? { Cookie: this.cookie } : {}),
			},
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.get('set-cookie');
		if (setCookie) this.cookie = setCookie.split(';')[0];
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = text;
		}
		return { status: res.status, json };
	}

	/** Creates the owner account on a new instance, or logs in on one that has it. */
	async signIn(): Promise<void> {
		const setup = await this.rest('POST', '/owner/setup', OWNER);
		if (setup.status === 200) return;
		const login = await this.rest('POST', '/login', {
			emailOrLdapLoginId: OWNER.email,
			password: OWNER.password,
		});
		if (login.status !== 200)
			throw new Error(`cannot sign in to n8n: ${JSON.stringify(login.json)}`);
	}

	async activate(workflowId: string): Promise<void> {
		const workflow = await this.rest('GET', `/workflows/${workflowId}`);
		const answer = await this.rest('POST', `/workflows/${workflowId}/activate`, {
			versionId: workflow.json.data.versionId,
		});
		if (answer.status !== 200)
			throw new Error(`activating ${workflowId} failed: ${JSON.stringify(answer.json)}`);
	}

	async deactivate(workflowId: string): Promise<void> {
		const answer = await this.rest('POST', `/workflows/${workflowId}/deactivate`, {});
		if (answer.status !== 200)
			throw new Error(`deactivating ${workflowId} failed: ${JSON.stringify(answer.json)}`);
	}

	async executions(
		workflowId: string,
	): Promise<Array<{ id: string; status: string; mode: string }>> {
		const answer = await this.rest(
			'GET',
			`/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId }))}`,
		);
		return answer.json.data.results;
	}

	/**
	 * Every execution of a workflow (the REST API gives at most 100 per page, newest first; n8n 2.8 pages
	 * with `lastId`, 2.41 with the `nextCursor` it returns).
	 */
	async allExecutions(
		workflowId: string,
	): Promise<Array<{ id: string; status: string; mode: string }>> {
		type Summary = { id: string; status: string; mode: string };
		const all: Summary[] = [];
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		for (let position = ''; ; ) {
			const answer = await this.rest('GET', `/executions?filter=${filter}&limit=100${position}`);
			const data = answer.json?.data as { results?: Summary[]; nextCursor?: string } | undefined;
			if (!data?.results)
				throw new Error(`listing executions failed: ${JSON.stringify(answer.json).slice(0, 500)}`);
			all.push(...data.results.filter((e) => !all.some((a) => a.id === e.id)));
			if (data.results.length < 100) return all;
			if ('nextCursor' in data) {
				if (!data.nextCursor) return all;
				position = `&cursor=${encodeURIComponent(data.nextCursor)}`;
			} else position = `&lastId=${data.results[data.results.length - 1].id}`;
		}
	}

	/** An execution's run data (the REST API sends it "flatted"; flatted ships with n8n). */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	async executionData(id: string): Promise<any> {
		const answer = await this.rest('GET', `/executions/${id}`);
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const flatted = require(join(this.target.runtimeDir, 'node_modules', 'flatted')) as {
			parse: (text: string) => unknown;
		};
		return flatted.parse(answer.json.data.data);
	}
}
