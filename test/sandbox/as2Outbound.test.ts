/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests are dev-only */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { makeCertificate } from '../../sandbox/as2/certificate';
import { writeMdn } from '../../sandbox/mdn';
import { enc, SandboxClient } from '../harness/client';

/**
 * A real-AS2 partner (behaviour `as2`) whose MDN is wrong in one way each time: the sandbox must fail the
 * message with a reason a person understands, and keep the partner's MDN.
 */

const PARTNER = 'FAKE_AS2_PEER';
const peerKeys = makeCertificate({ commonName: PARTNER });
const stranger = makeCertificate({ commonName: 'stranger' });
let running: RunningSandbox;
let client: SandboxClient;
let answer: (req: IncomingMessage) => {
	status: number;
	headers: Record<string, string>;
	body: Buffer;
};
const server = createServer((req, res) => {
	req.resume();
	req.on('end', () => {
		const reply = answer(req);
		res.writeHead(reply.status, reply.headers).end(reply.body);
	});
});

beforeAll(async () => {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	running = await startSandbox({
		config: { deliveryDelayMs: 600_000, maxAttempts: 1, asyncMdnTimeoutMs: 150 },
	});
	client = new SandboxClient(running.url);
	await client.login();
	const created = await client.call('POST', '/partner?service=as2', {
		body: {
			name: 'Fake AS2 peer',
			as2Identifier: PARTNER,
			url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/as2`,
			encryptionCertificate: peerKeys.certPem,
			signatureAlgorithm: 'SHA256',
			encryptionAlgorithm: 'AES128_CBC',
		},
	});
	expect(created.status).toBe(200);
	await client.call('PUT', `/_sandbox/partners/${PARTNER}/behaviour`, {
		body: { behaviour: 'as2' },
		token: null,
	});
});
afterAll(async () => {
	await running.close();
	server.close();
});

/** An MDN for the request: positive with the right MIC unless told otherwise, signed with `signer`. */
function mdnFor(
	req: IncomingMessage,
	options: { mic?: string; modifier?: string; signer?: typeof peerKeys | null } = {},
) {
	const message = running.sandbox.store.findMessage(String(req.headers['message-id']), ['queued'])!;
	const [digest, algorithm] = (options.mic ?? message.mic).split(', ');
	const signer = options.signer === undefined ? peerKeys : options.signer;
	const mdn = writeMdn({
		originalMessageId: String(req.headers['message-id']),
		finalRecipient: PARTNER,
		disposition: 'processed',
		modifier: options.modifier,
		mic: { digest, algorithm },
		text: 'fake peer',
		signWith: signer
			? { keyPem: signer.keyPem, certPem: signer.certPem, digest: 'sha256' }
			: undefined,
	});
	return { status: 200, headers: mdn.headers, body: mdn.body };
}

async function sendOnce(): Promise<Record<string, unknown>> {
	const submitted = await client.submit(PARTNER, `ISA*00*${Date.now()}~`);
	await client.settle();
	const id = enc(submitted.json.messageIdentifier);
	let message = (await client.call('GET', `/message/outbox/${id}`)).json;
	for (let i = 0; i < 100 && message.msgStatus === 'Queued'; i++) {
		await new Promise((resolve) => setTimeout(resolve, 20));
		message = (await client.call('GET', `/message/outbox/${id}`)).json;
	}
	return message;
}

test('the right MDN: sent, MIC matches, the partner’s MDN is the one MDN Get returns', async () => {
	answer = (req) => mdnFor(req);
	const message = await sendOnce();
	expect(message).toMatchObject({
		msgStatus: 'Sent',
		mdnStatus: 'Received; MDN Signature Verified',
		micMatches: true,
	});
	expect((message.transportHeaders as Record<string, string>)['AS2-From']).toBe(SEED.station);
	const mdn = await client.call('GET', `/message/outbox/${enc(String(message.identifier))}/mdn`);
	const raw = await (await fetch(mdn.json.url)).text();
	expect(raw).toMatch(/^Content-Type: multipart\/signed;/);
	expect(raw).toContain('fake peer');
	expect(raw).toContain(`Original-Message-ID: ${String(message.identifier)}`);
});

test.each([
	[
		'a MIC that does not match',
		(req: IncomingMessage) => mdnFor(req, { mic: 'AAAA, sha-256' }),
		/^MIC mismatch: the partner's MDN returned "AAAA, sha-256", the sandbox computed ".+, sha-256"$/,
	],
	[
		'a signature by a key that is not the partner’s',
		(req: IncomingMessage) => mdnFor(req, { signer: stranger }),
		/^The partner's MDN signature is invalid: signed with a different certificate/,
	],
	[
		'a negative disposition',
		(req: IncomingMessage) => mdnFor(req, { modifier: 'error: decryption-failed' }),
		/^The partner's MDN is negative: automatic-action\/MDN-sent-automatically; processed\/error: decryption-failed$/,
	],
	[
		'no MDN but HTML',
		() => ({
			status: 200,
			headers: { 'Content-Type': 'text/html' },
			body: Buffer.from('<html>ok</html>'),
		}),
		/^The partner's MDN is unreadable/,
	],
])('an MDN with %s fails the message and says so', async (_, reply, reason) => {
	answer = reply;
	const message = await sendOnce();
	expect(message.msgStatus).toBe('Failed');
	expect(message.failureReason).toMatch(reason);
});

test('an asynchronous MDN that never comes: incomplete with an MDN timeout', async () => {
	await client.call('PUT', '/partner?service=as2', {
		body: { identifier: PARTNER, requestAsyncMDN: true },
	});
	answer = () => ({ status: 200, headers: {}, body: Buffer.alloc(0) });
	try {
		const submitted = await client.submit(PARTNER, 'waits forever');
		await client.settle();
		const id = enc(submitted.json.messageIdentifier);
		expect((await client.call('GET', `/message/outbox/${id}`)).json).toMatchObject({
			msgStatus: 'Queued',
			mdnStatus: 'Pending',
		});
		await new Promise((resolve) => setTimeout(resolve, 400));
		expect((await client.call('GET', `/message/outbox/${id}`)).json).toMatchObject({
			msgStatus: 'Incomplete',
			mdnStatus: 'MDN Not Received',
			failureReason: 'MDN timeout: the partner sent no asynchronous MDN within 0.15 s',
		});
	} finally {
		await client.call('PUT', '/partner?service=as2', {
			body: { identifier: PARTNER, requestAsyncMDN: false },
		});
	}
});
