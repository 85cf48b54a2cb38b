/**
 * Issue 18, suspected: status words that deny delivery, and a Sent message whose MDN reports an error,
 * are never `deliveryStatus: sent`.
 */
import { sleep } from 'n8n-workflow';

import {
	deliveryStateOf,
	failureReasonOf,
	sendStateOf,
} from '../../../nodes/MftGateway/helpers/delivery';
import { env, run, SEND, useActionEnv } from '../setup';

useActionEnv();

test.each([
	['Not Delivered', 'failed'],
	['Undelivered', 'failed'],
	['Unsent', 'queued'],
	['Not Sent', 'queued'],
	['Sent', 'sent'],
	['Delivered', 'sent'],
	['Failed', 'failed'],
	['Incomplete', 'incomplete'],
	['Queued', 'queued'],
])('msgStatus "%s" is %s', (msgStatus, state) => {
	expect(deliveryStateOf({ msgStatus })).toBe(state);
	expect(deliveryStateOf({ msgStatus, mdnMessage: { disposition: 'x; processed' } })).toBe(state);
});

test.each([
	['automatic-action/MDN-sent-automatically; processed/error: decryption-failed', 'failed'],
	['automatic-action/MDN-sent-automatically; failed/failure: unsupported-format', 'failed'],
	['automatic-action/MDN-sent-automatically; processed/warning: duplicate-document', 'sent'],
	['automatic-action/MDN-sent-automatically; processed', 'sent'],
])('a Sent message whose MDN says "%s" is %s for Send', (disposition, state) => {
	const message = { msgStatus: 'Sent', mdnMessage: { disposition } };
	expect(sendStateOf(message)).toBe(state);
	if (state === 'failed') expect(failureReasonOf(message)).toContain(disposition);
});

test('Send with Wait for Delivery: a partner MDN that says processed/error is failed, with the MDN as the reason', async () => {
	env.running.sandbox.config.deliveryDelayMs = 60_000;
	const disposition = 'automatic-action/MDN-sent-automatically; processed/error: decryption-failed';
	const before = new Set(env.running.sandbox.store.messagesIn(['queued']).map((m) => m.id));
	// Once the message is queued, the partner answers (as the API would show it) with a negative MDN.
	const partnerAnswers = (async () => {
		for (;;) {
			const message = env.running.sandbox.store
				.messagesIn(['queued'])
				.find((m) => !before.has(m.id));
			if (message) {
				message.box = 'sent';
				message.msgStatus = 'Sent';
				message.mdn = {
					...message.mdn,
					disposition,
					incoming: true,
					timestamp: Date.now(),
				} as never;
				return;
			}
			await sleep(20);
		}
	})();
	const sent = await run({
		...SEND,
		payload: 'text',
		text: 'ISA*00*~',
		fileName: 'po.x12',
		waitForDelivery: true,
		waitTimeout: 10,
		pollInterval: 1,
	});
	await partnerAnswers;
	expect(sent.items[0].json).toMatchObject({
		deliveryStatus: 'failed',
		failureReason: `The partner's MDN reports an error: ${disposition}`,
	});
});
