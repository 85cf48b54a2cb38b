import { sleep } from 'n8n-workflow';

import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { SandboxClient } from '../harness/client';

let running: RunningSandbox;
let client: SandboxClient;
beforeAll(async () => {
	running = await startSandbox({ config: { tokenTtlSeconds: 1 } });
	client = new SandboxClient(running.url);
});
afterAll(async () => await running.close());

describe('POST /authorize', () => {
	test('username/password gives an api token and a refresh token (post-2024 names)', async () => {
		const answer = await client.login('password');
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
		expect(answer.json).toEqual({
			apiToken: expect.stringMatching(/^eyJ/),
			refreshToken: expect.stringMatching(/^eyJ/),
			apiTokenExpiryIn: 1,
		});
	});

	test('API Token ID/Secret gives an api token without a refresh token; tokenId is tolerated', async () => {
		const answer = await client.login('apiToken');
		expect(answer.status).toBe(200);
		expect(answer.json.apiToken).toMatch(/^eyJ/);
		expect(answer.json.refreshToken).toBeUndefined();
		const lower = await client.call('POST', '/authorize', {
			body: { tokenId: SEED.tokenId, tokenSecret: SEED.tokenSecret },
			token: null,
		});
		expect(lower.status).toBe(200);
	});

	test('bad credentials get the documented 401 body', async () => {
		for (const body of [
			{ username: SEED.username, password: 'wrong' },
			{ tokenID: SEED.tokenId, tokenSecret: 'wrong' },
		]) {
			const answer = await client.call('POST', '/authorize', { body, token: null });
			expect(answer.status).toBe(401);
			expect(answer.json).toEqual({ message: 'Authentication Failed: Bad credentials' });
		}
	});

	test('an account that may not use the API gets 403; a body without credentials 400; malformed JSON 400', async () => {
		expect(
			(
				await client.call('POST', '/authorize', {
					body: { username: SEED.noApiUsername, password: SEED.noApiPassword },
					token: null,
				})
			).status,
		).toBe(403);
		const empty = await client.call('POST', '/authorize', { body: {}, token: null });
		expect(empty.status).toBe(400);
		expect(empty.json.message).toMatch(/username and password, or tokenID and tokenSecret/);
		const malformed = await client.call('POST', '/authorize', {
			raw: '{"username":',
			headers: { 'Content-Type': 'application/json' },
			token: null,
		});
		expect(malformed.status).toBe(400);
		expect(malformed.json).toEqual({ message: 'Malformed JSON in request body' });
	});
});

describe('protected endpoints', () => {
	test('missing, forged and expired tokens get 401 with a JSON message', async () => {
		expect((await client.call('GET', '/message/inbox', { token: null })).json).toEqual({
			message: 'Unauthorized',
		});
		await client.login();
		const [head, body] = client.token.split('.');
		const forged = `${head}.${body}.${'A'.repeat(43)}`;
		const forgedAnswer = await client.call('GET', '/message/inbox', { token: forged });
		expect(forgedAnswer.status).toBe(401);
		const tampered = `${head}.${Buffer.from(JSON.stringify({ sub: SEED.username, kind: 'api', jti: 'x', iat: 0, exp: 9e9 })).toString('base64url')}.${client.token.split('.')[2]}`;
		expect((await client.call('GET', '/message/inbox', { token: tampered })).status).toBe(401);
		expect((await client.call('GET', '/message/inbox')).status).toBe(200);
		expect(
			(await client.call('GET', '/message/inbox', { token: `Bearer ${client.token}` })).status,
		).toBe(200);
		await sleep(1100);
		const expired = await client.call('GET', '/message/inbox');
		expect(expired.status).toBe(401);
		expect(expired.json).toEqual({ message: 'The incoming token has expired' });
	});
});

describe('POST /refresh-session', () => {
	test('rotates: the new pair works, the used refresh token is refused with the documented 500', async () => {
		const login = await client.login('password');
		const first = login.json.refreshToken;
		const refreshed = await client.call('POST', '/refresh-session', {
			body: { username: SEED.username, refreshToken: first },
			token: null,
		});
		expect(refreshed.status).toBe(200);
		expect(refreshed.json.refreshToken).not.toBe(first);
		expect(
			(await client.call('GET', '/message/inbox', { token: refreshed.json.apiToken })).status,
		).toBe(200);
		const again = await client.call('POST', '/refresh-session', {
			body: { username: SEED.username, refreshToken: first },
			token: null,
		});
		expect(again.status).toBe(500);
		expect(again.json).toEqual({ message: 'Error occurred while refreshing the user session' });
		const otherUser = await client.call('POST', '/refresh-session', {
			body: { username: 'someone@else.test', refreshToken: refreshed.json.refreshToken },
			token: null,
		});
		expect(otherUser.status).toBe(500);
		expect(running.sandbox.stats.refreshes).toBe(1);
	});

	test('an api token is not a refresh token', async () => {
		await client.login('password');
		const answer = await client.call('POST', '/refresh-session', {
			body: { username: SEED.username, refreshToken: client.token },
			token: null,
		});
		expect(answer.status).toBe(500);
	});
});
