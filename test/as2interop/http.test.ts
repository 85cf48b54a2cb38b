/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test tooling, not n8n node code */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { DigestName } from '../../nodes/MftGateway/as2/cms';
import { decodeBody, parseEntity, parseHeaderValue } from '../../nodes/MftGateway/as2/mime';
import { startSandbox, type RunningSandbox } from '../../sandbox';
import { describeWithOpenssl } from '../as2/openssl';
import { enc, SandboxClient } from '../harness/client';
import { CIPHERS, interopDir, matrixLabel, SIGNS } from './peer';

/**
 * Real AS2 over HTTP with `openssl cms` as the other station, both ways, on every sign × encrypt pair and
 * every MDN mode: openssl builds messages that the sandbox's AS2 endpoint receives (and its MDN is checked
 * with openssl), and the sandbox sends to an HTTP peer that opens them with openssl and answers with an MDN
 * openssl signed.
 */

type MdnMode = 'none' | 'sync' | 'sync signed' | 'async' | 'async signed';
const MDN_MODES: MdnMode[] = ['none', 'sync', 'sync signed', 'async', 'async signed'];
const STATION = 'INTEROP_STATION';
const PEER = 'OPENSSL_PEER';
const CRLF = '\r\n';

/**
 * MDN modes per sign × encrypt pair. By default one, (i + j) mod 5: a Latin square, so every pair, every
 * sign × mode and every cipher × mode is tried (pairwise coverage, 25 tests each way); AS2_INTEROP_FULL=1
 * runs all 125 sign × encrypt × mode combinations each way.
 */
const modesFor = (i: number, j: number): MdnMode[] =>
	process.env.AS2_INTEROP_FULL ? MDN_MODES : [MDN_MODES[(i + j) % MDN_MODES.length]];
const micalg = (d: DigestName) => (d === 'sha1' ? 'sha1' : d.replace('sha', 'sha-'));
const mic = (bytes: Buffer, d: DigestName) =>
	`${createHash(d).update(bytes).digest('base64')}, ${micalg(d)}`;

async function readAll(req: IncomingMessage): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks);
}

