import { sleep } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { TestCredentialsHelper } from '../harness/n8n';
import { CREDENTIAL_ID, runNode } from '../harness/run';
import { credentialData, SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

const LIST = { resource: 'message', operation: 'getAll', folder: 'inbox', returnAll: true };

let env: TestEnv;
afterEach(async () => await env?.close());

async function list(credentials = env.credentials) {
	return await runNode({ credentials, parameters: LIST });
}

describe.each(['apiToken', 'password'] as const)('%s login', (login) => {
	test('logs in once and keeps the token across 20 executions', async () => {
		env = await startTestEnv({ login });
		for (let i = 0; i < 20; i++) expect((await list()).error).toBeUndefined();
		expect(env.running.sandbox.stats.logins[login]).toBe(1);
		expect(env.credentials.preAuthCalls).toBe(1);
		expect(env.running.sandbox.stats.byRoute().list).toBe(20);
	});

	test('an expired token is renewed once and the run succeeds', async () => {
		env = await startTestEnv({ login, config: { tokenTtlSeconds: 2 } });
		expect((await list()).error).toBeUndefined();
		await sleep(2100);
		expect((await list()).error).toBeUndefined();
		const { logins, refreshes } = env.running.sandbox.stats;
		// password sessions renew with the refresh token; API-token sessions log in again
		expect(
			login === 'password' ? [logins.password, refreshes] : [logins.apiToken, refreshes],
		).toEqual(login === 'password' ? [1, 1] : [2, 0]);
	});
});

test('a token that expires in the middle of a run is renewed once and the run completes', async () => {
	env = await startTestEnv({ login: 'password' });
	await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 's',
		count: 5,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});
	env.running.sandbox.faults.add({ route: 'get', action: { kind: 'expireToken' }, times: 1 });
	const run = await runNode({
		credentials: env.credentials,
		parameters: { ...LIST, options: { includeDetails: true, concurrency: 1 } },
	});
	expect(run.error).toBeUndefined();
	expect(run.items).toHaveLength(5);
	expect(env.running.sandbox.stats.refreshes).toBe(1);
	expect(env.running.sandbox.stats.logins.password).toBe(1);
});

test('a rejected refresh falls back to a password login', async () => {
	env = await startTestEnv({ login: 'password' });
	expect((await list()).error).toBeUndefined();
	env.running.sandbox.store.state.liveRefreshTokens.length = 0; // e.g. rotated by another n8n worker
	env.running.sandbox.expireAllTokens();
	expect((await list()).error).toBeUndefined();
	expect(env.running.sandbox.stats.logins.password).toBe(2);
	expect(env.running.sandbox.stats.refreshes).toBe(0);
	expect(env.credentials.get(CREDENTIAL_ID).refreshToken).toMatch(/^eyJ/);
});

test('a login that meets passing faults is tried again; bad credentials are not', async () => {
	env = await startTestEnv();
	env.running.sandbox.faults.add({
		route: 'authorize',
		action: { kind: 'status', status: 503 },
		times: 2,
	});
	expect((await list()).error).toBeUndefined();
	expect(
		env.running.sandbox.stats.requests.filter((r) => r.route === 'authorize').map((r) => r.status),
	).toEqual([503, 503, 200]);
	const credentials = new TestCredentialsHelper();
	credentials.set(CREDENTIAL_ID, { ...credentialData(env.running.url), tokenSecret: 'wrong' });
	env.running.sandbox.stats.reset();
	expect((await list(credentials)).error?.message).toMatch(/rejected the Token ID or Token Secret/);
	expect(env.running.sandbox.stats.requests.filter((r) => r.route === 'authorize')).toHaveLength(1);
});

describe('login failures say what is wrong, without secrets', () => {
	beforeEach(async () => {
		env = await startTestEnv();
	});

	test.each([
		[
			'wrong password',
			{ authentication: 'password', username: SEED.username, password: 'not-the-password' },
			/rejected the username or password \("Authentication Failed: Bad credentials"\)/,
		],
		[
			'wrong token secret',
			{ authentication: 'apiToken', tokenId: SEED.tokenId, tokenSecret: 'wrong-secret-value' },
			/rejected the Token ID or Token Secret/,
		],
		[
			'account without API access',
			{ authentication: 'password', username: SEED.noApiUsername, password: SEED.noApiPassword },
			/not allowed to use the MFT Gateway REST API/,
		],
	])('%s', async (_name, data, expected) => {
		const credentials = new TestCredentialsHelper();
		credentials.set(CREDENTIAL_ID, { ...data, baseUrl: env.running.url });
		const run = await list(credentials);
		expect(run.error?.message).toMatch(expected);
		for (const secret of ['not-the-password', 'wrong-secret-value', SEED.noApiPassword])
			expect(JSON.stringify(run.error)).not.toContain(secret);
	});

	test('unreachable host and a URL that is not the API', async () => {
		const credentials = new TestCredentialsHelper();
		credentials.set(CREDENTIAL_ID, credentialData('http://127.0.0.1:9', 'apiToken'));
		expect((await list(credentials)).error?.message).toMatch(
			/Could not connect to 127\.0\.0\.1:9: the connection was refused/,
		);
		credentials.set(CREDENTIAL_ID, credentialData(env.running.filesUrl, 'apiToken'));
		expect((await list(credentials)).error?.message).toMatch(
			/does not look like the MFT Gateway API: POST \/authorize answered HTTP 405/,
		);
		credentials.set(CREDENTIAL_ID, credentialData('ftp://example.com', 'apiToken'));
		expect((await list(credentials)).error?.message).toMatch(/must start with https:\/\//);
	});
});

describe('changed login details never reuse the old session', () => {
	let other: RunningSandbox;
	afterEach(async () => await other?.close());

	test('a new Base URL: the old token is not sent to the new host', async () => {
		env = await startTestEnv();
		expect((await list()).error).toBeUndefined();
		const oldToken = env.credentials.get(CREDENTIAL_ID).sessionToken;
		other = await startSandbox();
		env.credentials.set(CREDENTIAL_ID, {
			...env.credentials.get(CREDENTIAL_ID),
			baseUrl: other.url,
		});
		expect((await list()).error).toBeUndefined();
		// The stored token belongs to the old host: n8n logs in first, and no call goes out without a token.
		expect(other.sandbox.stats.requests.map((r) => [r.route, r.status, r.authorization])).toEqual([
			['authorize', 200, false],
			['list', 200, true],
		]);
		expect(env.credentials.get(CREDENTIAL_ID).sessionToken).not.toBe(oldToken);
	});

	test('a changed secret: the stored token is dropped and the new (wrong) secret is reported', async () => {
		env = await startTestEnv();
		expect((await list()).error).toBeUndefined();
		env.credentials.set(CREDENTIAL_ID, {
			...env.credentials.get(CREDENTIAL_ID),
			tokenSecret: 'typo',
		});
		const run = await list();
		expect(run.error?.message).toMatch(/rejected the Token ID or Token Secret/);
		expect(
			env.running.sandbox.stats.requests.filter((r) => r.route === 'list' && r.status === 200),
		).toHaveLength(1);
	});
});
