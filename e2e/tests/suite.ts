/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- end-to-end tests are dev-only */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { sleep } from 'n8n-workflow';

import { SandboxClient } from '../../test/harness/client';
import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { N8nInstance, OWNER } from '../lib/instance';
import { repoRoot } from '../lib/paths';
import { debianPackagesPresent } from '../lib/requirements';
import { ensureN8n } from '../lib/runtime';
import { LATEST, type N8nTarget, STABLE } from '../lib/targets';
import { CREDENTIAL_ID, exampleFiles, importCredentialAndWorkflows } from '../lib/setup';

const EVERY_10_SECONDS = {
	item: [{ mode: 'custom', cronExpression: '0,10,20,30,40,50 * * * * *' }],
};
const timings: Record<string, number> = {};
const URL_CHECK_VALUE = 'e2e-url-token-5d1f';
const WEBHOOK_PATH = '/webhook/6f1d3c2a-4b5e-4c7d-8e9f-0a1b2c3d4e05/events';

async function freePort(): Promise<number> {
	for (;;) {
		const port = 20000 + Math.floor(Math.random() * 20000);
		const ok = await Promise.all(
			[port, port + 1, port + 21].map(
				(p) =>
					new Promise<boolean>((resolve) => {
						const server = createServer()
							.once('error', () => resolve(false))
							.listen(p, '127.0.0.1', () => server.close(() => resolve(true)));
					}),
			),
		);
		if (ok.every(Boolean)) return port;
	}
}

async function waitFor<T>(
	what: string,
	check: () => Promise<T | undefined>,
	seconds: number,
): Promise<T> {
	const deadline = Date.now() + seconds * 1000;
	for (;;) {
		const value = await check();
		if (value !== undefined) return value;
		if (Date.now() > deadline) throw new Error(`timed out after ${seconds} s waiting for ${what}`);
		await sleep(500);
	}
}

