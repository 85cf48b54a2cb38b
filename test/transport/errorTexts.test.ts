/** Issue 10, items 12 and 13: secrets redacted by value; errors that say what really went wrong. */
import { useFilesystemBinaryData } from '../harness/n8n';
import { CREDENTIAL_ID, runNode } from '../harness/run';
import { credentialData, SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
beforeAll(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv({ login: 'password' });
});
afterAll(async () => await env.close());
beforeEach(() => {
	env.running.sandbox.faults.clear();
	env.running.sandbox.stats.reset();
});

const run = (parameters: Record<string, unknown>) =>
	runNode({ credentials: env.credentials, parameters: parameters as never });
const LIST = {
	resource: 'message',
	operation: 'getAll',
	folder: 'sent',
	returnAll: false,
	limit: 1,
};
const texts = (error: { message: string; description?: string | null } | undefined) =>
	`${error?.message ?? ''}\n${error?.description ?? ''}\n${JSON.stringify(error ?? {})}`;

describe('secrets redacted by value', () => {
	test.each([
		[
			'password',
			{ ...credentialData('', 'password'), password: 'Pa$$-wörd "quoted" 42' },
			'Pa$$-wörd "quoted" 42',
		],
		[
			'token secret',
			{ ...credentialData('', 'apiToken'), tokenSecret: 'plain-secret-not-a-jwt' },
			'plain-secret-not-a-jwt',
		],
	])(
		'a login error page that echoes the request does not carry the %s',
		async (_, data, secret) => {
			env.credentials.set(CREDENTIAL_ID, { ...data, baseUrl: env.running.url });
			env.running.sandbox.faults.add({
				route: 'authorize',
				action: { kind: 'status', status: 400, body: 'echo', message: 'Bad request' },
				times: 1,
			});
			const result = await run(LIST);
			expect(result.error?.message).toMatch(/Login failed/);
			expect(result.error?.message).toMatch(/\[redacted\]/);
			for (const form of [secret, JSON.stringify(secret).slice(1, -1)])
				expect(texts(result.error)).not.toContain(form);
			env.credentials.set(CREDENTIAL_ID, credentialData(env.running.url, 'password'));
		},
	);

	test('an API error page that echoes the Authorization header does not carry the token', async () => {
		expect((await run(LIST)).error).toBeUndefined();
		const token = String(env.credentials.get(CREDENTIAL_ID).sessionToken);
		env.running.sandbox.faults.add({
			route: 'list',
			action: { kind: 'status', status: 400, body: 'echo', message: 'Proxy says' },
			times: 1,
		});
		const result = await run(LIST);
		expect(result.error?.message).toMatch(/Proxy says/);
		expect(texts(result.error)).not.toContain(token);
		expect(texts(result.error)).not.toContain(token.slice(-20));
	});
});

describe('errors say what really went wrong', () => {
	test('a download link that stays expired after the one renewal says so', async () => {
		const [id] = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'x',
			count: 1,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		env.running.sandbox.faults.add({
			route: 'file',
			action: { kind: 'status', status: 403, message: 'Request has expired' },
			times: 2,
		});
		const result = await run({
			resource: 'attachment',
			operation: 'getAll',
			box: 'inbox',
			messageId: id,
			output: 'binary',
			binaryMode: 'separate',
			binaryPropertyName: 'data',
		});
		expect(result.error?.message).toMatch(
			/Request has expired\. The download link had expired, and the new one MFT Gateway gave right after had expired too/,
		);
		expect(result.error?.message).not.toMatch(/not allowed/);
		expect(result.error?.message).not.toMatch(/X-Amz-Signature/);
	});

	test('Station Create with a new self-signed certificate asks for the key password, and sends it', async () => {
		const base = {
			resource: 'station',
			operation: 'create',
			name: 'S',
			as2Identifier: 'NEWSTATION',
			email: 'a@b.example',
			certificateType: 'NEW_SELF_SIGN_CERTIFICATE',
			commonName: 'S',
		};
		const missing = await run({ ...base, keyPassword: '={{ "" }}' }); // an expression passes the editor's required check
		expect(missing.error?.message).toBe('Private Key Password is empty');
		expect(env.running.sandbox.stats.requests).toEqual([]);
		const created = await run({ ...base, keyPassword: 'k3y-pass' });
		expect(created.error).toBeUndefined();
		expect(created.items[0].json).toMatchObject({ message: 'Station created successfully' });
	});

	test.each([
		[
			'certificate',
			{
				resource: 'certificate',
				operation: 'getAll',
				certType: '',
				returnAll: false,
				limit: 'ten',
			},
		],
		['station', { resource: 'station', operation: 'getAll', returnAll: false, limit: 0 }],
		[
			'message',
			{ resource: 'message', operation: 'getAll', folder: 'inbox', returnAll: false, limit: 2.5 },
		],
	])('numeric parameters are checked before any request (%s Get Many)', async (_, parameters) => {
		const result = await run(parameters);
		expect(result.error?.message).toMatch(/^Limit must be a whole number of at least 1/);
		expect(env.running.sandbox.stats.requests).toEqual([]);
	});
});
