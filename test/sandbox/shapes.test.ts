/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests are dev-only */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import { parse } from 'yaml';

import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { enc, SandboxClient } from '../harness/client';

/** The official spec's pre-2024 names → the names the service uses since 2024 (reference §1.1). */
const RENAMES: Record<string, string> = {
	api_token: 'apiToken',
	refresh_token: 'refreshToken',
	as2MessageId: 'identifier',
	senderAS2Id: 'senderIdentifier',
	receiverAS2Id: 'receiverIdentifier',
	serial_number: 'serialNumberHex',
	subject_common_name: 'subjectCommonName',
	subject_distinguish_name: 'subjectDistinguishName',
	issuer_common_name: 'issuerCommonName',
	issuer_distinguish_name: 'issuerDistinguishName',
	valid_from: 'validFrom',
};
/** Marked required in the 2022 spec, optional in the later Ballerina client (real messages lack them until sent). */
const OPTIONAL = new Set(['mdnMessage']);

type Schema = {
	$ref?: string;
	type?: string;
	required?: string[];
	properties?: Record<string, Schema>;
	items?: Schema;
};
const spec = parse(
	readFileSync(join(__dirname, '../../sandbox/spec/mftg-openapi-2022.yaml'), 'utf8'),
);

function resolve(schema: Schema): Schema {
	return schema.$ref
		? resolve(
				schema.$ref
					.split('/')
					.slice(1)
					// eslint-disable-next-line @typescript-eslint/no-explicit-any
					.reduce((node: any, key: string) => node[key], spec),
			)
		: schema;
}

function responseSchema(path: string, method: string, status: string): Schema {
	const response = spec.paths[path][method].responses[status];
	const content = Object.entries(response.content as Record<string, { schema: Schema }>).find(
		([type]) => type.startsWith('application/json'),
	);
	return resolve(content![1].schema);
}

/** Problems found checking `value` against `schema`, with `rename` applied to property names. */
function check(
	value: unknown,
	schema: Schema,
	rename: (key: string) => string,
	at = '$',
): string[] {
	const s = resolve(schema);
	const problems: string[] = [];
	const type = s.type ?? (s.properties ? 'object' : undefined);
	if (type === 'array') {
		if (!Array.isArray(value)) return [`${at}: expected array`];
		value.forEach((v, i) => problems.push(...check(v, s.items ?? {}, rename, `${at}[${i}]`)));
		if (s.required && s.items)
			value.forEach((v, i) =>
				problems.push(
					...check(v, { ...resolve(s.items!), required: s.required }, rename, `${at}[${i}]`),
				),
			);
		return problems;
	}
	if (type === 'object') {
		if (value === null || typeof value !== 'object' || Array.isArray(value))
			return [`${at}: expected object`];
		const object = value as Record<string, unknown>;
		for (const key of s.required ?? [])
			if (!(rename(key) in object) && !OPTIONAL.has(key))
				problems.push(`${at}: missing ${rename(key)}`);
		for (const [key, sub] of Object.entries(s.properties ?? {}))
			if (rename(key) in object)
				problems.push(...check(object[rename(key)], sub, rename, `${at}.${rename(key)}`));
		return problems;
	}
	const jsType = type === 'integer' ? 'number' : type;
	if (jsType && typeof value !== jsType) return [`${at}: expected ${type}, got ${typeof value}`];
	if (type === 'integer' && !Number.isInteger(value)) return [`${at}: expected integer`];
	return problems;
}

const renamed = (key: string) => RENAMES[key] ?? key;
const legacy = (key: string) => key;

let running: RunningSandbox;
let client: SandboxClient;
let sentId: string;
let inboxId: string;
beforeAll(async () => {
	running = await startSandbox({ config: { deliveryDelayMs: 5 } });
	client = new SandboxClient(running.url);
	await client.login();
	sentId = (await client.submit('PARTNER_OK')).json.messageIdentifier;
	[inboxId] = await client.inbound();
	await client.settle();
});
afterAll(async () => await running.close());

