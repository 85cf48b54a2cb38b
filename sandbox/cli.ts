/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the sandbox is dev-only tooling, not n8n node code */
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';

import { AS2_LOOP } from './as2/loopSeed';
import { SEED } from './seed';
import { startSandbox } from './server';

const USAGE = `MFT Gateway sandbox

  npm run sandbox -- [--port 8870] [--files-port 8871] [--as2-port 8872] [--data-dir DIR]
                     [--token-ttl SECONDS] [--presign-ttl SECONDS] [--delivery-delay-ms MS]
                     [--latency-ms MS] [--files-public-url URL] [--as2-loop]
      Starts a local MFT Gateway on 127.0.0.1 and prints its URL and login. Its stations receive real AS2
      on the AS2 port. --as2-loop adds station SANDBOX_B and MYSTATION's partner SANDBOX_B, which is that
      AS2 endpoint: a message sent to it goes over real AS2 and comes back with a real signed MDN.

  npm run sandbox -- inbound [--url http://127.0.0.1:8870] [--station MYSTATION] [--partner PARTNER_OK]
                     [--subject TEXT] [--count N] [--message-id ID] FILE...
      Makes a partner "send" a message with the given files (or a sample X12 file) to a station.

  npm run sandbox -- webhook [--url http://127.0.0.1:8870] [--station MYSTATION | *]
                     [--payload-style old|new|both] WEBHOOK_URL
      Registers a webhook URL for a station (as MFT Gateway's Integrations → Webhooks page does); the
      sandbox then POSTs received/sent/failed notifications to it. It tests the URL first.
`;

const BOOLEAN_FLAGS = ['--as2-loop'];

function parseArgs(argv: string[]): { flags: Map<string, string>; rest: string[] } {
	const flags = new Map<string, string>();
	const rest: string[] = [];
	for (let i = 0; i < argv.length; i++) {
		if (argv[i] === '--help' || argv[i] === '-h') flags.set('help', 'true');
		else if (BOOLEAN_FLAGS.includes(argv[i])) flags.set(argv[i].slice(2), 'true');
		else if (argv[i].startsWith('--')) {
			if (argv[i + 1] === undefined) fail(`${argv[i]} needs a value`);
			flags.set(argv[i].slice(2), argv[++i]);
		} else rest.push(argv[i]);
	}
	return { flags, rest };
}

function fail(message: string): never {
	process.stderr.write(`${message}\n\n${USAGE}`);
	process.exit(2);
}

function numberFlag(flags: Map<string, string>, name: string): number | undefined {
	const value = flags.get(name);
	if (value === undefined) return undefined;
	if (!/^\d+$/.test(value)) fail(`--${name} must be a whole number, got "${value}"`);
	return Number(value);
}

const MIME: Record<string, string> = {
	'.edi': 'application/edi-x12',
	'.x12': 'application/edi-x12',
	'.edifact': 'application/edifact',
	'.xml': 'application/xml',
	'.json': 'application/json',
	'.txt': 'text/plain',
	'.csv': 'text/csv',
	'.pdf': 'application/pdf',
};

async function inbound(flags: Map<string, string>, files: string[]): Promise<void> {
	const url = flags.get('url') ?? `http://127.0.0.1:${process.env.MFTG_SANDBOX_PORT ?? 8870}`;
	const attachments = files.map((path) => ({
		name: basename(path),
		contentType:
			MIME[(/\.[^.]+$/.exec(path)?.[0] ?? '').toLowerCase()] ?? 'application/octet-stream',
		base64: readFileSync(path).toString('base64'),
	}));
	const body = {
		station: flags.get('station'),
		partner: flags.get('partner'),
		subject: flags.get('subject'),
		messageId: flags.get('message-id'),
		count: numberFlag(flags, 'count'),
		attachments: attachments.length ? attachments : undefined,
	};
	const res = await fetch(`${url}/_sandbox/inbound`, {
		method: 'POST',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify(body),
	}).catch((error: Error) => fail(`Cannot reach the sandbox at ${url}: ${error.message}`));
	const answer = (await res.json()) as { messages?: string[]; message?: string };
	if (!res.ok) fail(`The sandbox refused: ${answer.message ?? res.status}`);
	process.stdout.write(
		`Delivered ${answer.messages!.length} message(s) to the inbox:\n${answer.messages!.join('\n')}\n`,
	);
}

