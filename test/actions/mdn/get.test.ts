/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: dev-only, never part of the published package */
import { createHash } from 'node:crypto';
import { buffer } from 'node:stream/consumers';

import { makeCertificate } from '../../../sandbox/as2/certificate';
import { signingIdentity } from '../../../sandbox/seed';
import { binaryBytes } from '../../harness/run';
import { SEED } from '../../harness/sandbox';
import { env, run, inboxId, useActionEnv } from '../setup';

useActionEnv({ withInbound: true, deliveryDelayMs: 10 });

describe('MDN → Get', () => {
	test('inbox: the MDN we sent, parsed, and the raw MDN as binary', async () => {
		const result = await run({
			resource: 'mdn',
			operation: 'get',
			box: 'inbox',
			messageId: inboxId,
			binaryPropertyName: 'mdn',
		});
		const digest = createHash('sha256')
			.update("UNB+UNOC:3+SENDER+RECEIVER'")
			.update('%PDF-1.7 label')
			.digest('base64');
		expect(result.items[0].json).toMatchObject({
			messageIdentifier: inboxId,
			signed: true,
			originalMessageId: inboxId,
			disposition: {
				actionMode: 'automatic-action',
				sendingMode: 'MDN-sent-automatically',
				type: 'processed',
				modifier: null,
				successful: true,
			},
			receivedContentMic: { digest, algorithm: 'sha-256' },
			finalRecipient: `rfc822; ${SEED.station}`,
		});
		expect(result.items[0].json.humanReadable).toMatch(/^MDN for Message-ID: /);
		expect(result.items[0].json.url).toBeUndefined();
		expect((await binaryBytes(result.items[0].binary!.mdn)).toString()).toMatch(
			/^Content-Type: multipart\/signed/,
		);
	});

	test('outbox: no MDN yet for a queued message is a clear 404', async () => {
		env.running.sandbox.config.deliveryDelayMs = 60_000;
		const sent = await run({
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_OK',
			payload: 'text',
			text: 'x',
			fileName: 'a.edi',
		});
		const result = await run({
			resource: 'mdn',
			operation: 'get',
			box: 'outbox',
			messageId: sent.items[0].json.messageIdentifier,
			binaryPropertyName: 'mdn',
		});
		expect(result.error?.message).toMatch(
			/failed: MDN not found\. No MDN yet: the message may still be queued/,
		);
	});
});

test('a stored MDN that is an HTML error page fails the item with a clear message', async () => {
	const message = env.running.sandbox.store.state.messages.find((m) => m.identifier === inboxId)!;
	const key = message.mdn!.rawKey;
	const original = await buffer(env.running.sandbox.store.openFile(key));
	await env.running.sandbox.store.writeFile(
		key,
		Buffer.from('<html><head><title>503 Service Unavailable</title></head></html>'),
	);
	try {
		const result = await run({
			resource: 'mdn',
			operation: 'get',
			box: 'inbox',
			messageId: inboxId,
			binaryPropertyName: 'mdn',
		});
		expect(result.error?.message).toBe(
			`The MDN of message ${inboxId} could not be read: The MDN is an HTML page, not an MDN ("503 Service Unavailable"): the server answered with an error page`,
		);
	} finally {
		await env.running.sandbox.store.writeFile(key, original);
	}
});

describe('MDN → Get with Verify Signature', () => {
	const verify = (box: string, messageId: string, extra: Record<string, unknown> = {}) =>
		run({
			resource: 'mdn',
			operation: 'get',
			box,
			messageId,
			binaryPropertyName: 'mdn',
			verifySignature: true,
			certificateSource: 'account',
			...extra,
		});

	let sentId: string | undefined;
	/** One message sent to PARTNER_OK and answered with its MDN (the wait costs seconds: shared). */
	async function sentToPartnerOk(): Promise<string> {
		if (sentId) return sentId;
		const sent = await run({
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_OK',
			payload: 'text',
			text: 'UNH+1+ORDERS',
			fileName: 'order.edi',
			waitForDelivery: true,
			waitTimeout: 10,
		});
		expect(sent.items[0].json.deliveryStatus).toBe('sent');
		sentId = String(sent.items[0].json.messageIdentifier);
		return sentId;
	}

	test('outbox: the partner signed the MDN with the certificate the account holds for it, and the MIC is ours', async () => {
		const id = await sentToPartnerOk();
		const result = await verify('outbox', id);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			signed: true,
			signatureValid: true,
			signer: {
				subject: 'CN=PARTNER_OK, O=Sandbox, C=US',
				serialNumber: Buffer.from('partner_ok-cert').toString('hex'),
			},
			micMatches: true,
		});
		expect(result.items[0].json.signatureError).toBeUndefined();
		expect(result.items[0].json.verifyNote).toBeUndefined();
	});

	test('inbox: the MDN our station sent is signed with the station certificate', async () => {
		const result = await verify('inbox', inboxId);
		expect(result.items[0].json).toMatchObject({
			signatureValid: true,
			signer: { subject: `CN=${SEED.station}, O=Sandbox, C=US` },
			micMatches: true,
		});
	});

	test("PEM: the partner's certificate verifies; another certificate is refused, saying why", async () => {
		const id = await sentToPartnerOk();
		const right = await verify('outbox', id, {
			certificateSource: 'pem',
			certificatePem: signingIdentity('PARTNER_OK').certPem,
		});
		expect(right.items[0].json).toMatchObject({ signatureValid: true, micMatches: true });
		const stranger = makeCertificate({ commonName: 'STRANGER', keyBits: 1024 });
		const wrong = await verify('outbox', id, {
			certificateSource: 'pem',
			certificatePem: stranger.certPem,
		});
		expect(wrong.items[0].json).toMatchObject({ signatureValid: false });
		expect(wrong.items[0].json.signatureError).toMatch(
			/^signed with a different certificate \(serial [0-9a-f]+, CN=PARTNER_OK, O=Sandbox, C=US\) than the one given/,
		);
	});

	test('account: a signer the account does not know for the partner is refused', async () => {
		const id = await sentToPartnerOk();
		// The partner's certificate in the account is now another one (as after a certificate change).
		const stored = env.running.sandbox.store.state.certificates.find(
			(c) => c.alias === 'partner_ok-cert',
		)!;
		const serial = stored.serialNumberHex;
		stored.serialNumberHex = '0badc0de';
		try {
			const result = await verify('outbox', id);
			expect(result.items[0].json).toMatchObject({ signatureValid: false });
			expect(result.items[0].json.signatureError).toMatch(
				/not the partner certificate of PARTNER_OK in the account \(serial badc0de\)/,
			);
		} finally {
			stored.serialNumberHex = serial;
		}
	});

	test('a MIC that is not the one sent: micMatches false, and why', async () => {
		const id = await sentToPartnerOk();
		const message = env.running.sandbox.store.state.messages.find((m) => m.identifier === id)!;
		const mic = message.mic;
		message.mic = `${Buffer.alloc(32).toString('base64')}, sha-256`;
		try {
			const result = await verify('outbox', id);
			expect(result.items[0].json).toMatchObject({
				signatureValid: true,
				micMatches: false,
				micNote: 'the partner computed a different MIC: it did not receive the content as sent',
			});
		} finally {
			message.mic = mic;
		}
	});
});
