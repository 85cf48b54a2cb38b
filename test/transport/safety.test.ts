/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests are dev-only */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

import { sleep } from 'n8n-workflow';

import { TestCredentialsHelper, useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, CREDENTIAL_ID, runNode } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
beforeAll(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv({ login: 'password', config: { presignTtlSeconds: 1 } });
});
afterAll(async () => await env.close());
beforeEach(() => {
	env.running.sandbox.faults.clear();
	env.running.sandbox.stats.reset();
});

const run = (parameters: Record<string, unknown>, items?: Parameters<typeof runNode>[0]['items']) =>
	runNode({ credentials: env.credentials, parameters: parameters as never, items });
const DOWNLOAD = {
	resource: 'attachment',
	operation: 'getAll',
	box: 'inbox',
	output: 'binary',
	binaryMode: 'separate',
	binaryPropertyName: 'data',
};

async function inbound(text: string): Promise<string> {
	const [id] = await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'x',
		count: 1,
		files: [{ name: 'in.edi', contentType: 'application/edi-x12', content: Buffer.from(text) }],
	});
	return id;
}

test('pre-signed downloads never carry the Authorization header', async () => {
	const id = await inbound('payload');
	const result = await run({ ...DOWNLOAD, messageId: id });
	expect(result.error).toBeUndefined();
	expect((await binaryBytes(result.items[0].binary!.data)).toString()).toBe('payload');
	const files = env.running.sandbox.stats.requests.filter((r) => r.route === 'file');
	expect(files).toHaveLength(1);
	expect(files[0].authorization).toBe(false);
	expect(
		env.running.sandbox.stats.requests.filter((r) => r.route === 'attachments')[0].authorization,
	).toBe(true);
});

test('an expired pre-signed URL is renewed once', async () => {
	const id = await inbound('late');
	// The first download waits past the URL's 1 s lifetime, so the file host refuses it as expired.
	env.running.sandbox.faults.add({
		route: 'file',
		action: { kind: 'latency', ms: 1200 },
		times: 1,
	});
	const result = await run({ ...DOWNLOAD, messageId: id });
	expect(result.error).toBeUndefined();
	expect((await binaryBytes(result.items[0].binary!.data)).toString()).toBe('late');
	expect(
		env.running.sandbox.stats.requests.filter((r) => r.route === 'file').map((r) => r.status),
	).toEqual([403, 200]);
	expect(env.running.sandbox.stats.byRoute().attachments).toBe(2);
});

test('CR/LF in a subject is refused before any request, naming the field', async () => {
	const result = await run({
		resource: 'message',
		operation: 'send',
		station: SEED.station,
		partner: 'PARTNER_OK',
		payload: 'text',
		text: 'x',
		fileName: 'a.edi',
		options: { subject: 'Invoice\r\nBcc: evil' },
	});
	expect(result.error?.message).toBe('Subject contains a carriage return (CR)');
	expect(env.running.sandbox.stats.requests).toHaveLength(0);
	const station = await run({
		resource: 'message',
		operation: 'send',
		station: 'MY\nSTATION',
		partner: 'PARTNER_OK',
		payload: 'text',
		text: 'x',
		fileName: 'a.edi',
	});
	expect(station.error?.message).toBe('Station (AS2-From) contains a line break (LF)');
	expect(env.running.sandbox.stats.requests).toHaveLength(0);
});

