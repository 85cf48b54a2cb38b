/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test: dev-only */
import { setTimeout as sleep } from 'node:timers/promises';

import type { IDataObject } from 'n8n-workflow';

import { FILE_WAITS_MS } from '../../nodes/MftGatewayWebhookTrigger/webhook/handle';
import { SandboxClient } from '../harness/client';
import { TRIGGER_NODE_TYPE, useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, runPoll, runWebhook } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

/**
 * Download Attachments on the webhook trigger when the files are not in storage at notification time: a
 * received message's files are waited for; if they do not come, the event is not claimed, so the
 * reconciling trigger emits it later with its files. An event is never started without its files and
 * then hidden from reconciliation.
 */

let env: TestEnv;
let workflowCounter = 0;
let workflowId = '';
beforeEach(async () => {
	await useFilesystemBinaryData();
	env = await startTestEnv();
	workflowId = `wf-files-${++workflowCounter}`;
});
afterEach(async () => await env.close());

const WAIT_TOTAL_MS = FILE_WAITS_MS.reduce((a, b) => a + b, 0);

const RECONCILER = {
	name: 'Reconcile received',
	parameters: {
		event: 'messageReceived',
		trackBy: 'n8n',
		options: { reconcileWebhook: true, reconcileAfterSeconds: 0, downloadAttachments: true },
	},
};

/** A notification to the webhook trigger of a workflow that also has the reconciling trigger (or not). */
const notify = (body: IDataObject, staticData: IDataObject = {}, reconciled = true) =>
	runWebhook({
		credentials: env.credentials,
		parameters: { events: ['messageReceived', 'messageSent'], downloadAttachments: true },
		body,
		staticData,
		workflowId,
		otherTriggers: reconciled ? [RECONCILER] : [],
	});

async function received(): Promise<{ id: string; key: string; body: IDataObject }> {
	const [id] = await env.running.sandbox.deliverInbound({
		station: SEED.station,
		partner: 'PARTNER_OK',
		subject: 'late files',
		count: 1,
		files: [{ name: 'PO.x12', contentType: 'application/edi-x12', content: Buffer.from('PO-1') }],
	});
	const key = env.running.sandbox.store.findMessage(id, ['inbox'])!.attachments[0].key;
	const body = {
		messageIdentifier: id,
		stationIdentifier: SEED.station,
		partnerIdentifier: 'PARTNER_OK',
		eventType: 'MESSAGE.RECEIVED.SUCCESS',
	};
	return { id, key, body };
}

/** The file is not in storage yet (the attachment list answers 404); it comes after `ms`. */
function fileComesLate(key: string, ms: number): Promise<void> {
	const store = env.running.sandbox.store;
	store.deleteFile(key);
	return sleep(ms).then(async () => void (await store.writeFile(key, Buffer.from('PO-1'))));
}

function reconcilingPoller() {
	let staticData: IDataObject = {};
	return async () => {
		const result = await runPoll({
			credentials: env.credentials,
			nodeType: TRIGGER_NODE_TYPE,
			typeVersion: 2,
			nodeName: RECONCILER.name,
			workflowId,
			staticData,
			parameters: RECONCILER.parameters,
		});
		staticData = result.staticData;
		return result.items;
	};
}

test('files that reach storage shortly after the notification are waited for and come with the item', async () => {
	const { id, key, body } = await received();
	const arrival = fileComesLate(key, 1500);
	const result = await notify(body);
	await arrival;
	expect(result.items).toHaveLength(1);
	const item = result.items![0];
	expect(item.json).toMatchObject({ id, source: 'webhook' });
	expect(item.json.downloadError).toBeUndefined();
	expect((await binaryBytes(item.binary!.attachment_0)).toString()).toBe('PO-1');
	expect(result.saved).toBe(true);
});

test('files still missing after the waits: the event is not started nor claimed; the reconciling trigger emits it with its files', async () => {
	const poll = reconcilingPoller();
	expect(await poll()).toBeNull(); // activation
	const { id, key, body } = await received();
	const arrival = fileComesLate(key, WAIT_TOTAL_MS + 2000);
	const started = Date.now();
	const result = await notify(body);
	expect(Date.now() - started).toBeGreaterThanOrEqual(WAIT_TOTAL_MS);
	expect([result.items, result.saved]).toEqual([undefined, false]);
	await arrival;
	const items = (await poll())!;
	expect(items.map((i) => [i.json.id, i.json.source, i.json.downloadError])).toEqual([
		[id, 'reconciliation', undefined],
	]);
	expect((await binaryBytes(items[0].binary!.attachment_0)).toString()).toBe('PO-1');
	// A late duplicate of the notification now finds the event taken.
	expect((await notify(body)).items).toBeUndefined();
	expect(await poll()).toBeNull();
});

test('files still missing after the waits and no reconciling trigger in the workflow: the item is started with its downloadError, never dropped', async () => {
	const { id, key, body } = await received();
	const arrival = fileComesLate(key, WAIT_TOTAL_MS + 2000);
	const result = await notify(body, {}, false);
	expect(result.items).toHaveLength(1);
	expect(result.items![0].json).toMatchObject({ id, source: 'webhook' });
	expect(String(result.items![0].json.downloadError)).toContain('404');
	expect(result.saved).toBe(true);
	await arrival;
	// Claimed: a duplicate notification starts nothing.
	expect((await notify(body, result.staticData, false)).items).toBeUndefined();
});

test('an outbound event whose files are gone is started at once, with a downloadError, and claimed', async () => {
	const client = new SandboxClient(env.running.url);
	await client.login('apiToken');
	const id = (await client.submit('PARTNER_OK')).json.messageIdentifier as string;
	await client.settle();
	const message = env.running.sandbox.store.findMessage(id, ['sent'])!;
	for (const a of message.attachments) env.running.sandbox.store.deleteFile(a.key);
	const body = { messageIdentifier: id, eventType: 'MESSAGE.SEND.SUCCESS' };
	const started = Date.now();
	const result = await notify(body);
	expect(Date.now() - started).toBeLessThan(FILE_WAITS_MS[0]);
	expect(result.items![0].binary).toBeUndefined();
	expect(result.items![0].json.downloadError).toBe(
		`MFT Gateway lists no files of message ${id} (404)`,
	);
	expect((await notify(body, result.staticData)).items).toBeUndefined();
});
