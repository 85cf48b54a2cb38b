import { createHash } from 'node:crypto';

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