test('a streamed upload with a revoked token renews the session and sends once, without hanging', async () => {
	expect(
		(await run({ resource: 'message', operation: 'getAll', folder: 'queued', returnAll: true }))
			.error,
	).toBeUndefined();
	env.running.sandbox.expireAllTokens();
	env.running.sandbox.stats.reset();
	const started = Date.now();
	const result = await run(
		{
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_OK',
			payload: 'binary',
			binaryProperties: 'data',
		},
		[
			{
				binary: {
					data: {
						data: Buffer.alloc(256 * 1024, 7),
						fileName: 'big.bin',
						mimeType: 'application/octet-stream',
					},
				},
			},
		],
	);
	expect(result.error).toBeUndefined();
	expect(Date.now() - started).toBeLessThan(5000);
	expect(
		env.running.sandbox.stats.requests.filter((r) => r.route === 'submit').map((r) => r.status),
	).toEqual([401, 202]);
	const queued = env.running.sandbox.store.state.messages.filter((m) => !m.incoming);
	expect(queued).toHaveLength(1);
	expect(queued[0].attachments[0].size).toBe(256 * 1024);
});

test('redirects are not followed: the login details and the token stay on the configured host', async () => {
	// A host that redirects everything to the sandbox (as a misconfigured proxy, or an attacker, might).
	const redirector = createServer((req, res) => {
		res.writeHead(307, { Location: `${env.running.url}${req.url}` });
		res.end();
	});
	await new Promise<void>((resolve) => redirector.listen(0, '127.0.0.1', resolve));
	try {
		const credentials = new TestCredentialsHelper();
		credentials.set(CREDENTIAL_ID, {
			authentication: 'password',
			username: SEED.username,
			password: SEED.password,
			baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`,
		});
		const result = await runNode({
			credentials,
			parameters: { resource: 'message', operation: 'getAll', folder: 'inbox', returnAll: true },
		});
		expect(result.error?.message).toMatch(
			/answered the login with a redirect to http:\/\/127\.0\.0\.1:\d+\/authorize; it was not followed/,
		);
		expect(env.running.sandbox.stats.requests).toHaveLength(0);
		// A session that is already open does not follow an API redirect either.
		credentials.set(CREDENTIAL_ID, {
			...env.credentials.get(CREDENTIAL_ID),
			baseUrl: `http://127.0.0.1:${(redirector.address() as AddressInfo).port}`,
		});
		const stale = await runNode({
			credentials,
			parameters: { resource: 'message', operation: 'getAll', folder: 'inbox', returnAll: true },
		});
		expect(stale.error?.message).toMatch(/redirect/);
		expect(env.running.sandbox.stats.requests.filter((r) => r.authorization)).toHaveLength(0);
	} finally {
		redirector.close();
	}
});

test('no error text or output contains a token, a password, a secret or a URL signature', async () => {
	const texts: string[] = [];
	const collect = async (parameters: Record<string, unknown>) => {
		const result = await run(parameters);
		texts.push(
			JSON.stringify(result.error ?? null),
			result.error?.message ?? '',
			String(result.error?.description ?? ''),
			JSON.stringify(result.items),
		);
	};
	const id = await inbound('secret-free');
	env.running.sandbox.faults.add({ route: 'file', action: { kind: 'status', status: 500 } });
	await collect({ ...DOWNLOAD, messageId: id });
	env.running.sandbox.faults.clear();
	env.running.sandbox.faults.add({ route: 'list', action: { kind: 'status', status: 401 } });
	await collect({ resource: 'message', operation: 'getAll', folder: 'inbox', returnAll: true });
	env.running.sandbox.faults.clear();
	await collect({
		resource: 'mdn',
		operation: 'get',
		box: 'inbox',
		messageId: id,
		binaryPropertyName: 'mdn',
	});
	await collect({ resource: 'message', operation: 'get', box: 'outbox', messageId: '<missing@x>' });
	await sleep(10);
	const stored = env.credentials.get(CREDENTIAL_ID);
	const joined = texts.join('\n');
	expect(texts[1]).toMatch(/Download attachment "in.edi" .* failed/); // the download error is there
	for (const secret of [stored.sessionToken, stored.refreshToken, SEED.password])
		expect(joined).not.toContain(String(secret));
	expect(joined).not.toMatch(/eyJ[\w-]{10,}\./);
	expect(joined).not.toMatch(/X-Amz-Signature=[0-9a-f]{16}/);
});
