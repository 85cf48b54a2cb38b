/* eslint-disable @n8n/community-nodes/no-deprecated-workflow-functions -- emulates n8n's HTTP Request node, which uses the legacy helper */
/**
 * Issue 10, items 3 to 5: one renewal for every request in flight, no API request without a token, and
 * the credential in n8n's legacy request path (the HTTP Request node's "Predefined Credential Type").
 */
import type { IExecuteFunctions, INodeExecutionData, INodeType } from 'n8n-workflow';

import { MftGatewayApi } from '../../credentials/MftGatewayApi.credentials';
import { registerNodeType } from '../harness/n8n';
import { CREDENTIAL_ID, runNode } from '../harness/run';
import { type LoginMode, SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
afterEach(async () => await env?.close());

const LEGACY_NODE = 'test.legacyHttpRequest';
/** What n8n's HTTP Request node does with a predefined credential: the legacy helper, options with `uri`. */
class LegacyHttpRequest implements INodeType {
	description = {
		displayName: 'Legacy HTTP',
		name: 'legacyHttpRequest',
		group: [],
		version: 1,
		description: '',
		defaults: {},
		inputs: ['main'],
		outputs: ['main'],
		credentials: [{ name: 'mftGatewayApi', required: true }],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const out: INodeExecutionData[] = [];
		for (const [i, item] of this.getInputData().entries()) {
			try {
				const body = await this.helpers.requestWithAuthentication.call(this, 'mftGatewayApi', {
					method: 'GET',
					uri: String(item.json.url),
					json: true,
				});
				out.push({ json: { ok: true, body }, pairedItem: { item: i } });
			} catch (error) {
				out.push({ json: { ok: false, error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}
registerNodeType(LEGACY_NODE, new LegacyHttpRequest());

async function withMessages(login: LoginMode, count: number): Promise<string[]> {
	env = await startTestEnv({ login });
	const ids = await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'x',
		count,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});
	// A first run stores the session, as a workflow that ran before would have.
	expect((await getMany()).error).toBeUndefined();
	env.running.sandbox.stats.reset();
	return ids;
}

const getMany = (concurrency = 10) =>
	runNode({
		credentials: env.credentials,
		parameters: {
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			options: { includeRead: true, includeDetails: true, concurrency },
		},
	});

describe('one renewal for everything in flight', () => {
	test.each([
		['apiToken', { apiToken: 1, password: 0 }, 0],
		['password', { apiToken: 0, password: 0 }, 1],
	] as const)(
		'10 parallel detail reads meet an expired token (%s): logins %j, refreshes %d',
		async (login, logins, refreshes) => {
			const ids = await withMessages(login, 30);
			// The first detail read finds the token expired; the nine others in flight carry it too.
			env.running.sandbox.faults.add({ route: 'get', action: { kind: 'expireToken' }, times: 1 });
			const run = await getMany(10);
			expect(run.error).toBeUndefined();
			expect(run.items.map((i) => i.json.identifier).sort()).toEqual([...ids].sort());
			const unauthorized = env.running.sandbox.stats.requests.filter(
				(r) => r.status === 401,
			).length;
			expect(unauthorized).toBeGreaterThanOrEqual(5);
			expect(env.running.sandbox.stats.logins).toEqual(logins);
			expect(env.running.sandbox.stats.refreshes).toBe(refreshes);
		},
	);

	test('two executions of the same credential at once, token revoked: one login', async () => {
		await withMessages('apiToken', 20);
		env.running.sandbox.expireAllTokens();
		const [a, b] = await Promise.all([getMany(5), getMany(5)]);
		expect(a.error ?? b.error).toBeUndefined();
		expect(a.items).toHaveLength(20);
		expect(b.items).toHaveLength(20);
		expect(env.running.sandbox.stats.logins.apiToken).toBe(1);
	});
});

describe('no request without Authorization', () => {
	test.each(['apiToken', 'password'] as const)(
		'a stored token known to be expired is renewed before the call (%s)',
		async (login) => {
			await withMessages(login, 2);
			env.credentials.set(CREDENTIAL_ID, {
				...env.credentials.get(CREDENTIAL_ID),
				sessionExpiresAt: Date.now() - 1000,
			});
			expect((await getMany()).error).toBeUndefined();
			const bare = env.running.sandbox.stats.requests.filter(
				(r) => !r.authorization && r.route !== 'authorize' && r.route !== 'refresh',
			);
			expect(bare).toEqual([]);
			expect(env.running.sandbox.stats.requests.filter((r) => r.status === 401)).toEqual([]);
		},
	);

	test('a changed password: the old token is not sent, the new login comes first', async () => {
		await withMessages('password', 1);
		const stored = env.credentials.get(CREDENTIAL_ID);
		// The password was changed in the credential (here to one the account refuses, to see the order of calls).
		env.credentials.set(CREDENTIAL_ID, { ...stored, password: 'changed-password' });
		const run = await getMany();
		expect(run.error?.message).toMatch(/rejected the username or password/);
		expect(env.running.sandbox.stats.requests.map((r) => [r.route, r.authorization])).toEqual([
			['authorize', false],
		]);
	});
});

describe("the credential in n8n's legacy request path (HTTP Request node)", () => {
	test('options with uri, not url: the token goes to the API host only', async () => {
		const credential = new MftGatewayApi();
		const data = {
			authentication: 'apiToken',
			baseUrl: 'https://api.mftgateway.com',
			tokenId: 'id',
			tokenSecret: 'secret',
		};
		const session = { sessionToken: 'T', sessionExpiresAt: Date.now() + 60_000 };
		const owner = (await credential
			.authenticate({ ...data, ...session, sessionOwner: '' }, {
				uri: 'https://api.mftgateway.com/partner',
			} as never)
			.catch((e: Error) => e)) as Error;
		expect(owner.message).toMatch(/must be renewed/);
		expect((owner as unknown as { response: { status: number } }).response.status).toBe(401);
		const elsewhere = await credential.authenticate({ ...data, ...session }, {
			uri: 'https://example.com/hook',
			headers: {},
		} as never);
		expect(elsewhere.headers).toEqual({});
	});

	test('through n8n-core: works, and failed items (404) do not log in again', async () => {
		await withMessages('apiToken', 1);
		const api = env.running.url;
		const items = [
			`${api}/message/inbox?service=as2&fetchAll=true`,
			`${api}/message/inbox/${encodeURIComponent('<nope@x>')}?service=as2`,
			`${api}/message/outbox/${encodeURIComponent('<gone@x>')}?service=as2`,
			`${api}/station`,
		];
		const run = await runNode({
			credentials: env.credentials,
			nodeType: LEGACY_NODE,
			items: items.map((url) => ({ json: { url } })),
			parameters: {},
		});
		expect(run.error).toBeUndefined();
		expect(run.items.map((i) => [i.json.ok, i.json.error])).toEqual([
			[true, undefined],
			[false, expect.stringMatching(/could not be found/)],
			[false, expect.stringMatching(/could not be found/)],
			[true, undefined],
		]);
		expect((run.items[0].json.body as { messages: string[] }).messages).toHaveLength(1);
		expect(env.running.sandbox.stats.logins).toEqual({ apiToken: 0, password: 0 });
		expect(env.running.sandbox.stats.requests.filter((r) => !r.authorization)).toEqual([]);
	});
});
