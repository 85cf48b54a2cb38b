/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test tooling, not n8n node code */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import { verifySignedData } from '../../nodes/MftGateway/as2/cms';
import { decodeBody, parseEntity, parts } from '../../nodes/MftGateway/as2/mime';
import { certificatesFrom } from '../../nodes/MftGateway/as2/x509';
import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { makeCertificate } from '../../sandbox/as2/certificate';
import { stationKeys } from '../../sandbox/as2/keys';
import { AS2_LOOP } from '../../sandbox/as2/loopSeed';
import { type As2Profile, buildAs2Message } from '../../sandbox/as2/message';
import { signingIdentity } from '../../sandbox/seed';
import { describeWithOpenssl, openssl, workDir } from '../as2/openssl';

/**
 * The sandbox's AS2 endpoint as a partner's AS2 server meets it: a test plays MYSTATION (the seeded key)
 * sending to station SANDBOX_B, well-formed and not.
 */

let running: RunningSandbox;
const sender = signingIdentity(SEED.station);
const stranger = makeCertificate({ commonName: 'stranger' });
let stationB: ReturnType<typeof stationKeys>;
const payload = [
	{ name: 'po.edi', contentType: 'application/edi-x12', content: Buffer.from('ISA*00*inbound~') },
];
const full: As2Profile = { sign: 'sha256', encrypt: 'AES256_CBC', transferEncoding: 'binary' };
let counter = 0;

beforeAll(async () => {
	running = await startSandbox({ as2Loop: true, config: { maxAs2BodyBytes: 256 * 1024 } });
	const station = running.sandbox.store.state.stations.find(
		(s) => s.as2Identifier === AS2_LOOP.station,
	)!;
	stationB = stationKeys(running.sandbox.store, station);
});
afterAll(async () => await running.close());

interface Post {
	status: number;
	text: string;
	headers: Headers;
	body: Buffer;
	messageId: string;
}

async function post(
	body: Buffer,
	headers: Record<string, string>,
	options: { messageId?: string; mdn?: Record<string, string> } = {},
): Promise<Post> {
	const messageId = options.messageId ?? `<inbound-${++counter}-${Date.now()}@test>`;
	const response = await fetch(running.as2Url, {
		method: 'POST',
		headers: {
			'AS2-Version': '1.2',
			'AS2-From': SEED.station,
			'AS2-To': AS2_LOOP.station,
			'Message-ID': messageId,
			'Disposition-Notification-To': 'test@example',
			'Disposition-Notification-Options':
				'signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, sha-256',
			...options.mdn,
			...headers,
		},
		body,
	});
	const bytes = Buffer.from(await response.arrayBuffer());
	return {
		status: response.status,
		text: bytes.toString('latin1'),
		headers: response.headers,
		body: bytes,
		messageId,
	};
}

function message(profile: As2Profile, signer = sender, recipient = stationB.certificate) {
	return buildAs2Message(payload, profile, { signer, recipient });
}

async function send(profile: As2Profile, signer = sender, recipient = stationB.certificate) {
	const built = message(profile, signer, recipient);
	return { built, answer: await post(built.body, built.headers) };
}

/** The MDN's disposition, after checking its signature with station B's certificate. */
function disposition(answer: Post): string {
	const entity = parseEntity(
		Buffer.concat([
			Buffer.from(`Content-Type: ${answer.headers.get('content-type')}\r\n\r\n`),
			answer.body,
		]),
	);
	let report = entity;
	if (entity.mediaType === 'multipart/signed') {
		const [content, signature] = parts(entity);
		expect(
			verifySignedData(decodeBody(signature), {
				content: content.raw,
				certificates: [stationB.certificate],
			}).valid,
		).toBe(true);
		report = content;
	}
	return /Disposition:\s*(.*?)\r?\n/i.exec(report.raw.toString('latin1'))?.[1] ?? '';
}

const inbox = (id: string) =>
	running.sandbox.store.messagesIn(['inbox']).filter((m) => m.identifier === id);

test('a good message is stored once with its files; the resend of the same id gets the MDN again', async () => {
	const { built, answer } = await send(full);
	expect(answer.status).toBe(200);
	expect(disposition(answer)).toBe('automatic-action/MDN-sent-automatically; processed');
	expect(answer.text).toContain(`Received-Content-MIC: ${built.mic}`);
	expect(inbox(answer.messageId)).toHaveLength(1);
	expect(inbox(answer.messageId)[0]).toMatchObject({
		station: AS2_LOOP.station,
		partner: SEED.station,
		mic: built.mic,
		mdnStatus: 'Sent Signed MDN',
	});
	const again = await post(built.body, built.headers, { messageId: answer.messageId });
	expect(again.status).toBe(200);
	expect(disposition(again)).toBe('automatic-action/MDN-sent-automatically; processed');
	expect(inbox(answer.messageId)).toHaveLength(1);
	expect(running.sandbox.as2Receiver.log.at(-1)).toMatchObject({ outcome: 'duplicate' });
});

test('the same message posted twice at once is stored once; both get a positive MDN', async () => {
	const built = message(full);
	const messageId = `<twice-${Date.now()}@test>`;
	const answers = await Promise.all([
		post(built.body, built.headers, { messageId }),
		post(built.body, built.headers, { messageId }),
	]);
	for (const answer of answers)
		expect(disposition(answer)).toBe('automatic-action/MDN-sent-automatically; processed');
	expect(inbox(messageId)).toHaveLength(1);
});