/** The end-to-end checks, run against each n8n target (e2e/tests/*.e2e.test.ts). */
export function n8nSuite(target: N8nTarget): void {
	/** One poll interval of the triggers in this n8n, in seconds. */
	const poll = target.subMinutePolls ? 10 : 60;
	/**
	 * Messages of the lossy webhook run: 500 on 2.8.4; 200 on 2.41, where reconciliation polls once a
	 * minute (CI time). E2E_WEBHOOK_EVENTS overrides.
	 */
	const EVENTS = Number(process.env.E2E_WEBHOOK_EVENTS ?? (target.subMinutePolls ? 500 : 200));
	let sandbox: RunningSandbox;
	let instance: N8nInstance;
	let home: string;
	let received: string;

	beforeAll(async () => {
		let t = Date.now();
		const install = await ensureN8n((line) => process.stdout.write(`${line}\n`), target);
		timings.installSeconds = install.installedNow ? install.seconds : 0;
		sandbox = await startSandbox({
			config: { deliveryDelayMs: 300, retryDelayMs: 200 },
			as2Loop: true,
		});
		home = mkdtempSync(join(tmpdir(), 'mftg-n8n-'));
		received = join(home, 'received-files');
		mkdirSync(received);
		instance = new N8nInstance(
			home,
			await freePort(),
			{ N8N_RESTRICT_FILE_ACCESS_TO: received },
			target,
		);
		t = Date.now();
		instance.installPackage();
		await importCredentialAndWorkflows(
			instance,
			sandbox.url,
			[
				...exampleFiles(),
				join(repoRoot(), 'e2e', 'workflows', 'http-request-predefined-credential.json'),
			],
			(wf) => {
				for (const node of wf.nodes as Array<{ parameters: Record<string, unknown> }>) {
					if (typeof node.parameters.url === 'string')
						node.parameters.url = node.parameters.url.replace('SANDBOX_URL', sandbox.url);
					// n8n 2.8's shortest custom poll; the examples poll every minute, as n8n 2.41 requires
					if (node.parameters.pollTimes && target.subMinutePolls)
						node.parameters.pollTimes = EVERY_10_SECONDS;
					const options = node.parameters.options as Record<string, unknown> | undefined;
					if (options?.reconcileWebhook) options.reconcileAfterSeconds = 5; // the example waits a minute
					if (wf.id === 'mftgExample04Webhook' && 'events' in node.parameters)
						node.parameters.options = { ...options, urlToken: URL_CHECK_VALUE };
					if (typeof node.parameters.fileName === 'string')
						node.parameters.fileName = node.parameters.fileName.replace(
							'/tmp/mftg-received',
							received,
						);
				}
			},
		);
		timings.importSeconds = (Date.now() - t) / 1000;
	}, 20 * 60_000);

	afterAll(async () => {
		await instance?.stop();
		await sandbox?.close();
		process.stdout.write(`e2e timings (n8n ${target.n8nVersion}): ${JSON.stringify(timings)}\n`);
		if (home) rmSync(home, { recursive: true, force: true });
	});

	// Only for the latest: 2.8.4's n8n-workflow is the devDependency `npm run typecheck` uses.
	if (target === LATEST)
		test("the package type-checks against this n8n's own n8n-workflow", () => {
			const tsc = spawnSync(
				process.execPath,
				[require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.latest.json'],
				{ cwd: repoRoot(), encoding: 'utf8' },
			);
			expect(`${tsc.stdout}${tsc.stderr}`).toBe('');
			expect(tsc.status).toBe(0);
		}, 120_000);

	test('n8n export:nodes lists the node, the trigger and their credential type', async () => {
		const out = join(home, 'nodes.json');
		await instance.cliOrThrow(['export:nodes', `--output=${out}`]);
		const nodes = JSON.parse(readFileSync(out, 'utf8')) as Array<{
			name: string;
			credentials?: Array<{ name: string }>;
		}>;
		const ours = nodes.filter((n) => n.name.startsWith('n8n-nodes-mft-gateway.'));
		expect(ours.map((n) => n.name).sort()).toEqual([
			'n8n-nodes-mft-gateway.mftGateway',
			'n8n-nodes-mft-gateway.mftGatewayTool',
			'n8n-nodes-mft-gateway.mftGatewayTrigger',
			'n8n-nodes-mft-gateway.mftGatewayWebhookTrigger',
		]);
		for (const node of ours)
			expect(node.credentials).toEqual([{ name: 'mftGatewayApi', required: true }]);
	});

	test("example 1 runs from the CLI: the message goes over real AS2 to the sandbox's second station, its signed MDN is verified", async () => {
		const t = Date.now();
		const result = await instance.execute('mftgExample01Send');
		timings.cliExecuteSeconds = (Date.now() - t) / 1000;
		expect(result.status).toBe('success');
		const sent = result.data.resultData.runData['Send purchase order'][0].data!.main[0][0].json;
		// Node version 2, Simplify on: one id, the status, what was sent, the MDN summary.
		expect(sent).toMatchObject({
			id: expect.stringMatching(/^<.+@mftgateway\.com>$/),
			deliveryStatus: 'sent',
			partner: 'SANDBOX_B',
			mdn: { status: 'Received; MDN Signature Verified', micMatches: true },
		});
		const mdn = result.data.resultData.runData['Get MDN'][0].data!.main[0][0];
		expect(mdn.json).toMatchObject({
			originalMessageId: sent.id,
			signed: true,
			disposition: { type: 'processed', successful: true },
			// Example 1 verifies the partner's signature against the account's certificate.
			signatureValid: true,
			micMatches: true,
		});
		expect(mdn.binary!.mdn.fileName).toBe('mdn.raw');
		expect(sandbox.sandbox.store.state.messages.filter((m) => !m.incoming)).toHaveLength(1);
		// SANDBOX_B is the sandbox's own AS2 endpoint: the message went over real AS2 and arrived once.
		expect(
			sandbox.sandbox.store.state.messages.filter(
				(m) => m.incoming && m.station === 'SANDBOX_B' && m.partner === SEED.station,
			),
		).toHaveLength(1);
	});

	test("n8n's HTTP Request node with the credential as a Predefined Credential Type: works, and a failed item does not log in again", async () => {
		sandbox.sandbox.stats.reset();
		const result = await instance.execute('mftgE2eHttpRequest');
		const runData = result.data.resultData.runData;
		expect(runData['List stations'][0].error).toBeUndefined();
		expect(runData['List stations'][0].data!.main[0][0].json).toMatchObject({
			stations: expect.arrayContaining([expect.objectContaining({ identifier: SEED.station })]),
		});
		const missing = runData['Missing message'][0].data!.main[0][0].json as {
			error?: { message?: string };
		};
		expect(JSON.stringify(missing)).toMatch(/404|not found/i);
		expect(JSON.stringify(missing)).not.toMatch(/startsWith/);
		expect(runData['List sent messages'][0].data!.main[0][0].json).toMatchObject({
			messages: expect.any(Array),
		});
		expect(result.status).toBe('success');
		const calls = sandbox.sandbox.stats.requests;
		expect(sandbox.sandbox.stats.logins.apiToken).toBeLessThanOrEqual(1);
		expect(calls.filter((r) => r.route !== 'authorize' && !r.authorization)).toEqual([]);
	});

	describe('with n8n running', () => {
		beforeAll(async () => {
			const t = Date.now();
			await instance.start();
			timings.startSeconds = (Date.now() - t) / 1000;
			await instance.signIn();
		}, 180_000);

		test("the credential's Test button logs in, makes one call, and says in plain words what is wrong", async () => {
			const test = async (data: Record<string, unknown>) =>
				(
					await instance.rest('POST', '/credentials/test', {
						credentials: {
							id: CREDENTIAL_ID,
							name: 'MFT Gateway Sandbox',
							type: 'mftGatewayApi',
							data: {
								authentication: 'apiToken',
								tokenId: SEED.tokenId,
								tokenSecret: SEED.tokenSecret,
								baseUrl: sandbox.url,
								...data,
							},
						},
					})
				).json.data;
			expect(await test({})).toEqual({ status: 'OK', message: 'Connection successful!' });
			expect((await test({ tokenSecret: 'not-the-secret' })).message).toMatch(
				/rejected the Token ID or Token Secret \("Authentication Failed: Bad credentials"\)/,
			);
			expect(
				(
					await test({
						authentication: 'password',
						username: SEED.noApiUsername,
						password: SEED.noApiPassword,
					})
				).message,
			).toMatch(/not allowed to use the MFT Gateway REST API/);
			expect((await test({ baseUrl: 'http://127.0.0.1:9' })).message).toMatch(
				/Could not connect to 127\.0\.0\.1:9/,
			);
			expect((await test({ baseUrl: sandbox.filesUrl })).message).toMatch(
				/does not look like the MFT Gateway API/,
			);
			expect(JSON.stringify(await test({ tokenSecret: 'not-the-secret' }))).not.toContain(
				'not-the-secret',
			);
		});

		test(
			'example 2: one received message gives exactly one successful execution carrying its attachment',
			async () => {
				await instance.activate('mftgExample02Receive');
				await sleep(1500); // the activation poll only records where the inbox stands
				const [id] = await new SandboxClient(sandbox.url).inbound({
					subject: 'Invoice 77',
					attachments: [
						{ name: 'INV-77.x12', contentType: 'application/edi-x12', text: 'ISA*00*INV77~' },
					],
				});
				const first = await waitFor(
					'an execution of example 2',
					async () =>
						(await instance.executions('mftgExample02Receive')).find(
							(e) => e.status !== 'running' && e.status !== 'new',
						),
					poll * 4,
				);
				await sleep((poll + 2) * 1000); // one more poll: it must not fire again
				const executions = await instance.executions('mftgExample02Receive');
				const runData = (await instance.executionData(first.id)).resultData.runData;
				expect([
					executions.map((e) => [e.status, e.mode]),
					JSON.stringify((await instance.executionData(first.id)).resultData.error ?? null),
				]).toEqual([[['success', 'trigger']], 'null']);
				expect(runData['On received message'][0].data.main[0][0].json).toMatchObject({
					identifier: id,
					subject: 'Invoice 77',
					event: 'messageReceived',
				});
				const file = runData['Download attachments'][0].data.main[0][0];
				expect(file.json).toMatchObject({ name: 'INV-77.x12', mimeType: 'application/edi-x12' });
				expect(file.binary.data).toMatchObject({
					fileName: 'INV-77.x12',
					mimeType: 'application/edi-x12',
				});
				expect(readFileSync(join(received, 'INV-77.x12'), 'utf8')).toBe('ISA*00*INV77~');
			},
			(poll * 6 + 60) * 1000,
		);

		test(
			'example 3: a message the partner rejects fires one alert with partner, subject and reason',
			async () => {
				await instance.activate('mftgExample03Failed');
				await sleep(1500);
				const client = new SandboxClient(sandbox.url);
				await client.login();
				const id = (await client.submit('PARTNER_REJECTS', 'ISA*00*~', { Subject: 'PO 99' })).json
					.messageIdentifier;
				const first = await waitFor(
					'an execution of example 3',
					async () =>
						(await instance.executions('mftgExample03Failed')).find(
							(e) => e.status !== 'running' && e.status !== 'new',
						),
					poll * 4,
				);
				await sleep((poll + 2) * 1000);
				expect((await instance.executions('mftgExample03Failed')).map((e) => e.status)).toEqual([
					'success',
				]);
				const alert = (await instance.executionData(first.id)).resultData.runData['Build alert'][0]
					.data.main[0][0].json;
				expect(alert).toEqual({
					alert: 'AS2 message to PARTNER_REJECTS failed: Received HTTP status code of 422',
					partner: 'PARTNER_REJECTS',
					subject: 'PO 99',
					failureReason: 'Received HTTP status code of 422',
					messageId: id,
					failedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
				});
			},
			(poll * 6 + 60) * 1000,
		);

		test(
			`example 4 (webhook + reconciliation): ${EVENTS} messages, 20 % of notifications lost, 5 % doubled, out of order: each written once; forged requests change nothing`,
			async () => {
				// Example 2 also reads the inbox by the read flag: two such readers would share the messages.
				await instance.deactivate('mftgExample02Receive');
				await instance.activate('mftgExample04Webhook');
				await sleep(1500);
				const admin = async (method: string, path: string, body?: unknown) => {
					const res = await fetch(`${sandbox.url}/_sandbox/${path}`, {
						method,
						headers: { 'content-type': 'application/json' },
						body: body === undefined ? undefined : JSON.stringify(body),
					});
					// eslint-disable-next-line @typescript-eslint/no-explicit-any
					const json = (await res.json()) as Record<string, any>;
					if (!res.ok) throw new Error(`${path}: ${JSON.stringify(json)}`);
					return json;
				};
				const hook = `${instance.url}${WEBHOOK_PATH}`;
				// As in the console: the URL is tested (n8n must answer 2xx) before it is saved.
				await admin('PUT', 'webhooks', { url: `${hook}?token=${URL_CHECK_VALUE}`, station: '*' });
				// Forged: the right URL without the token, and a guessed webhook id. The first message's id is
				// forged before it exists; its real notification must still start the workflow, once.
				const firstId = '<e2e-forged-target@partner_ok.as2.example>';
				const forged = {
					messageIdentifier: firstId,
					stationIdentifier: SEED.station,
					eventType: 'MESSAGE.RECEIVED.SUCCESS',
				};
				const post = (url: string) =>
					fetch(url, {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify(forged),
					});
				const noToken = await post(hook);
				expect([noToken.status, await noToken.text()]).toEqual([200, '']);
				expect((await post(`${hook}?token=wrong`)).status).toBe(200);
				expect(
					(await post(`${instance.url}/webhook/00000000-0000-4000-8000-000000000000/events`))
						.status,
				).toBe(404);
				await sleep(1000);
				expect(await instance.allExecutions('mftgExample04Webhook')).toEqual([]);

				await admin('PUT', 'webhooks/faults', {
					lose: 0.2,
					duplicate: 0.05,
					delayMs: 400,
					seed: 11,
				});
				const t = Date.now();
				const expected: string[] = [];
				for (let i = 0; i < EVENTS; i++) {
					const [id] = await sandbox.sandbox.deliverInbound({
						station: SEED.station,
						partner: 'PARTNER_OK',
						subject: `PO ${i}`,
						messageId: i === 0 ? firstId : undefined,
						count: 1,
						files: [
							{
								name: `po-${i}.x12`,
								contentType: 'application/edi-x12',
								content: Buffer.from(`ISA*${i}~`),
							},
						],
					});
					expected.push(id);
					if (i % 50 === 49) await sleep(1000); // bursts of 50
				}
				await admin('POST', 'webhooks/idle');
				const { outcomes } = await admin('GET', 'webhooks');
				process.stdout.write(
					`e2e webhook run (n8n ${target.n8nVersion}): notifications ${JSON.stringify(outcomes)} after ${((Date.now() - t) / 1000).toFixed(0)} s\n`,
				);
				const written = () => readdirSync(received).filter((f) => /^po-\d+\.x12$/.test(f)).length;
				// Reconciliation emits up to 100 per poll: lost notifications take a poll per 100.
				await waitFor(
					`every file written (${EVENTS})`,
					async () => (written() >= EVENTS ? true : undefined),
					poll * 5 + 90,
				);
				await sleep((poll + 6) * 1000); // a poll and a grace more: nothing else may start
				const seconds = (Date.now() - t) / 1000;
				const executions = await instance.allExecutions('mftgExample04Webhook');
				const emitted: Array<{ id: string; source: string }> = [];
				for (const execution of executions) {
					const runData = (await instance.executionData(execution.id)).resultData.runData;
					for (const trigger of ['On notification', 'Catch up on lost notifications'])
						for (const item of runData[trigger]?.[0]?.data?.main[0] ?? [])
							emitted.push({ id: item.json.id, source: item.json.source });
				}
				const counts = new Map<string, number>();
				for (const e of emitted) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
				const { deliveries } = await admin('GET', 'webhooks');
				const lost = (deliveries as Array<{ outcome: string }>).filter(
					(d) => d.outcome === 'lost',
				).length;
				const doubledNotifications = (
					deliveries as Array<{ copy: number; outcome: string }>
				).filter((d) => d.copy === 2 && d.outcome === '2xx').length;
				const recovered = emitted.filter((e) => e.source === 'reconciliation').length;
				timings.webhookRun = seconds;
				process.stdout.write(
					`e2e webhook run (n8n ${target.n8nVersion}): ${EVENTS} messages in ${seconds.toFixed(0)} s, ${executions.length} executions, ${lost} notifications lost, ${recovered} recovered by reconciliation, ${doubledNotifications} duplicates suppressed\n`,
				);
				expect({
					statuses: [...new Set(executions.map((e) => e.status))],
					doubled: [...counts].filter(([, n]) => n > 1),
					missing: expected.filter((id) => !counts.has(id)),
					files: written(),
				}).toEqual({ statuses: ['success'], doubled: [], missing: [], files: EVENTS });
				expect(recovered).toBeGreaterThanOrEqual(lost);
				expect(lost).toBeGreaterThan(EVENTS * 0.1);
				expect(readFileSync(join(received, 'po-7.x12'), 'utf8')).toBe('ISA*7~');
				await admin('DELETE', 'webhooks');
			},
			(poll * 6 + 240) * 1000,
		);

		const chromium = '/usr/bin/chromium';
		const runBrowser = debianPackagesPresent(`browser test (n8n ${target.n8nVersion})`, {
			chromium: existsSync(chromium),
		});
		(runBrowser ? test : test.skip)(
			'the editor shows our node with its icon and its parameter panel (screenshots)',
			async () => {
				const { chromium: browserType } = await import('playwright-core');
				const browser = await browserType.launch({
					executablePath: chromium,
					headless: true,
					args: [
						'--no-sandbox',
						'--disable-gpu',
						'--disable-quic',
						'--no-first-run',
						'--disable-background-networking',
						'--disable-component-update',
						'--disable-sync',
						'--disable-dev-shm-usage',
					],
				});
				try {
					const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
					await context.route('**/*', (route) =>
						route.request().url().startsWith(instance.url) ? route.continue() : route.abort(),
					);
					const page = await context.newPage();
					await page.goto(`${instance.url}/signin`);
					await page.locator('input[type=email]').first().fill(OWNER.email);
					await page.locator('input[type=password]').first().fill(OWNER.password);
					await page.locator('[data-test-id=form-submit-button]').first().click();
					await page.waitForURL((url) => !url.pathname.startsWith('/signin'));
					await page.goto(`${instance.url}/workflow/mftgExample01Send`);
					const node = page
						.locator('[data-test-id=canvas-node][data-node-name="Send purchase order"]')
						.first();
					await node.waitFor({ timeout: 60_000 });
					await sleep(1500);
					// The README's copies are refreshed with UPDATE_SCREENSHOTS=1; normal runs write to build/.
					const shots = join(
						repoRoot(),
						process.env.UPDATE_SCREENSHOTS === '1' && target === STABLE ? 'docs' : 'build',
						target === STABLE ? 'screenshots' : `screenshots-${target.name}`,
					);
					mkdirSync(shots, { recursive: true });
					await page.screenshot({ path: join(shots, 'canvas.png') });
					const icon = node.locator('img').first();
					expect(await icon.getAttribute('src')).toMatch(/n8n-nodes-mft-gateway.*mftGateway\.svg/);
					await node.dblclick();
					await page.locator('[data-test-id=ndv]').first().waitFor();
					await expect(
						page.locator('[data-test-id=parameter-input-operation]').first().isVisible(),
					).resolves.toBe(true);
					await sleep(500);
					await page.screenshot({ path: join(shots, 'node-parameters.png') });
					// Station and partner come from the account's lists (the sandbox's), picked as a user does.
					const pick = async (parameter: string, value: string, screenshot?: string) => {
						await page
							.locator(`[data-test-id=resource-locator-${parameter}] [data-test-id=rlc-input]`)
							.first()
							.click();
						const items = page.locator('[data-test-id=rlc-item]:visible');
						await items.first().waitFor({ timeout: 30_000 });
						await sleep(1000); // the list fades in
						const texts = (await items.allInnerTexts()).map((text) => text.trim());
						if (screenshot) await page.screenshot({ path: join(shots, screenshot) });
						await items
							.filter({ hasText: `(${value})` })
							.first()
							.click();
						await sleep(300);
						return texts;
					};
					expect((await pick('station', SEED.station)).join(' ')).toContain(SEED.station);
					const partners = await pick('partner', 'PARTNER_OK', 'pick-partner.png');
					expect(partners.length).toBeGreaterThanOrEqual(5);
					for (const id of ['PARTNER_OK', 'PARTNER_REJECTS', 'PARTNER_FLAKY'])
						expect(partners.join(' ')).toContain(id);
					const before = sandbox.sandbox.store.state.messages.filter((m) => !m.incoming).length;
					await page.locator('[data-test-id=node-execute-button]').first().click();
					await waitFor(
						'the Send step to run in the editor',
						async () =>
							sandbox.sandbox.store.state.messages.filter((m) => !m.incoming).length > before
								? true
								: undefined,
						60,
					);
					const sent = sandbox.sandbox.store.state.messages.filter((m) => !m.incoming).slice(-1)[0];
					expect([sent.station, sent.partner]).toEqual([SEED.station, 'PARTNER_OK']);
				} finally {
					await browser.close();
				}
			},
			180_000,
		);
	});
}
