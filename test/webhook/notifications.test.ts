import type { IDataObject } from 'n8n-workflow';

import { useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, runWebhook } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
let workflowCounter = 0;
let workflowId = '';
beforeEach(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv();
	workflowId = `wf-notifications-${++workflowCounter}`;
});
afterEach(async () => await env.close());

const ALL = ['messageReceived', 'messageSent', 'messageFailed'];

/** A real send-failure body captured by an integrator (reference §6), old keys only. */
const FAILED_OLD = {
	to: 'support@apiworx.com',
	messageAS2ID: '<720784109397786.as2@mftgateway.com>',
	messageSubject: 'TEST',
	partnerAS2ID: 'TEST_CON',
	partnerName: 'Test Partner',
	stationAS2ID: 'MCHP_NEW',
	stationName: 'Microchip UAT station',
	failureReason: 'Received HTTP status code of 422',
	failures: 1,
	lastAttemptTime: 1649915217058,
	attachments: ['AS2/files/MCHP_NEW/TEST_CON/outbox/720784109397786/EN_856.txt'],
	subject: 'TEST',
	bucketName: 'mftg-apiworx',
	tenantName: 'apiworx',
	tenantId: 708289069406346,
	tenantEmail: 'support@apiworx.com',
	eventType: 'MESSAGE.SEND.FAILED',
};

const call = (
	body: unknown,
	parameters: IDataObject = {},
	extra: { query?: IDataObject; staticData?: IDataObject; mode?: 'webhook' | 'manual' } = {},
) =>
	runWebhook({
		credentials: env.credentials,
		parameters: { events: ALL, ...parameters } as never,
		body,
		workflowId,
		...extra,
	});

test('a notification with the old key names starts the workflow with one readable item, answered with an empty 200', async () => {
	const result = await call(FAILED_OLD);
	expect(result.response).toEqual({ status: 200, ended: true });
	expect(result.noWebhookResponse).toBe(true);
	expect(result.items).toHaveLength(1);
	expect(result.items![0].json).toEqual({
		id: '<720784109397786.as2@mftgateway.com>',
		direction: 'sent',
		station: 'MCHP_NEW',
		stationName: 'Microchip UAT station',
		partner: 'TEST_CON',
		partnerName: 'Test Partner',
		subject: 'TEST',
		eventAt: '2022-04-14T05:46:57.058Z',
		attachments: [{ name: 'EN_856.txt', size: null }],
		failureReason: 'Received HTTP status code of 422',
		failures: 1,
		event: 'messageFailed',
		eventType: 'MESSAGE.SEND.FAILED',
		source: 'webhook',
	});
});

test('new key names, both at once, and the minimal failure body are read alike', async () => {
	const received = {
		messageIdentifier: '<1@mftgateway.com>',
		stationIdentifier: 'ST',
		partnerIdentifier: 'PA',
		messageSubject: 'PO 1',
		receivedAt: 1616041942383,
		eventType: 'MESSAGE.RECEIVED.SUCCESS',
	};
	const both = {
		...received,
		messageIdentifier: '<2@mftgateway.com>',
		messageAS2ID: '<2@mftgateway.com>',
		stationAS2ID: 'ST',
		partnerAS2ID: 'PA',
	};
	const minimal = {
		messageAS2ID: '<16160421683347496@mftgateway.com>',
		failureReason: 'Received HTTP status code of 422',
		eventType: 'MESSAGE.SEND.FAILED',
	};
	const items = [];
	for (const body of [received, both, minimal]) items.push((await call(body)).items![0].json);
	expect(items.map((j) => [j.id, j.station, j.partner, j.event, j.eventAt])).toEqual([
		['<1@mftgateway.com>', 'ST', 'PA', 'messageReceived', '2021-03-18T04:32:22.383Z'],
		['<2@mftgateway.com>', 'ST', 'PA', 'messageReceived', '2021-03-18T04:32:22.383Z'],
		['<16160421683347496@mftgateway.com>', null, null, 'messageFailed', null],
	]);
	expect(items[2].failureReason).toBe('Received HTTP status code of 422');
});

test.each([
	['not JSON object', 'hello'],
	['an array', [FAILED_OLD]],
	['no eventType', { messageAS2ID: '<1@x>' }],
	['an unknown eventType', { ...FAILED_OLD, eventType: 'MESSAGE.DELETED' }],
	['no message id', { eventType: 'MESSAGE.SEND.FAILED' }],
	['a control character in the id', { ...FAILED_OLD, messageAS2ID: '<a\r\nb@x>' }],
	['the console test call', {}],
])('%s: answered 200 with an empty body, ignored, static data untouched', async (_, body) => {
	const result = await call(body);
	expect([result.response, result.items, result.saved]).toEqual([
		{ status: 200, ended: true },
		undefined,
		false,
	]);
});

