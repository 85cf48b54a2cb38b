/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests are dev-only */
import { createServer } from 'node:net';

import { verifySignedData } from '../../nodes/MftGateway/as2/cms';
import { decodeBody, parseEntity, parts } from '../../nodes/MftGateway/as2/mime';
import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { AS2_LOOP } from '../../sandbox/as2/loopSeed';
import { stationKeys } from '../../sandbox/as2/keys';
import { enc, SandboxClient } from '../harness/client';

let running: RunningSandbox;
let client: SandboxClient;
beforeAll(async () => {
	running = await startSandbox({
		as2Loop: true,
		config: { deliveryDelayMs: 60_000, retryDelayMs: 10, maxAttempts: 2 },
	});
	client = new SandboxClient(running.url);
	await client.login();
});
afterAll(async () => await running.close());

const outbox = async (id: string) => (await client.call('GET', `/message/outbox/${enc(id)}`)).json;
const settings = (partner: string, values: Record<string, unknown>) =>
	client.call('PUT', '/partner?service=as2', { body: { identifier: partner, ...values } });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
async function sendAndSettle(content: string): Promise<Record<string, any>> {
	const submitted = await client.submit(AS2_LOOP.partner, content);
	expect(submitted.status).toBe(202);
	await client.settle();
	await running.sandbox.as2Receiver.idle();
	return await outbox(submitted.json.messageIdentifier);
}

test('MYSTATION → SANDBOX_B over real AS2 HTTP: sent with a verified signed MDN, stored once in B’s inbox', async () => {
	const content = `ISA*00*loop ${Date.now()}~`;
	const sent = await sendAndSettle(content);
	expect(sent).toMatchObject({
		msgStatus: 'Sent',
		mdnStatus: 'Received; MDN Signature Verified',
		transportStatusReceived: 200,
		micMatches: true,
	});
	expect(sent.transportHeaders).toMatchObject({
		'AS2-From': SEED.station,
		'AS2-To': AS2_LOOP.partner,
		'AS2-Version': '1.2',
	});
	expect(sent.mic).toMatch(/^[A-Za-z0-9+/]+=*, sha-256$/);
	expect(sent.mdnMessage).toMatchObject({
		disposition: 'automatic-action/MDN-sent-automatically; processed',
		mic: sent.mic,
		signed: true,
	});
	// The MDN kept is the one station B wrote and signed, verifiable with B's certificate.
	const mdnUrl = (await client.call('GET', `/message/outbox/${enc(sent.identifier)}/mdn`)).json.url;
	const raw = Buffer.from(await (await fetch(mdnUrl)).arrayBuffer());
	const [report, signature] = parts(parseEntity(raw));
	const stationB = running.sandbox.store.state.stations.find(
		(s) => s.as2Identifier === AS2_LOOP.station,
	)!;
	const verified = verifySignedData(decodeBody(signature), {
		content: report.raw,
		certificates: [stationKeys(running.sandbox.store, stationB).certificate],
	});
	expect(verified.valid).toBe(true);
	// The account lists B's certificate as partner SANDBOX_B's, so MDN Get's "Verify Signature" finds it.
	const listed = (
		await client.call('GET', `/certificate/${enc(`${AS2_LOOP.partner.toLowerCase()}-encryption`)}`)
	).json;
	expect(listed).toMatchObject({
		type: 'PARTNER',
		belongsTo: [AS2_LOOP.partner],
		serialNumberHex: verified.signer!.serialNumber,
		issuerDistinguishName: verified.signer!.issuer,
	});

	const inbox = running.sandbox.store
		.messagesIn(['inbox'])
		.filter((m) => m.station === AS2_LOOP.station && m.identifier === sent.identifier);
	expect(inbox).toHaveLength(1);
	expect(inbox[0]).toMatchObject({ partner: SEED.station, mic: sent.mic });
	expect(inbox[0].transportHeaders).toMatchObject({
		'AS2-From': SEED.station,
		'AS2-To': AS2_LOOP.station,
		'Message-ID': sent.identifier,
	});
	const attachment = inbox[0].attachments[0];
	expect(attachment.name).toBe('po.edi');
	const chunks: Buffer[] = [];
	for await (const chunk of running.sandbox.store.openFile(attachment.key))
		chunks.push(chunk as Buffer);
	expect(Buffer.concat(chunks).toString()).toBe(content);
});

