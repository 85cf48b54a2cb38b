/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- benchmark tooling that runs separate processes, not part of the published package */
/**
 * The real-network rows of `npm run bench`: the sandbox behind a TLS proxy that adds round-trip time, at
 * RTT 0, 10 and 40 ms with TLS 1.2 and 1.3; the node (through n8n-core) and an undici client with 5
 * keep-alive connections, each in its own process, and a plain HTTPS client with and without keep-alive
 * for docs/performance.md.
 */
import { fork, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SecureVersion } from 'node:tls';

import { SandboxClient } from '../../test/harness/client';
import { repoRoot } from '../../e2e/lib/paths';
import { type Certificate, makeCertificate, type RunningProxy, startTlsProxy } from './tlsProxy';
import type { NetworkScenario, WorkerMessage, WorkerTask } from './networkWorker';

export interface NetworkRow {
	scenario: NetworkScenario;
	side: WorkerTask['side'];
	rttMs: number;
	tls: SecureVersion;
	medianMs: number;
	times: number[];
	/** TCP connections and TLS handshakes per timed run (API and file hosts together). */
	connections: number;
	handshakes: number;
	detail: string;
}

const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
	const { port } = server.address() as AddressInfo;
	await new Promise((resolve) => server.close(resolve));
	return port;
}

interface Stage {
	apiUrl: string;
	adminUrl: string;
	proxies: RunningProxy[];
	stop(): Promise<void>;
}

/** A sandbox in its own process, its API and file host each behind a TLS proxy with the given RTT. */
async function stage(
	rttMs: number,
	tls: SecureVersion,
	certificate: Certificate,
	inbound: number,
): Promise<Stage> {
	const [apiPort, filesPort, filesProxyPort] = [
		await freePort(),
		await freePort(),
		await freePort(),
	];
	const child = spawn(
		process.execPath,
		[
			join(repoRoot(), 'build', 'sandbox', 'cli.js'),
			'--port',
			String(apiPort),
			'--files-port',
			String(filesPort),
			'--delivery-delay-ms',
			'200',
			'--files-public-url',
			`https://127.0.0.1:${filesProxyPort}`,
		],
		{ stdio: 'ignore' },
	);
	const adminUrl = `http://127.0.0.1:${apiPort}`;
	for (
		let i = 0;
		!(await fetch(`${adminUrl}/_sandbox/stats`).then(
			() => true,
			() => false,
		));
		i++
	) {
		if (i > 100) throw new Error('the sandbox did not start');
		await sleep(100);
	}
	if (inbound)
		await new SandboxClient(adminUrl).inbound({
			count: inbound,
			subject: 'bench',
			timestamp: Date.now() - 7200_000,
			timestampStepMs: 1,
		});
	const api = await startTlsProxy({ targetPort: apiPort, rttMs, tls, certificate });
	const files = await startTlsProxy({
		targetPort: filesPort,
		rttMs,
		tls,
		certificate,
		port: filesProxyPort,
	});
	return {
		apiUrl: api.url,
		adminUrl,
		proxies: [api, files],
		stop: async () => {
			child.kill();
			await Promise.all([api.close(), files.close()]);
		},
	};
}

/** Runs one side in its own process; the proxy counters are zeroed once it has warmed up. */
async function runWorker(
	task: WorkerTask,
	caFile: string,
	proxies: RunningProxy[],
): Promise<{ times: number[]; detail: string; connections: number; handshakes: number }> {
	const child = fork(
		join(repoRoot(), 'build', 'bench', 'network', 'networkWorker.js'),
		[JSON.stringify(task)],
		{
			env: { ...process.env, NODE_EXTRA_CA_CERTS: caFile },
			execArgv: ['--no-deprecation'],
			stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
		},
	);
	const total = (key: 'connections' | 'handshakes') =>
		proxies.reduce((sum, p) => sum + p.stats[key], 0);
	const counted = { connections: 0, handshakes: 0 };
	let atStart = { connections: 0, handshakes: 0 };
	return await new Promise((resolve, reject) => {
		child.on('message', (message: WorkerMessage) => {
			if ('warm' in message) return void child.send('go');
			if ('mark' in message) {
				// Only the timed parts count (not the warm-up, nor a trigger's activation poll before each round).
				const now = { connections: total('connections'), handshakes: total('handshakes') };
				if (message.mark === 'start') atStart = now;
				else
					for (const key of ['connections', 'handshakes'] as const)
						counted[key] += now[key] - atStart[key];
				return void child.send('go');
			}
			resolve({
				...message,
				connections: counted.connections / task.runs,
				handshakes: counted.handshakes / task.runs,
			});
		});
		child.on('exit', (code) =>
			code === 0
				? undefined
				: reject(new Error(`${task.side} ${task.scenario} worker exited with ${code}`)),
		);
	});
}

export async function measureRealNetwork(options: {
	runs: number;
	rtts: number[];
	tlsVersions: SecureVersion[];
	scenarios?: NetworkScenario[];
	say: (line: string) => void;
}): Promise<NetworkRow[]> {
	const certificate = makeCertificate();
	const dir = mkdtempSync(join(tmpdir(), 'mftg-tls-'));
	const caFile = join(dir, 'ca.pem');
	writeFileSync(caFile, certificate.cert);
	const rows: NetworkRow[] = [];
	try {
		for (const tls of options.tlsVersions) {
			for (const rttMs of options.rtts) {
				const plan: Array<[NetworkScenario, WorkerTask['side'], number]> = [
					['getMany', 'node', 1000],
					['getMany', 'undici', 1000],
					['trigger', 'node', 0],
					['trigger', 'undici', 0],
					['freshConnections', 'https', 0],
					['keepAlive', 'https', 0],
				];
				for (const [scenario, side, inbound] of plan.filter(
					([s]) => !options.scenarios || options.scenarios.includes(s),
				)) {
					options.say(`   ${tls}, RTT ${rttMs} ms: ${scenario} (${side}) ...`);
					const where = await stage(rttMs, tls, certificate, inbound);
					try {
						const result = await runWorker(
							{
								scenario,
								side,
								apiUrl: where.apiUrl,
								adminUrl: where.adminUrl,
								runs: options.runs,
								newMessages: 50,
							},
							caFile,
							where.proxies,
						);
						rows.push({
							scenario,
							side,
							rttMs,
							tls,
							medianMs: median(result.times),
							times: result.times,
							connections: result.connections,
							handshakes: result.handshakes,
							detail: result.detail,
						});
					} finally {
						await where.stop();
					}
				}
			}
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
	return rows;
}