test('events not listened for, and events of another station or partner, are ignored', async () => {
	expect((await call(FAILED_OLD, { events: ['messageReceived'] })).items).toBeUndefined();
	const other = { options: { station: { __rl: true, mode: 'id', value: SEED.station } } };
	expect((await call(FAILED_OLD, other)).items).toBeUndefined();
	const partner = { options: { partner: { __rl: true, mode: 'list', value: 'PARTNER_OK' } } };
	expect((await call(FAILED_OLD, partner)).items).toBeUndefined();
	expect((await call({ ...FAILED_OLD, partnerAS2ID: 'PARTNER_OK' }, partner)).items).toHaveLength(
		1,
	);
});

test('with a URL token: a forged request (no token, wrong token) changes nothing, not even the ledger', async () => {
	const parameters = { options: { urlToken: 's3cret-Token' } };
	for (const query of [{}, { token: 's3cret-token' }, { token: 's3cret-Token-' }]) {
		const forged = await call(FAILED_OLD, parameters, { query });
		expect([forged.response, forged.items, forged.saved]).toEqual([
			{ status: 200, ended: true },
			undefined,
			false,
		]);
	}
	// The real notification afterwards still gets through: the forgeries claimed nothing.
	const real = await call(FAILED_OLD, parameters, { query: { token: 's3cret-Token' } });
	expect(real.items).toHaveLength(1);
	expect(JSON.stringify(real.items)).not.toContain('s3cret');
});

test('a duplicate notification starts nothing; the claim is saved in the static data n8n writes back', async () => {
	const first = await call(FAILED_OLD);
	expect(first.saved).toBe(true);
	const db = JSON.parse(JSON.stringify(first.staticData)) as IDataObject;
	const second = await call(FAILED_OLD, {}, { staticData: db });
	expect([first.items?.length, second.items]).toEqual([1, undefined]);
	// The same message can still fail, be sent or be received: those are other events.
	expect((await call({ ...FAILED_OLD, eventType: 'MESSAGE.SEND.SUCCESS' })).items).toHaveLength(1);
});

test('editor test calls (manual) claim nothing: the production call that follows still starts the workflow', async () => {
	expect((await call(FAILED_OLD, {}, { mode: 'manual' })).items).toHaveLength(1);
	expect((await call(FAILED_OLD, {}, { mode: 'manual' })).items).toHaveLength(1);
	expect((await call(FAILED_OLD)).items).toHaveLength(1);
});

test('Include Message Details and Download Attachments: the message through the API and its files as binary', async () => {
	const [id] = await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'Invoice 5',
		count: 1,
		files: [
			{ name: 'INV5.x12', contentType: 'application/edi-x12', content: Buffer.from('ISA*05~') },
		],
	});
	const body = {
		messageIdentifier: id,
		stationIdentifier: SEED.station,
		partnerIdentifier: 'PARTNER_OK',
		eventType: 'MESSAGE.RECEIVED.SUCCESS',
	};
	const result = await call(body, { includeMessage: true, downloadAttachments: true });
	const item = result.items![0];
	expect(item.json).toMatchObject({
		id,
		direction: 'received',
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'Invoice 5',
		read: false,
		attachments: [{ name: 'INV5.x12', size: 7 }],
		event: 'messageReceived',
		source: 'webhook',
	});
	expect(item.binary!.attachment_0).toMatchObject({ fileName: 'INV5.x12' });
	expect((await binaryBytes(item.binary!.attachment_0)).toString()).toBe('ISA*05~');
	// The webhook leaves the API read flag alone.
	expect(env.running.sandbox.store.findMessage(id, ['inbox'])?.isRead).toBe(false);
});

test('a lookup that fails does not lose the event: it goes on with what the notification said', async () => {
	await fetch(`${env.running.url}/_sandbox/faults`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ route: 'get', action: { kind: 'status', status: 404 }, times: 1 }),
	});
	const result = await call(
		{ ...FAILED_OLD, messageAS2ID: '<missing@mftgateway.com>' },
		{ includeMessage: true },
	);
	expect(result.items![0].json).toMatchObject({
		id: '<missing@mftgateway.com>',
		event: 'messageFailed',
		detailsError: expect.stringContaining('<missing@mftgateway.com>'),
	});
});
