/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: dev-only */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SandboxClient } from '../harness/client';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
let server: Server;
let answer = 200;
let received: Array<{ body: Record<string, unknown>; headers: Record<string, unknown> }> = [];

beforeEach(async () => {
	env = await startTestEnv();
	received = [];
	answer = 200;
	server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (c: Buffer) => chunks.push(c));
		req.on('end', () => {
			received.push({ body: JSON.parse(Buffer.concat(chunks).toString()), headers: req.headers });
			res.writeHead(answer).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterEach(async () => {
	await new Promise((resolve) => server.close(resolve));
	await env.close();
});

const url = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
const admin = async (method: string, path: string, body?: unknown) => {
	const res = await fetch(`${env.running.url}/_sandbox/${path}`, {
		method,
		headers: { 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: res.status, json: (await res.json()) as Record<string, any> };
};
const inbound = () =>
	env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'PO 1',
		count: 1,
		files: [{ name: 'a.edi', contentType: 'application/edi-x12', content: Buffer.from('ISA~') }],
	});

test('registering tests the URL (as the console does); one endpoint per station, All Stations as fallback', async () => {
	expect((await admin('PUT', 'webhooks', { url: url(), station: SEED.station })).status).toBe(200);
	expect(received.map((r) => r.body)).toEqual([{}]);
	answer = 500;
	const refused = await admin('PUT', 'webhooks', { url: url(), station: '*' });
	expect([refused.status, refused.json.message]).toEqual([
		422,
		'The webhook URL did not answer 2xx to the test call (status 500)',
	]);
	expect(
		(await admin('PUT', 'webhooks', { url: url(), station: 'NOPE', test: false })).status,
	).toBe(404);
	expect((await admin('GET', 'webhooks')).json.endpoints).toEqual([
		{ station: SEED.station, url: url(), payloadStyle: 'both' },
	]);
});

test.each([
	['old', ['messageAS2ID', 'partnerAS2ID', 'stationAS2ID'], ['messageIdentifier']],
	['new', ['messageIdentifier', 'partnerIdentifier', 'stationIdentifier'], ['messageAS2ID']],
	['both', ['messageAS2ID', 'messageIdentifier', 'stationAS2ID', 'stationIdentifier'], []],
])(
	'payload style %s: the received, sent and failed bodies carry the reference fields',
	async (style, has, lacks) => {
		await admin('PUT', 'webhooks', { url: url(), payloadStyle: style, test: false });
		const [inId] = await inbound();
		const client = new SandboxClient(env.running.url);
		await client.login('apiToken');
		const sent = (await client.submit('PARTNER_OK')).json.messageIdentifier;
		const failed = (await client.submit('PARTNER_REJECTS')).json.messageIdentifier;
		await client.settle();
		await admin('POST', 'webhooks/idle');
		const bodies = Object.fromEntries(received.map((r) => [r.body.eventType, r.body]));
		expect(Object.keys(bodies).sort()).toEqual([
			'MESSAGE.RECEIVED.SUCCESS',
			'MESSAGE.SEND.FAILED',
			'MESSAGE.SEND.SUCCESS',
		]);
		for (const body of Object.values(bodies)) {
			for (const key of has) expect(body).toHaveProperty(key);
			for (const key of lacks) expect(body).not.toHaveProperty(key);
			expect(body).toMatchObject({
				stationName: expect.any(String),
				tenantEmail: expect.any(String),
			});
		}
		const id = (b: Record<string, unknown>) => b.messageIdentifier ?? b.messageAS2ID;
		expect(id(bodies['MESSAGE.RECEIVED.SUCCESS'])).toBe(inId);
		expect(bodies['MESSAGE.RECEIVED.SUCCESS'].receivedAt).toEqual(expect.any(Number));
		expect(id(bodies['MESSAGE.SEND.SUCCESS'])).toBe(sent);
		expect(bodies['MESSAGE.SEND.SUCCESS'].sentAt).toEqual(expect.any(Number));
		expect(id(bodies['MESSAGE.SEND.FAILED'])).toBe(failed);
		expect(bodies['MESSAGE.SEND.FAILED']).toMatchObject({
			failureReason: 'Received HTTP status code of 422',
			failures: 1,
			lastAttemptTime: expect.any(Number),
			subject: expect.any(String),
		});
		expect(received[0].headers['content-type']).toBe('application/json');
	},
);

test('faults: lost and doubled by seeded rate, an endpoint answering 500 is not retried (best effort)', async () => {
	await admin('PUT', 'webhooks', { url: url(), test: false });
	await admin('PUT', 'webhooks/faults', { lose: 0.5, duplicate: 0.5, delayMs: 20, seed: 3 });
	for (let i = 0; i < 40; i++) await inbound();
	await admin('POST', 'webhooks/idle');
	const { outcomes } = (await admin('GET', 'webhooks')).json;
	expect(outcomes.lost).toBeGreaterThan(10);
	expect(received.length).toBe(outcomes['2xx']);
	expect(received.length).toBeGreaterThan(40 - outcomes.lost); // some doubled
	await admin('PUT', 'webhooks/faults', {});
	answer = 500;
	const before = received.length;
	await inbound();
	await admin('POST', 'webhooks/idle');
	expect(received.length).toBe(before + 1);
	expect((await admin('GET', 'webhooks')).json.outcomes['status 500']).toBe(1);
	expect((await admin('PUT', 'webhooks/faults', { lose: 2 })).status).toBe(400);
});
