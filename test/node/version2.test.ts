/**
 * Node version 2: stations, partners and certificates are picked from the account's lists (resource
 * locators filled by methods.listSearch), typed by identifier, or given by an expression; version 1
 * workflows keep their plain text fields.
 */
import { LoadOptionsContext } from 'n8n-core';
import type { INode, INodeListSearchResult } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';

import { listSearch } from '../../nodes/MftGateway/methods/listSearch';
import { ACTION_NODE_TYPE, additionalData, nodeTypes, TRIGGER_NODE_TYPE } from '../harness/n8n';
import { CREDENTIAL_ID, runNode, runPoll } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
beforeAll(async () => (env = await startTestEnv()));
afterAll(async () => await env.close());

const fromList = (value: string) => ({ __rl: true, mode: 'list', value });
const byId = (value: string) => ({ __rl: true, mode: 'id', value });
const V2 = { typeVersion: 2 };

async function search(
	method: keyof typeof listSearch,
	filter?: string,
): Promise<INodeListSearchResult> {
	const node: INode = {
		id: 'n',
		name: 'MFT Gateway',
		type: ACTION_NODE_TYPE,
		typeVersion: 2,
		position: [0, 0],
		parameters: {},
		credentials: { mftGatewayApi: { id: CREDENTIAL_ID, name: 'sandbox' } },
	};
	const workflow = new Workflow({
		id: 'w',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
	});
	const context = new LoadOptionsContext(
		workflow,
		node,
		additionalData(env.credentials, 'load-options'),
		'parameters.station',
	);
	return await listSearch[method].call(context, filter);
}

test('the lists are filled from the account and searchable', async () => {
	expect((await search('searchStations')).results).toEqual([
		expect.objectContaining({ value: SEED.station }),
	]);
	const partners = await search('searchPartners');
	expect(partners.results.map((r) => r.value)).toEqual(
		expect.arrayContaining([
			'PARTNER_OK',
			'PARTNER_REJECTS',
			'PARTNER_FLAKY',
			'PARTNER_DOWN',
			'PARTNER_NO_MDN',
		]),
	);
	expect((await search('searchPartners', 'flaky')).results.map((r) => r.value)).toEqual([
		'PARTNER_FLAKY',
	]);
	const certificates = await search('searchCertificates');
	expect(certificates.results.length).toBeGreaterThan(0);
	expect(certificates.results[0].name).toMatch(/\((STATION|PARTNER|HTTPS)/);
});

test('Send (version 2): station from the list, partner by identifier', async () => {
	const result = await runNode({
		credentials: env.credentials,
		settings: V2,
		parameters: {
			resource: 'message',
			operation: 'send',
			station: fromList(SEED.station),
			partner: byId('PARTNER_OK'),
			payload: 'text',
			text: 'ISA*00*~',
			fileName: 'po.x12',
		} as never,
	});
	expect(result.error).toBeUndefined();
	expect(result.items[0].json).toMatchObject({
		deliveryStatus: 'queued',
		station: SEED.station,
		partner: 'PARTNER_OK',
	});
});

test('Send (version 2) with Wait for Delivery: Simplify keeps one id, the status, what was sent and the MDN summary; off, the API object', async () => {
	const send = (simplify: boolean) =>
		runNode({
			credentials: env.credentials,
			settings: V2,
			parameters: {
				resource: 'message',
				operation: 'send',
				station: fromList(SEED.station),
				partner: fromList('PARTNER_OK'),
				payload: 'text',
				text: 'ISA*00*~',
				fileName: 'po.x12',
				waitForDelivery: true,
				waitTimeout: 20,
				pollInterval: 1,
				options: { subject: 'PO 1' },
				simplify,
			} as never,
		});
	const simple = (await send(true)).items[0].json;
	expect(simple).toEqual({
		id: expect.stringMatching(/^<.+>$/),
		deliveryStatus: 'sent',
		timedOut: false,
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'PO 1',
		attachments: [{ name: 'po.x12', contentType: 'application/edi-x12', size: 8 }],
		failureReason: null,
		mdn: expect.objectContaining({ status: 'Received; MDN Signature Verified', micMatches: true }),
	});
	const raw = (await send(false)).items[0].json;
	expect(raw).toMatchObject({
		messageIdentifier: expect.any(String),
		deliveryStatus: 'sent',
		msgStatus: 'Sent',
	});
	expect(raw.as2MessageId ?? raw.identifier).toBeDefined();
});

test('Send (version 2): an expression in the locator works, and an empty pick is refused before sending', async () => {
	const expression = await runNode({
		credentials: env.credentials,
		settings: V2,
		items: [{ json: { to: 'PARTNER_OK' } }],
		parameters: {
			resource: 'message',
			operation: 'send',
			station: fromList(SEED.station),
			partner: byId('={{ $json.to }}'),
			payload: 'text',
			text: 'x',
			fileName: 'a.edi',
		} as never,
	});
	expect(expression.items[0].json.partner).toBe('PARTNER_OK');
	const submits = env.running.sandbox.stats.byRoute().submit;
	// n8n itself refuses a required locator without a value, before the node runs.
	await expect(
		runNode({
			credentials: env.credentials,
			settings: V2,
			parameters: {
				resource: 'message',
				operation: 'send',
				station: fromList(''),
				partner: byId('PARTNER_OK'),
				payload: 'text',
				text: 'x',
				fileName: 'a.edi',
			} as never,
		}),
	).rejects.toThrow(/workflow has issues/);
	expect(env.running.sandbox.stats.byRoute().submit).toBe(submits);
});

test('Get Many (version 2) filters by a partner picked from the list; Partner Update and Certificate Get take locators', async () => {
	const [id] = await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_FLAKY',
		subject: 'v2',
		count: 1,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});
	const listed = await runNode({
		credentials: env.credentials,
		settings: V2,
		parameters: {
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			filters: { partner: fromList('PARTNER_FLAKY') },
			options: { includeRead: true },
		} as never,
	});
	expect(listed.items.map((i) => i.json.messageIdentifier)).toEqual([id]);
	const updated = await runNode({
		credentials: env.credentials,
		settings: V2,
		parameters: {
			resource: 'partner',
			operation: 'update',
			identifier: fromList('PARTNER_OK'),
			updateFields: { name: 'Partner OK (v2)' },
		} as never,
	});
	expect(updated.error).toBeUndefined();
	const [certificate] = (await search('searchCertificates')).results;
	const got = await runNode({
		credentials: env.credentials,
		settings: V2,
		parameters: {
			resource: 'certificate',
			operation: 'get',
			alias: fromList(String(certificate.value)),
		} as never,
	});
	expect(got.items[0].json.alias).toBe(certificate.value);
});

