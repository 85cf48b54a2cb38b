import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { enc, SandboxClient } from '../harness/client';

let running: RunningSandbox;
let client: SandboxClient;
beforeEach(async () => {
	// Deliveries only when a test settles them, so lists are deterministic.
	running = await startSandbox({ config: { deliveryDelayMs: 3_600_000, maxRawBodyBytes: 1000 } });
	client = new SandboxClient(running.url);
	await client.login();
});
afterEach(async () => await running.close());

describe('POST /message/submit', () => {
	test('raw single attachment: 202, the id under both names and a Link header', async () => {
		const answer = await client.submit('PARTNER_OK');
		expect(answer.status).toBe(202);
		const id = answer.json.messageIdentifier;
		expect(id).toMatch(/^<\d+\.\d+@mftgateway\.com>$/);
		expect(answer.json).toEqual({
			message: 'Message queued successfully',
			messageIdentifier: id,
			as2MessageId: id,
		});
		expect(answer.headers.get('link')).toBe(`${running.url}/message/outbox/${id}`);
		const message = await client.call('GET', `/message/outbox/${enc(id)}`);
		expect(message.json).toMatchObject({
			identifier: id,
			msgStatus: 'Queued',
			senderIdentifier: SEED.station,
			receiverIdentifier: 'PARTNER_OK',
			attachmentInfo: [{ name: 'po.edi', size: '8' }],
		});
	});

	test('multipart with several files keeps each file, name and type', async () => {
		const boundary = 'XyZ123';
		const part = (name: string, type: string, body: string) =>
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: ${type}\r\n\r\n${body}\r\n`;
		const raw =
			part('a.edi', 'application/edi-x12', 'AAA') +
			part('b.xml', 'application/xml', '<b/>') +
			part('a.edi', 'text/plain', 'dup') +
			`--${boundary}--\r\n`;
		const answer = await client.call('POST', '/message/submit', {
			raw,
			headers: {
				'AS2-From': SEED.station,
				'AS2-To': 'PARTNER_OK',
				'Content-Type': `multipart/form-data; boundary=${boundary}`,
			},
		});
		expect(answer.status).toBe(202);
		const files = await client.call(
			'GET',
			`/message/outbox/${enc(answer.json.messageIdentifier)}/attachments`,
		);
		expect(files.json.total).toBe(3);
		expect(files.json.attachments.map((a: { name: string }) => a.name)).toEqual([
			'a.edi',
			'b.xml',
			'a-2.edi',
		]);
		const bodies = await Promise.all(
			files.json.attachments.map(async (a: { url: string }) => (await fetch(a.url)).text()),
		);
		expect(bodies).toEqual(['AAA', '<b/>', 'dup']);
	});

	test('documented and defensive errors, never HTML', async () => {
		const unknownPartner = await client.submit('NOBODY');
		expect(unknownPartner.status).toBe(422);
		expect(unknownPartner.json).toEqual({
			message: 'Unable to find partner with AS2 identifier: NOBODY',
		});
		expect((await client.submit('PARTNER_OK', 'x', { 'AS2-From': 'NOSTATION' })).json.message).toBe(
			'Unable to find station with AS2 identifier: NOSTATION',
		);
		const missing = await client.call('POST', '/message/submit', {
			raw: 'x',
			headers: { 'AS2-To': 'PARTNER_OK' },
		});
		expect(missing.status).toBe(400);
		expect(missing.json.message).toMatch(/AS2-From/);
		expect((await client.submit('PARTNER_OK', '')).status).toBe(400);
		const big = await client.submit('PARTNER_OK', 'x'.repeat(1001));
		expect(big.status).toBe(413);
		expect(big.json.message).toMatch(/too large/);
		const badMultipart = await client.call('POST', '/message/submit', {
			raw: 'garbage',
			headers: {
				'AS2-From': SEED.station,
				'AS2-To': 'PARTNER_OK',
				'Content-Type': 'multipart/form-data; boundary=zz',
			},
		});
		expect(badMultipart.status).toBe(400);
		const unknownRoute = await client.call('GET', '/nope');
		expect(unknownRoute.status).toBe(404);
		expect(unknownRoute.json.message).toMatch(/No such endpoint/);
		// nothing was stored by any refused submit
		expect(running.sandbox.store.state.messages).toHaveLength(0);
	});
});

describe('lists', () => {
	test('pageOffset is a page index, pageLength 1..100, sortDir, and no totals', async () => {
		const ids: string[] = [];
		for (let i = 0; i < 25; i++)
			ids.push((await client.submit('PARTNER_OK')).json.messageIdentifier);
		const page = (offset: number, length: number, dir = 'asc') =>
			client.call(
				'GET',
				`/message/outbox/queued?sortDir=${dir}&pageOffset=${offset}&pageLength=${length}`,
			);
		expect((await page(0, 10)).json.messages).toEqual(ids.slice(0, 10));
		expect((await page(2, 10)).json.messages).toEqual(ids.slice(20, 25));
		expect((await page(3, 10)).json.messages).toEqual([]);
		expect((await page(0, 3, 'desc')).json.messages).toEqual(ids.slice(-3).reverse());
		expect((await client.call('GET', '/message/outbox/queued')).json.messages).toHaveLength(10); // default pageLength
		for (const bad of [
			'pageLength=0',
			'pageLength=101',
			'pageLength=abc',
			'pageOffset=-1',
			'sortDir=up',
		]) {
			const answer = await client.call('GET', `/message/outbox/queued?${bad}`);
			expect(answer.status).toBe(400);
			expect(answer.json.message).toMatch(/Invalid value/);
		}
	});

	test('primary filters win over secondary ones; message id wins over subject; legacy names work', async () => {
		const a = (await client.submit('PARTNER_OK', 'a', { Subject: 'Invoice 1' })).json
			.messageIdentifier;
		const b = (await client.submit('PARTNER_FLAKY', 'b', { Subject: 'Invoice 2' })).json
			.messageIdentifier;
		const list = async (qs: string) =>
			(await client.call('GET', `/message/outbox/queued?sortDir=asc&${qs}`)).json.messages;
		expect(await list('partnerIdentifier=PARTNER_OK')).toEqual([a]);
		expect(await list('partnerAS2Id=PARTNER_FLAKY')).toEqual([b]);
		expect(await list(`partnerIdentifier=PARTNER_OK&identifier=${enc(b)}`)).toEqual([a]); // secondary ignored
		expect(await list(`identifier=${enc(b)}&subject=Invoice%201`)).toEqual([b]); // id beats subject
		expect(await list('subject=invoice')).toEqual([a, b]);
		expect(await list(`as2MessageId=${enc(a.slice(1, -1))}`)).toEqual([a]); // without brackets
		expect(await list(`stationIdentifier=${SEED.station}&partnerIdentifier=PARTNER_FLAKY`)).toEqual(
			[b],
		);
		expect(await list('service=sftp')).toEqual([]);
	});

	test('inbox read flag: lists show unread only, GET marks read by default, markUnread and fetchAll', async () => {
		const [first, second] = await client.inbound({ count: 2 });
		expect((await client.call('GET', '/message/inbox?sortDir=asc')).json.messages).toEqual([
			first,
			second,
		]);
		await client.call('GET', `/message/inbox/${enc(second)}?markAsRead=false`);
		const read = await client.call('GET', `/message/inbox/${enc(first)}`);
		expect(read.json).toMatchObject({
			identifier: first,
			isRead: true,
			apiFetched: true,
			incoming: true,
			msgStatus: 'Received',
		});
		expect((await client.call('GET', '/message/inbox')).json.messages).toEqual([second]);
		expect(
			(await client.call('GET', '/message/inbox?fetchAll=true&sortDir=asc')).json.messages,
		).toEqual([first, second]);
		const unread = await client.call('POST', `/message/inbox/${enc(first)}/markUnread`);
		expect(unread.json).toEqual({ message: `Successfully marked message ${first} as unread` });
		expect((await client.call('GET', '/message/inbox?sortDir=asc')).json.messages).toEqual([
			first,
			second,
		]);
	});
});

describe('get and delete', () => {
	test('documented 404 bodies', async () => {
		expect((await client.call('GET', '/message/inbox/%3Cnope%40x%3E')).json).toEqual({
			message: 'Message not found',
		});
		expect((await client.call('DELETE', '/message/outbox/%3Cnope%40x%3E')).json).toEqual({
			message: 'Unable to find message',
		});
		expect((await client.call('POST', '/message/inbox/%3Cnope%40x%3E/markUnread')).json).toEqual({
			message: 'Message not found',
		});
		expect((await client.call('GET', '/message/inbox/%3Cnope%40x%3E/attachments')).json).toEqual({
			message: 'Attachment(s) not found',
		});
		expect((await client.call('GET', '/message/inbox/%3Cnope%40x%3E/mdn')).json).toEqual({
			message: 'MDN not found',
		});
		expect(
			(
				await client.call('POST', '/message/inbox/delete', {
					body: { messageIdentifiers: ['<nope@x>'] },
				})
			).json,
		).toEqual({ message: 'Unable to find messages' });
	});

	test('ids with /, + and % are found when encoded, with or without brackets', async () => {
		const [id] = await client.inbound({ messageId: '<a/b+c%d@partner.example>' });
		expect(id).toBe('<a/b+c%d@partner.example>');
		expect((await client.call('GET', `/message/inbox/${enc(id)}`)).json.identifier).toBe(id);
		expect(
			(await client.call('GET', `/message/inbox/${enc('a/b+c%d@partner.example')}`)).status,
		).toBe(200);
		expect((await client.call('DELETE', `/message/inbox/${enc(id)}`)).json).toEqual({
			deleted: id,
		});
		expect((await client.call('GET', `/message/inbox/${enc(id)}`)).status).toBe(404);
	});

	test('batch delete: at most 100, legacy key accepted, deletes the ones found', async () => {
		const ids = await client.inbound({ count: 3 });
		const tooMany = await client.call('POST', '/message/inbox/delete', {
			body: { messageIdentifiers: Array.from({ length: 101 }, (_, i) => `<${i}@x>`) },
		});
		expect(tooMany.status).toBe(400);
		expect(tooMany.json.message).toMatch(/At most 100/);
		const answer = await client.call('POST', '/message/inbox/delete', {
			body: { as2MessageIds: [ids[0], ids[1], '<unknown@x>'] },
		});
		expect(answer.json).toEqual({ deleted: [ids[0], ids[1]] });
		expect((await client.call('GET', '/message/inbox?fetchAll=true')).json.messages).toEqual([
			ids[2],
		]);
		expect(running.sandbox.store.state.messages).toHaveLength(1);
	});
});