test('each signature, cipher, compression, encoding and MDN mode round-trips through the loop', async () => {
	const cases: Array<Record<string, unknown>> = [
		{ signMessage: false, encryptMessage: false, requestSignedMDN: false },
		{ signatureAlgorithm: 'SHA1', encryptionAlgorithm: 'DES_EDE3_CBC', compressBefore: true },
		{
			signatureAlgorithm: 'SHA384',
			encryptionAlgorithm: 'AES128_CBC',
			compressAfter: true,
			compressBefore: false,
		},
		{
			signatureAlgorithm: 'SHA512',
			encryptionAlgorithm: 'AES192_CBC',
			contentTransferEncoding: 'base64',
			keyEncryptionAlgorithm: 'RSAES_OAEP',
			compressAfter: false,
		},
		{
			signMessage: false,
			encryptionAlgorithm: 'AES256_CBC',
			requestAsyncMDN: true,
			requestSignedMDN: true,
		},
		{
			signMessage: true,
			signatureAlgorithm: 'SHA256',
			requestAsyncMDN: true,
			requestSignedMDN: false,
		},
		{ requestMDN: false, requestAsyncMDN: false },
	];
	for (const values of cases) {
		await settings(AS2_LOOP.partner, {
			signMessage: true,
			encryptMessage: true,
			requestMDN: true,
			requestSignedMDN: true,
			requestAsyncMDN: false,
			compressBefore: false,
			compressAfter: false,
			contentTransferEncoding: 'binary',
			keyEncryptionAlgorithm: 'RSA_PKCS1',
			...values,
		});
		let sent = await sendAndSettle(`case ${JSON.stringify(values)}`);
		for (let i = 0; i < 100 && sent.msgStatus === 'Queued'; i++) {
			await new Promise((resolve) => setTimeout(resolve, 20));
			sent = await outbox(sent.identifier);
		}
		const expectedMdn =
			values.requestMDN === false
				? 'MDN Not Requested'
				: values.requestSignedMDN === false
					? 'Received'
					: 'Received; MDN Signature Verified';
		expect({
			values,
			msgStatus: sent.msgStatus,
			mdnStatus: sent.mdnStatus,
			reason: sent.failureReason,
		}).toEqual({
			values,
			msgStatus: 'Sent',
			mdnStatus: expectedMdn,
			reason: undefined,
		});
	}
	await settings(AS2_LOOP.partner, {
		signMessage: true,
		requestMDN: true,
		requestAsyncMDN: false,
		contentTransferEncoding: 'binary',
		keyEncryptionAlgorithm: 'RSA_PKCS1',
	});
});

test('failures a person understands: connection refused, HTTP status, negative MDN', async () => {
	const partner = running.sandbox.store.state.partners.find(
		(p) => p.as2Identifier === AS2_LOOP.partner,
	)!;
	const url = partner.url;
	try {
		const closedPort = await freePort();
		partner.url = `http://127.0.0.1:${closedPort}/as2`;
		const refused = await sendAndSettle('to nowhere');
		expect(refused).toMatchObject({ msgStatus: 'Failed', failures: 2 });
		expect(refused.failureReason).toBe(`Connection refused by 127.0.0.1:${closedPort}`);

		partner.url = `${running.url}/no-such-as2`;
		const status = await sendAndSettle('to a 404');
		expect(status).toMatchObject({
			msgStatus: 'Failed',
			failureReason: 'Received HTTP status code of 404',
		});
	} finally {
		partner.url = url;
	}
	// Station B does not know MYSTATION's key any more: its MDN says authentication-failed.
	const back = running.sandbox.store.state.partners.find(
		(p) => p.as2Identifier === AS2_LOOP.backPartner,
	)!;
	const certificate = back.settings.encryptionCertificate;
	try {
		back.settings.encryptionCertificate = partner.settings.encryptionCertificate;
		const negative = await sendAndSettle('signed by a stranger');
		expect(negative.msgStatus).toBe('Failed');
		expect(negative.failureReason).toMatch(
			/^The partner's MDN is negative: automatic-action\/MDN-sent-automatically; processed\/error: authentication-failed/,
		);
		expect(negative.mdnMessage.disposition).toMatch(/authentication-failed/);
	} finally {
		back.settings.encryptionCertificate = certificate;
	}
});

/** A port nothing listens on (it was free a moment ago). */
async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as { port: number }).port;
	await new Promise((resolve) => server.close(resolve));
	return port;
}
