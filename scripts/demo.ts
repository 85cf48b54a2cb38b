/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- a dev script, not part of the published package */
/**
 * `npm run demo`: a real n8n 2.8.4 with this package installed as a community package, the example
 * workflows and a credential pointing at the local sandbox. Ctrl-C stops everything it started.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { OWNER, N8nInstance } from '../e2e/lib/instance';
import { repoRoot } from '../e2e/lib/paths';
import { ensureN8n } from '../e2e/lib/runtime';
import { targetByName } from '../e2e/lib/targets';
import { exampleFiles, importCredentialAndWorkflows } from '../e2e/lib/setup';
import { SEED, startSandbox } from '../sandbox';

const say = (line = '') => process.stdout.write(`${line}\n`);
/** The webhook id saved in examples/04-webhook-received-files.json. */
const EXAMPLE_4_WEBHOOK_ID = '6f1d3c2a-4b5e-4c7d-8e9f-0a1b2c3d4e05';

async function main(): Promise<void> {
	const started = Date.now();
	const n8nPort = Number(process.env.N8N_PORT ?? 5678);
	const sandboxPort = Number(process.env.MFTG_SANDBOX_PORT ?? 8870);
	// Under node_modules/.cache: linters and editors skip it, and a fresh `npm ci` starts the demo anew.
	const root = join(repoRoot(), 'node_modules', '.cache', 'n8n-nodes-mft-gateway-demo');
	const received = join(root, 'received-files');
	mkdirSync(received, { recursive: true });

	// `npm run demo -- --n8n latest`: n8n 2.41 on Node.js 24 (both from the npm registry) instead of 2.8.4.
	const flag = process.argv.indexOf('--n8n');
	const target = targetByName(flag >= 0 ? process.argv[flag + 1] : process.env.MFTG_N8N);
	await ensureN8n(say, target);

	const sandbox = await startSandbox({
		port: sandboxPort,
		filesPort: sandboxPort + 1,
		// Example 1 sends to SANDBOX_B: this sandbox's own AS2 endpoint for a second station (real AS2).
		as2Port: sandboxPort + 2,
		as2Loop: true,
		dataDir: join(root, 'sandbox'),
	}).catch((error: Error) => {
		throw new Error(
			`Cannot start the sandbox on port ${sandboxPort} (${error.message}). Set MFTG_SANDBOX_PORT to a free port.`,
		);
	});
	// One n8n home per version: a database migrated by n8n 2.41 does not open in 2.8.
	const home = join(root, target.name === 'stable' ? 'home' : `home-${target.name}`);
	const instance = new N8nInstance(
		home,
		n8nPort,
		{ N8N_RESTRICT_FILE_ACCESS_TO: received },
		target,
	);
	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		say('\nStopping n8n and the sandbox ...');
		await instance.stop();
		await sandbox.close();
		say('Stopped: n8n and the sandbox are no longer running (their data stays for the next run).');
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	try {
		instance.installPackage();
		// Import the credential and examples once per version of them (a re-import resets edits in n8n).
		const examples = exampleFiles();
		const fingerprint = createHash('sha256')
			.update(sandbox.url)
			.update(examples.map((f) => readFileSync(f, 'utf8')).join('\n'))
			.digest('hex');
		const marker = join(root, `imported-${target.name}.sha256`);
		if (!existsSync(marker) || readFileSync(marker, 'utf8') !== fingerprint) {
			say('Importing the sandbox credential and the example workflows ...');
			// Example 2 writes received files here: the examples use /tmp/mftg-received, the demo keeps them beside its n8n home.
			await importCredentialAndWorkflows(instance, sandbox.url, examples, (wf) => {
				for (const node of wf.nodes as Array<{ parameters: Record<string, unknown> }>) {
					if (typeof node.parameters.fileName === 'string')
						node.parameters.fileName = node.parameters.fileName.replace(
							'/tmp/mftg-received',
							received,
						);
				}
			});
			writeFileSync(marker, fingerprint);
		}
		say(`Starting n8n on ${instance.url} ...`);
		await instance.start();
		await instance.signIn();
		// As a user does in the console (Integrations → Webhooks): the sandbox notifies example 4's URL.
		// Not tested now: the URL answers only once example 4 is published.
		sandbox.sandbox.webhooks.register({
			station: '*',
			url: `${instance.url}/webhook/${EXAMPLE_4_WEBHOOK_ID}/events`,
			payloadStyle: 'both',
		});
	} catch (error) {
		say(`Demo failed: ${(error as Error).message}`);
		await stop(1);
		return;
	}
	say('');
	say(
		`n8n ${target.n8nVersion} with n8n-nodes-mft-gateway is ready (${Math.round((Date.now() - started) / 1000)} s):`,
	);
	say(`  Editor:      ${instance.url}   login ${OWNER.email} / ${OWNER.password}`);
	say(
		`  Sandbox:     ${sandbox.url}   (the "MFT Gateway Sandbox" credential points here; station ${SEED.station}, partners PARTNER_OK, PARTNER_REJECTS, ...)`,
	);
	say(
		`  AS2:         ${sandbox.sandbox.as2Url}   (real AS2: example 1 sends to partner SANDBOX_B, this endpoint's second station, and verifies its signed MDN)`,
	);
	say(
		'  Workflows:   "send a file and wait for its MDN" (run it), "save every received file", "alert on failed messages" (open one and click Publish, top right)',
	);
	say(
		'               "save received files the moment they arrive" (Publish it: the sandbox already notifies its webhook URL; deactivate "save every received file" first, both read the inbox)',
	);
	say(
		`  A partner sends you a file:   npm run sandbox -- inbound --url ${sandbox.url} path/to/file.edi`,
	);
	say(`  Received files are written to ${received}`);
	say(`  n8n's log:   ${instance.logFile}`);
	say('Press Ctrl-C to stop n8n and the sandbox.');
}

void main();