test.each([
	['/authorize', 'post', '200', async () => (await client.login('password')).json, renamed],
	['/message/submit', 'post', '202', async () => (await client.submit('PARTNER_OK')).json, legacy],
	[
		'/message/inbox',
		'get',
		'200',
		async () => (await client.call('GET', '/message/inbox?fetchAll=true')).json,
		legacy,
	],
	[
		'/message/inbox/{as2MessageId}',
		'get',
		'200',
		async () => (await client.call('GET', `/message/inbox/${enc(inboxId)}?markAsRead=false`)).json,
		renamed,
	],
	[
		'/message/inbox/{as2MessageId}',
		'get',
		'200',
		async () => (await client.call('GET', `/message/inbox/${enc(inboxId)}?markAsRead=false`)).json,
		legacy,
	],
	[
		'/message/outbox/{as2MessageId}',
		'get',
		'200',
		async () => (await client.call('GET', `/message/outbox/${enc(sentId)}`)).json,
		renamed,
	],
	[
		'/message/outbox/{as2MessageId}',
		'get',
		'200',
		async () => (await client.call('GET', `/message/outbox/${enc(sentId)}`)).json,
		legacy,
	],
	[
		'/message/inbox/{as2MessageId}/attachments',
		'get',
		'200',
		async () => (await client.call('GET', `/message/inbox/${enc(inboxId)}/attachments`)).json,
		legacy,
	],
	[
		'/message/outbox/{as2MessageId}/mdn',
		'get',
		'200',
		async () => (await client.call('GET', `/message/outbox/${enc(sentId)}/mdn`)).json,
		legacy,
	],
	[
		'/message/inbox/{as2MessageId}/markUnread',
		'post',
		'200',
		async () => (await client.call('POST', `/message/inbox/${enc(inboxId)}/markUnread`)).json,
		legacy,
	],
	[
		'/message/inbox/{as2MessageId}',
		'get',
		'404',
		async () => (await client.call('GET', '/message/inbox/%3Cx%3E')).json,
		legacy,
	],
	[
		'/certificate',
		'get',
		'200',
		async () => (await client.call('GET', '/certificate')).json,
		legacy,
	],
	[
		'/certificate/{alias}',
		'get',
		'200',
		async () => (await client.call('GET', '/certificate/mystation-signing')).json,
		renamed,
	],
	[
		'/certificate/{alias}',
		'get',
		'200',
		async () => (await client.call('GET', '/certificate/mystation-signing')).json,
		legacy,
	],
	[
		'/station',
		'post',
		'200',
		async () =>
			(
				await client.call('POST', '/station', {
					body: {
						name: 'S2',
						as2Identifier: 'S2',
						email: 'a@b.example',
						certificate: {
							type: 'NEW_SELF_SIGN_CERTIFICATE',
							commonName: 'S2',
							password: 'key-pass',
						},
					},
				})
			).json,
		legacy,
	],
	[
		'/station',
		'post',
		'422',
		async () =>
			(
				await client.call('POST', '/station', {
					body: {
						name: 'S',
						as2Identifier: SEED.station,
						email: 'a@b.example',
						certificate: {
							type: 'NEW_SELF_SIGN_CERTIFICATE',
							commonName: 'S',
							password: 'key-pass',
						},
					},
				})
			).json,
		legacy,
	],
	[
		'/partner',
		'post',
		'200',
		async () =>
			(
				await client.call('POST', '/partner?service=as2', {
					body: {
						name: 'P2',
						as2Identifier: 'P2',
						url: 'https://p2.example/as2',
						encryptionCertificate: 'TUlJQg==',
					},
				})
			).json,
		legacy,
	],
	[
		'/message/outbox/delete',
		'post',
		'200',
		async () =>
			(
				await client.call('POST', '/message/outbox/delete', {
					body: { messageIdentifiers: [sentId] },
				})
			).json,
		legacy,
	],
])('%s %s %s matches the official schema', async (path, method, status, call, rename) => {
	const schema = responseSchema(path, method, status);
	expect(check(await call(), schema, rename)).toEqual([]);
});

test('the checker itself finds a missing field and a wrong type', () => {
	const schema = responseSchema('/certificate/{alias}', 'get', '200');
	expect(check({ alias: 1 }, schema, renamed)).toEqual(
		expect.arrayContaining(['$: missing serialNumberHex', '$.alias: expected string, got number']),
	);
});