async function webhook(flags: Map<string, string>, rest: string[]): Promise<void> {
	const url = flags.get('url') ?? `http://127.0.0.1:${process.env.MFTG_SANDBOX_PORT ?? 8870}`;
	if (rest.length !== 1) fail('webhook needs exactly one WEBHOOK_URL');
	const res = await fetch(`${url}/_sandbox/webhooks`, {
		method: 'PUT',
		headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({
			url: rest[0],
			station: flags.get('station') ?? '*',
			payloadStyle: flags.get('payload-style') ?? 'both',
		}),
	}).catch((error: Error) => fail(`Cannot reach the sandbox at ${url}: ${error.message}`));
	const answer = (await res.json()) as { station?: string; message?: string };
	if (!res.ok) fail(`The sandbox refused: ${answer.message ?? res.status}`);
	process.stdout.write(
		`Webhook registered for ${answer.station === '*' ? 'all stations' : answer.station}: ${rest[0]}\n`,
	);
}

async function serve(flags: Map<string, string>): Promise<void> {
	const port = numberFlag(flags, 'port') ?? Number(process.env.MFTG_SANDBOX_PORT ?? 8870);
	const config: Record<string, number> = {};
	const map: Array<[string, string]> = [
		['token-ttl', 'tokenTtlSeconds'],
		['presign-ttl', 'presignTtlSeconds'],
		['delivery-delay-ms', 'deliveryDelayMs'],
	];
	for (const [flag, key] of map) {
		const value = numberFlag(flags, flag);
		if (value !== undefined) config[key] = value;
	}
	const running = await startSandbox({
		port,
		filesPort: numberFlag(flags, 'files-port') ?? (port === 0 ? 0 : port + 1),
		as2Port: numberFlag(flags, 'as2-port') ?? (port === 0 ? 0 : port + 2),
		as2Loop: flags.has('as2-loop'),
		dataDir: flags.get('data-dir'),
		config,
	}).catch((error: Error) => fail(`Cannot start the sandbox: ${error.message}`));
	running.sandbox.faults.baseLatencyMs = numberFlag(flags, 'latency-ms') ?? 0;
	// Behind a proxy (the benchmark's TLS relay), pre-signed links must name the proxy.
	if (flags.get('files-public-url'))
		running.sandbox.filesUrl = String(flags.get('files-public-url'));
	process.stdout.write(
		[
			`MFT Gateway sandbox listening on ${running.url} (files on ${running.filesUrl})`,
			`  Base URL:           ${running.url}`,
			`  Username/password:  ${SEED.username} / ${SEED.password}`,
			`  API token:          ID ${SEED.tokenId}, secret ${SEED.tokenSecret}`,
			`  Station:            ${SEED.station}`,
			`  AS2 endpoint:       ${running.as2Url} (real AS2 in for every station; asynchronous MDNs)`,
			...(flags.has('as2-loop')
				? [
						`  AS2 loop:           ${SEED.station} → partner ${AS2_LOOP.partner} = station ${AS2_LOOP.station} of this sandbox, over real AS2`,
					]
				: []),
			`  Partners:           ${Object.entries(SEED.partners)
				.map(([id, b]) => `${id} (${b})`)
				.join(', ')}`,
			`  State:              ${flags.get('data-dir') ? `kept in ${flags.get('data-dir')}` : 'in memory (use --data-dir to keep it)'}`,
			`  Deliver a message:  npm run sandbox -- inbound --url ${running.url} path/to/file.edi`,
			'Press Ctrl-C to stop.',
			'',
		].join('\n'),
	);
	const stop = () => void running.close().then(() => process.exit(0));
	process.on('SIGINT', stop);
	process.on('SIGTERM', stop);
}

const { flags, rest } = parseArgs(process.argv.slice(2));
if (flags.has('help')) process.stdout.write(USAGE);
else if (rest[0] === 'inbound') void inbound(flags, rest.slice(1));
else if (rest[0] === 'webhook') void webhook(flags, rest.slice(1));
else if (rest.length > 0) fail(`Unknown command: ${rest[0]}`);
else void serve(flags);