test.each([
	[
		'encrypted for another key',
		() => message(full, sender, certificatesFrom(stranger.certPem)[0]),
		'processed/error: decryption-failed',
	],
	[
		'signed by a key the partner does not have',
		() => message(full, stranger),
		'processed/error: authentication-failed',
	],
	[
		'changed after signing',
		() => {
			const built = message({ sign: 'sha256', transferEncoding: 'binary' });
			return {
				...built,
				body: Buffer.from(
					built.body.toString('latin1').replace('ISA*00*inbound~', 'ISA*00*INBOUND~'),
					'latin1',
				),
			};
		},
		'processed/error: integrity-check-failed',
	],
	[
		'not CMS at all',
		() => ({
			headers: { 'Content-Type': 'application/pkcs7-mime; smime-type=enveloped-data' },
			body: Buffer.from('this is not DER'),
			mic: '',
		}),
		'processed/error: decryption-failed',
	],
])('a message %s gets a signed negative MDN and is not stored', async (_, make, expected) => {
	const built = make();
	const answer = await post(built.body, built.headers);
	expect(answer.status).toBe(200);
	expect(disposition(answer)).toBe(`automatic-action/MDN-sent-automatically; ${expected}`);
	expect(inbox(answer.messageId)).toHaveLength(0);
});

test('unknown AS2-To: unknown-trading-relationship; oversize: 413; not POST: 405; no ids: 400', async () => {
	const built = message(full);
	const unknown = await post(built.body, { ...built.headers, 'AS2-To': 'NOBODY' });
	expect(unknown.status).toBe(200);
	expect(disposition(unknown)).toBe(
		'automatic-action/MDN-sent-automatically; processed/error: unknown-trading-relationship',
	);
	const big = await post(Buffer.alloc(300 * 1024, 'a'), { 'Content-Type': 'application/edi-x12' });
	expect(big.status).toBe(413);
	expect((await fetch(running.as2Url)).status).toBe(405);
	const noIds = await fetch(running.as2Url, { method: 'POST', body: 'x' });
	expect(noIds.status).toBe(400);
});

test('an asynchronous MDN goes to a loopback URL, never to a host that is not allowed', async () => {
	const received: string[] = [];
	const server: Server = createServer((req, res) => {
		let body = '';
		req.on('data', (c) => (body += c));
		req.on('end', () => {
			received.push(body);
			res.writeHead(200).end();
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/mdn`;
	try {
		const built = message(full);
		const answer = await post(built.body, built.headers, {
			mdn: { 'Receipt-Delivery-Option': url },
		});
		expect(answer.status).toBe(200);
		await running.sandbox.as2Receiver.idle();
		expect(received).toHaveLength(1);
		expect(received[0]).toContain(`Original-Message-ID: ${answer.messageId}`);

		const elsewhere = await post(built.body, built.headers, {
			mdn: { 'Receipt-Delivery-Option': 'http://mdn.example.com/as2' },
		});
		expect(elsewhere.status).toBe(200);
		await running.sandbox.as2Receiver.idle();
		expect(received).toHaveLength(1);
		expect(running.sandbox.as2Receiver.log.at(-1)).toMatchObject({ mdn: 'async refused' });
	} finally {
		server.close();
	}
});

test('variants real products send: LF-only MIME, unquoted smime-type, micalg sha256, base64 bodies', async () => {
	const built = message({
		sign: 'sha1',
		encrypt: 'DES_EDE3_CBC',
		transferEncoding: 'base64',
		compress: 'before',
	});
	const answer = await post(
		Buffer.from(built.body.toString('latin1').replace(/\r\n/g, '\n'), 'latin1'),
		{
			...built.headers,
			'Content-Type': 'application/x-pkcs7-mime; smime-type="enveloped-data"; name=smime.p7m',
		},
		{
			mdn: {
				'Disposition-Notification-Options':
					'signed-receipt-protocol=required,pkcs7-signature; signed-receipt-micalg=required,sha256',
			},
		},
	);
	expect(disposition(answer)).toBe('automatic-action/MDN-sent-automatically; processed');
	expect(answer.headers.get('content-type')).toMatch(/micalg=sha-256/);
	expect(inbox(answer.messageId)).toHaveLength(1);
});

describeWithOpenssl('with openssl as the sender', () => {
	test('a signature with a digest the sandbox cannot check (MD5): failed/failure: unsupported MIC-algorithms', async () => {
		const dir = workDir();
		try {
			const entity = Buffer.from('Content-Type: application/edi-x12\r\n\r\nISA*00*md5~');
			const signed = openssl([
				'cms',
				'-sign',
				'-binary',
				'-md',
				'md5',
				'-outform',
				'SMIME',
				'-in',
				dir.write('content.mime', entity),
				'-signer',
				dir.write('sender.pem', sender.certPem),
				'-inkey',
				dir.write('sender.key', sender.keyPem),
			]);
			expect(signed.err).toBe('');
			const smime = parseEntity(signed.out);
			const answer = await post(smime.body, { 'Content-Type': smime.headers.get('content-type')! });
			expect(disposition(answer)).toBe(
				'automatic-action/MDN-sent-automatically; failed/failure: unsupported MIC-algorithms',
			);
			expect(inbox(answer.messageId)).toHaveLength(0);
		} finally {
			dir.cleanup();
		}
	});
});
