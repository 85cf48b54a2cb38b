/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark tooling, not part of the published package */
/**
 * One side of the real-network benchmark, in a process of its own that trusts the proxy's certificate
 * (NODE_EXTRA_CA_CERTS, read by Node at start-up, as an n8n behind a corporate CA would set it). Warms
 * up, tells the parent (which then zeroes the proxy's counters), runs the timed rounds and reports.
 */
import { readFileSync } from 'node:fs';
import { Agent, get } from 'node:https';

import { SEED } from '../../sandbox';
import { SandboxClient } from '../../test/harness/client';
import {
	TestCredentialsHelper,
	TRIGGER_NODE_TYPE,
	useFilesystemBinaryData,
} from '../../test/harness/n8n';
import { CREDENTIAL_ID, runNode, runPoll } from '../../test/harness/run';
import { PlainClient } from '../plainClient';

export type NetworkScenario = 'getMany' | 'trigger' | 'freshConnections' | 'keepAlive';
export interface WorkerTask {
	scenario: NetworkScenario;
	side: 'node' | 'undici' | 'https';
	apiUrl: string;
	adminUrl: string;
	runs: number;
	/** Messages in the trigger scenario. */
	newMessages: number;
}
/** `warm`: ready to measure; `mark`: a timed part starts or ends (the parent counts connections in between). */
export type WorkerMessage =
	| { warm: true }
	| { mark: 'start' | 'end' }
	| { times: number[]; detail: string };

const task = JSON.parse(process.argv[2]) as WorkerTask;
const send = (message: WorkerMessage) =>
	new Promise<void>((resolve) => process.send!(message, undefined, {}, () => resolve()));
const go = () => new Promise<void>((resolve) => process.once('message', () => resolve()));
const mark = async (at: 'start' | 'end') => {
	await send({ mark: at });
	await go();
};
const ca = readFileSync(process.env.NODE_EXTRA_CA_CERTS!, 'utf8');

function credentials(): TestCredentialsHelper {
	const helper = new TestCredentialsHelper();
	helper.set(CREDENTIAL_ID, {
		authentication: 'apiToken',
		tokenId: SEED.tokenId,
		tokenSecret: SEED.tokenSecret,
		baseUrl: task.apiUrl,
	});
	return helper;
}

async function timed(
	rounds: number,
	prepare: (round: number) => Promise<void>,
	work: () => Promise<void>,
): Promise<number[]> {
	const times: number[] = [];
	for (let round = 0; round < rounds; round++) {
		await prepare(round);
		await mark('start');
		const t = Date.now();
		await work();
		times.push(Date.now() - t);
		await mark('end');
	}
	return times;
}

async function getMany(): Promise<{ times: number[]; detail: string }> {
	const parameters = {
		resource: 'message',
		operation: 'getAll',
		folder: 'inbox',
		returnAll: true,
		options: { includeRead: true, includeDetails: true },
	};
	if (task.side === 'node') {
		const creds = credentials();
		const run = async () => {
			const result = await runNode({ credentials: creds, parameters });
			if (result.error || result.items.length !== 1000)
				throw new Error(`node run failed: ${result.error?.message ?? result.items.length}`);
		};
		await run();
		await send({ warm: true });
		await go();
		return { times: await timed(task.runs, async () => {}, run), detail: 'default settings' };
	}
	const plain = new PlainClient(task.apiUrl, 5, ca);
	await plain.login(SEED.tokenId, SEED.tokenSecret);
	await plain.listWithDetails(5);
	await send({ warm: true });
	await go();
	const times = await timed(
		task.runs,
		async () => {},
		async () => void (await plain.listWithDetails(5)),
	);
	await plain.close();
	return { times, detail: '5 keep-alive connections' };
}

/** A trigger poll that emits `newMessages` new messages with their attachments (activation not timed). */
async function trigger(): Promise<{ times: number[]; detail: string }> {
	const admin = new SandboxClient(task.adminUrl);
	const base = Date.now() - 3600_000;
	// Each round's messages are stamped 10 minutes after the last round's, beyond the look-back window.
	const deliver = (round: number) =>
		admin
			.inbound({
				count: task.newMessages,
				subject: 'bench',
				timestamp: base + (round + 1) * 600_000,
				timestampStepMs: 1,
				attachments: [
					{
						name: 'order.edi',
						contentType: 'application/edi-x12',
						text: 'ISA*00*'.padEnd(2048, 'X'),
					},
				],
			})
			.then(() => undefined);
	if (task.side === 'node') {
		const creds = credentials();
		let staticData = {};
		const poll = () =>
			runPoll({
				credentials: creds,
				nodeType: TRIGGER_NODE_TYPE,
				staticData,
				parameters: {
					event: 'messageReceived',
					trackBy: 'n8n',
					options: { downloadAttachments: true },
				},
			});
		await deliver(-1);
		await poll();
		await send({ warm: true });
		await go();
		const times = await timed(
			task.runs,
			async (round) => {
				staticData = {};
				await poll(); // activation: where the inbox stands
				await deliver(round);
			},
			async () => {
				const result = await poll();
				if (result.items?.length !== task.newMessages || !result.items[0].binary)
					throw new Error(`poll emitted ${result.items?.length ?? 0}`);
			},
		);
		return { times, detail: 'default settings, tracked in n8n, attachments' };
	}
	const plain = new PlainClient(task.apiUrl, 5, ca);
	await plain.login(SEED.tokenId, SEED.tokenSecret);
	await deliver(-1);
	await plain.newestWithAttachments(task.newMessages, 5);
	await send({ warm: true });
	await go();
	const times = await timed(
		task.runs,
		deliver,
		async () => void (await plain.newestWithAttachments(task.newMessages, 5)),
	);
	await plain.close();
	return { times, detail: '5 keep-alive connections' };
}

/** A plain HTTPS client, 200 reads 5 at a time, with a new connection per request or 5 kept alive. */
async function plainHttps(keepAlive: boolean): Promise<{ times: number[]; detail: string }> {
	const agent = keepAlive ? new Agent({ keepAlive: true, maxSockets: 5, ca }) : undefined;
	const login = await fetch(`${task.adminUrl}/authorize`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ tokenID: SEED.tokenId, tokenSecret: SEED.tokenSecret }),
	});
	const token = ((await login.json()) as { apiToken: string }).apiToken;
	const one = () =>
		new Promise<void>((resolve, reject) => {
			const request = get(
				`${task.apiUrl}/message/outbox/queued?service=as2&pageLength=1`,
				{ headers: { authorization: token }, ...(agent ? { agent } : { agent: false, ca }) },
				(res) => {
					res.resume();
					res.on('end', () => resolve());
				},
			);
			request.on('error', reject);
		});
	const round = async () => {
		let left = 200;
		await Promise.all(
			Array.from({ length: 5 }, async () => {
				while (left-- > 0) await one();
			}),
		);
	};
	await round();
	await send({ warm: true });
	await go();
	const times = await timed(task.runs, async () => {}, round);
	agent?.destroy();
	return {
		times,
		detail: keepAlive
			? 'node:https, keep-alive agent, 5 sockets'
			: 'node:https, a new connection per request',
	};
}

async function main(): Promise<void> {
	await useFilesystemBinaryData();
	const result =
		task.scenario === 'getMany'
			? await getMany()
			: task.scenario === 'trigger'
				? await trigger()
				: await plainHttps(task.scenario === 'keepAlive');
	await send(result);
	process.exit(0);
}

main().catch((error: Error) => {
	process.stderr.write(`${error.stack}\n`);
	process.exit(1);
});