async function listen(server: Server): Promise<string> {
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describeWithOpenssl('real AS2 over HTTP with openssl cms as the partner station', () => {
	const peer = interopDir();
	const keys = peer.keys('peer');
	let running: RunningSandbox;
	let client: SandboxClient;
	let stationCertFile: string;
	let peerUrl: string;
	/** MDNs the sandbox POSTs to us (async mode), by original message id. */
	const asyncMdns = new Map<string, { headers: IncomingMessage['headers']; body: Buffer }>();
	/** What the HTTP peer does with the next message the sandbox sends it. */
	let peerAnswer: (
		req: IncomingMessage,
		body: Buffer,
	) => Promise<{
		status: number;
		headers: Record<string, string>;
		body: Buffer;
		after?: () => Promise<void>;
	}>;
	const server = createServer((req, res) => {
		void (async () => {
			const body = await readAll(req);
			if (req.url === '/mdn') {
				const report = body.toString('latin1');
				const id = /Original-Message-ID:\s*(\S+)/i.exec(report)?.[1] ?? '';
				asyncMdns.set(id, { headers: req.headers, body });
				res.writeHead(200).end();
				return;
			}
			const answer = await peerAnswer(req, body);
			res.writeHead(answer.status, answer.headers).end(answer.body);
			await answer.after?.();
		})();
	});

	beforeAll(async () => {
		peerUrl = await listen(server);
		running = await startSandbox({
			config: { deliveryDelayMs: 600_000, retryDelayMs: 10, maxAttempts: 1 },
		});
		client = new SandboxClient(running.url);
		await client.login();
		// A station with a real key pair made by Station Create, and its certificate from Certificate Get.
		const created = await client.call('POST', '/station', {
			body: {
				name: 'Interop',
				as2Identifier: STATION,
				email: 'interop@sandbox.example',
				certificate: {
					type: 'NEW_SELF_SIGN_CERTIFICATE',
					commonName: STATION,
					password: 'pw',
					validity: 1,
				},
			},
		});
		expect(created.status).toBe(200);
		const station = (await client.call('GET', '/station')).json.stations.find(
			(s: { as2Identifier: string }) => s.as2Identifier === STATION,
		);
		const certificate = (await client.call('GET', `/certificate/${enc(station.certificateAlias)}`))
			.json;
		expect(certificate).toMatchObject({ subjectCommonName: STATION, type: 'STATION' });
		stationCertFile = peer.write('station.pem', certificate.certificate);
		// The partner's certificate given through the API as Base64 (what the API documents).
		const partner = await client.call('POST', '/partner?service=as2', {
			body: {
				name: 'openssl',
				as2Identifier: PEER,
				url: `${peerUrl}/as2`,
				encryptionCertificate: keys.certificate.der.toString('base64'),
			},
		});
		expect(partner.status).toBe(200);
		const stored = (
			await client.call('GET', `/certificate/${enc(`${PEER.toLowerCase()}-encryption`)}`)
		).json;
		expect(stored).toMatchObject({
			type: 'PARTNER',
			serialNumberHex: keys.certificate.serialNumberHex,
		});
		await client.call('PUT', `/_sandbox/partners/${PEER}/behaviour`, {
			body: { behaviour: 'as2' },
			token: null,
		});
	});
	afterAll(async () => {
		await running?.close();
		server.close();
		peer.cleanup();
	});

	const content = Buffer.from(`ISA*00*interop*${'x'.repeat(40)}~\r\nline two \u00e9`, 'latin1');
	const contentEntity = Buffer.concat([
		Buffer.from(
			`Content-Type: application/edi-x12${CRLF}Content-Disposition: attachment; filename="po.edi"${CRLF}${CRLF}`,
		),
		content,
	]);

	/** The MDN headers an AS2 sender adds for a mode. */
	function mdnHeaders(mode: MdnMode, digest: DigestName): Record<string, string> {
		if (mode === 'none') return {};
		return {
			'Disposition-Notification-To': 'peer@openssl.example',
			...(mode.endsWith('signed')
				? {
						'Disposition-Notification-Options': `signed-receipt-protocol=optional, pkcs7-signature; signed-receipt-micalg=optional, ${micalg(digest)}`,
					}
				: {}),
			...(mode.startsWith('async') ? { 'Receipt-Delivery-Option': `${peerUrl}/mdn` } : {}),
		};
	}

	/** The disposition-notification fields of an MDN (verifying its signature with openssl when signed). */
	function readMdn(contentType: string, body: Buffer, signed: boolean): Record<string, string> {
		const entity = Buffer.concat([Buffer.from(`Content-Type: ${contentType}${CRLF}${CRLF}`), body]);
		expect(/multipart\/signed/i.test(contentType)).toBe(signed);
		const report = signed ? peer.verify(entity, stationCertFile) : entity;
		const text = report.toString('latin1');
		const fields: Record<string, string> = {};
		for (const m of text.matchAll(
			/^(Original-Message-ID|Disposition|Received-Content-MIC|Final-Recipient):\s*(.*?)\r?$/gim,
		))
			fields[m[1].toLowerCase()] = m[2];
		return fields;
	}

	SIGNS.forEach((sign, i) =>
		CIPHERS.forEach((cipher, j) =>
			modesFor(i, j).forEach((mode) => {
				const name = `${matrixLabel(sign, cipher)} × MDN ${mode}`;

				it(`${name}: openssl sends to the sandbox's AS2 endpoint`, async () => {
					let entity: Buffer = contentEntity;
					if (sign) entity = peer.sign(contentEntity, keys, sign);
					if (cipher) entity = peer.encrypt(entity, stationCertFile, cipher, 'SMIME');
					const parsed = parseEntity(entity);
					const messageId = `<openssl-${i}-${j}-${MDN_MODES.indexOf(mode)}-${Date.now()}@peer.example>`;
					const response = await fetch(running.as2Url, {
						method: 'POST',
						headers: {
							'AS2-Version': '1.2',
							'AS2-From': PEER,
							'AS2-To': STATION,
							'Message-ID': messageId,
							Subject: name,
							'Content-Type': parsed.headers.get('content-type')!,
							...(parsed.headers.get('content-transfer-encoding')
								? { 'Content-Transfer-Encoding': parsed.headers.get('content-transfer-encoding')! }
								: {}),
							...mdnHeaders(mode, sign ?? 'sha256'),
						},
						body: parsed.body,
					});
					const body = Buffer.from(await response.arrayBuffer());
					expect(response.status).toBe(200);
					const stored = running.sandbox.store.findMessage(messageId, ['inbox']);
					expect(stored).toBeDefined();
					const expectedMic = sign ? mic(contentEntity, sign) : undefined;
					if (expectedMic) expect(stored!.mic).toBe(expectedMic);
					if (mode === 'none') return;
					let mdn: { contentType: string; body: Buffer };
					if (mode.startsWith('async')) {
						await running.sandbox.as2Receiver.idle();
						const posted = asyncMdns.get(messageId);
						expect(posted).toBeDefined();
						mdn = { contentType: String(posted!.headers['content-type']), body: posted!.body };
					} else mdn = { contentType: response.headers.get('content-type') ?? '', body };
					const fields = readMdn(mdn.contentType, mdn.body, mode.endsWith('signed'));
					expect(fields['original-message-id']).toBe(messageId);
					expect(fields.disposition).toBe('automatic-action/MDN-sent-automatically; processed');
					if (expectedMic) expect(fields['received-content-mic']).toBe(expectedMic);
				});

				it(`${name}: the sandbox sends to an openssl peer`, async () => {
					await client.call('PUT', '/partner?service=as2', {
						body: {
							identifier: PEER,
							signMessage: !!sign,
							...(sign ? { signatureAlgorithm: sign.toUpperCase() } : {}),
							encryptMessage: !!cipher,
							...(cipher ? { encryptionAlgorithm: cipher } : {}),
							requestMDN: mode !== 'none',
							requestSignedMDN: mode.endsWith('signed'),
							requestAsyncMDN: mode.startsWith('async'),
							contentTransferEncoding: j % 2 ? 'base64' : 'binary',
						},
					});
					let received: Buffer | undefined;
					peerAnswer = async (req, body) => {
						const header = (n: string) => String(req.headers[n] ?? '');
						let entity: Buffer = Buffer.concat([
							Buffer.from(`Content-Type: ${header('content-type')}${CRLF}`),
							Buffer.from(
								req.headers['content-transfer-encoding']
									? `Content-Transfer-Encoding: ${header('content-transfer-encoding')}${CRLF}`
									: '',
							),
							Buffer.from(CRLF),
							body,
						]);
						if (cipher)
							entity = header('content-transfer-encoding')
								? peer.decrypt(entity, keys, 'SMIME')
								: peer.decrypt(body, keys, 'DER');
						const micEntity = sign ? peer.verify(entity, stationCertFile) : entity;
						received = decodeBody(parseEntity(micEntity));
						const digest =
							((sign &&
								(
									parseHeaderValue(parseEntity(entity).headers.get('content-type')).params.micalg ??
									''
								).replace('-', '')) as DigestName) || 'sha256';
						// Signed or encrypted: the MIC covers the MIME entity; else only the content.
						const receivedMic = mic(
							sign || cipher ? micEntity : parseEntity(micEntity).body,
							digest,
						);
						const report = Buffer.from(
							[
								'Content-Type: multipart/report; report-type=disposition-notification; boundary="rb"',
								'',
								'--rb',
								'Content-Type: text/plain',
								'',
								'Received by the openssl peer.',
								'--rb',
								'Content-Type: message/disposition-notification',
								'',
								'Reporting-UA: openssl-peer',
								`Final-Recipient: rfc822; ${PEER}`,
								`Original-Message-ID: ${header('message-id')}`,
								`Received-Content-MIC: ${receivedMic}`,
								'Disposition: automatic-action/MDN-sent-automatically; processed',
								'',
								'--rb--',
								'',
							].join(CRLF),
						);
						const mdn = parseEntity(
							mode.endsWith('signed') ? peer.sign(report, keys, 'sha256', false) : report,
						);
						const mdnHeaders = {
							'Content-Type': mdn.headers.get('content-type')!,
							'AS2-From': PEER,
							'AS2-To': STATION,
						};
						if (mode === 'none') return { status: 200, headers: {}, body: Buffer.alloc(0) };
						if (mode.startsWith('async'))
							return {
								status: 200,
								headers: {},
								body: Buffer.alloc(0),
								after: async () => {
									const posted = await fetch(header('receipt-delivery-option'), {
										method: 'POST',
										headers: { ...mdnHeaders, 'Message-ID': `<mdn-${Date.now()}@peer>` },
										body: mdn.body,
									});
									expect(posted.status).toBe(200);
								},
							};
						return { status: 200, headers: mdnHeaders, body: mdn.body };
					};
					const submitted = await client.submit(PEER, content.toString('latin1'), {
						'AS2-From': STATION,
					});
					expect(submitted.status).toBe(202);
					await client.settle();
					let message = (
						await client.call('GET', `/message/outbox/${enc(submitted.json.messageIdentifier)}`)
					).json;
					for (let k = 0; k < 200 && message.msgStatus === 'Queued'; k++) {
						await new Promise((resolve) => setTimeout(resolve, 10));
						message = (
							await client.call('GET', `/message/outbox/${enc(submitted.json.messageIdentifier)}`)
						).json;
					}
					// The submit sends the text as UTF-8.
					expect(received?.toString('utf8')).toBe(content.toString('latin1'));
					expect({
						msgStatus: message.msgStatus,
						mdnStatus: message.mdnStatus,
						reason: message.failureReason,
					}).toEqual({
						msgStatus: 'Sent',
						mdnStatus:
							mode === 'none'
								? 'MDN Not Requested'
								: mode.endsWith('signed')
									? 'Received; MDN Signature Verified'
									: 'Received',
						reason: undefined,
					});
				});
			}),
		),
	);
});