test('the trigger (version 2) filters by a station picked from the list', async () => {
	const staticData = {};
	const poll = () =>
		runPoll({
			credentials: env.credentials,
			nodeType: TRIGGER_NODE_TYPE,
			typeVersion: 2,
			staticData,
			parameters: {
				event: 'messageReceived',
				trackBy: 'n8n',
				options: { station: fromList(SEED.station), partner: byId('PARTNER_DOWN') },
			} as never,
		});
	await poll();
	const [id] = await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_DOWN',
		subject: 'v2 trigger',
		count: 1,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});
	await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'other partner',
		count: 1,
		files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
	});
	const result = await poll();
	expect(result.items?.map((i) => i.json.id)).toEqual([id]); // simplified (version 2)
});

describe('Simplify (version 2, on by default)', () => {
	const deliver = () =>
		env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'Invoice 42',
			count: 1,
			files: [
				{
					name: 'INV-42.x12',
					contentType: 'application/edi-x12',
					content: Buffer.from('ISA*00*INV42~'),
				},
			],
		});

	test('Message Get: one id, the station and the partner, ISO times, sizes as numbers, no legacy duplicates', async () => {
		const [id] = await deliver();
		const simple = await runNode({
			credentials: env.credentials,
			settings: V2,
			parameters: {
				resource: 'message',
				operation: 'get',
				box: 'inbox',
				messageId: id,
				markAsRead: false,
			} as never,
		});
		expect(simple.items[0].json).toEqual({
			id,
			direction: 'received',
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'Invoice 42',
			status: 'Received',
			timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
			read: false,
			attachments: [{ name: 'INV-42.x12', size: 13 }],
			failureReason: null,
			failures: 0,
			lastAttemptAt: null,
			signed: true,
			encrypted: true,
			mdn: expect.objectContaining({ disposition: expect.any(String) }),
		});
		const raw = await runNode({
			credentials: env.credentials,
			settings: V2,
			parameters: {
				resource: 'message',
				operation: 'get',
				box: 'inbox',
				messageId: id,
				markAsRead: false,
				simplify: false,
			} as never,
		});
		expect(raw.items[0].json).toMatchObject({
			identifier: id,
			as2MessageId: id,
			senderIdentifier: 'PARTNER_OK',
			transportHeaders: expect.any(Object),
		});
		expect(raw.items[0].json.timestampIso).toBeUndefined();
		const v1 = await runNode({
			credentials: env.credentials,
			parameters: {
				resource: 'message',
				operation: 'get',
				box: 'inbox',
				messageId: id,
				markAsRead: false,
			} as never,
		});
		expect(v1.items[0].json).toMatchObject({ identifier: id, timestampIso: expect.any(String) });
	});

	test('Get Many with details and the trigger output the simplified message too', async () => {
		const staticData = {};
		const poll = () =>
			runPoll({
				credentials: env.credentials,
				nodeType: TRIGGER_NODE_TYPE,
				typeVersion: 2,
				staticData,
				parameters: { event: 'messageReceived', trackBy: 'n8n', options: {} } as never,
			});
		await poll();
		const [id] = await deliver();
		const emitted = await poll();
		expect(emitted.items?.[0].json).toMatchObject({
			id,
			event: 'messageReceived',
			partner: 'PARTNER_OK',
			attachments: [{ name: 'INV-42.x12', size: 13 }],
		});
		expect(emitted.items?.[0].json.identifier).toBeUndefined();
		const listed = await runNode({
			credentials: env.credentials,
			settings: V2,
			parameters: {
				resource: 'message',
				operation: 'getAll',
				folder: 'inbox',
				returnAll: false,
				limit: 1,
				options: { includeRead: true, includeDetails: true },
			} as never,
		});
		expect(Object.keys(listed.items[0].json)).toContain('direction');
		expect(listed.items[0].json.as2MessageId).toBeUndefined();
	});
});
