/* eslint-disable @n8n/community-nodes/no-restricted-globals -- a dev script, not part of the published package */
/**
 * The README's main command: starts the sandbox and runs real workflows of the MFT Gateway node through
 * n8n's own execution engine (n8n-core's WorkflowExecute), no account needed.
 */
import type { IDataObject } from 'n8n-workflow';

import { SEED, startSandbox } from '../sandbox';
import { AS2_LOOP } from '../sandbox/as2/loopSeed';
import { TestCredentialsHelper, useFilesystemBinaryData } from '../test/harness/n8n';
import { binaryBytes, CREDENTIAL_ID, runChain } from '../test/harness/run';

const X12_850 = [
	'ISA*00*          *00*          *ZZ*MYSTATION      *ZZ*PARTNEROK      *261126*1200*U*00401*000000001*0*P*>~',
	'GS*PO*MYSTATION*PARTNEROK*20261126*1200*1*X*004010~',
	'ST*850*0001~',
	'BEG*00*SA*PO-4711**20261126~',
	'PO1*1*10*EA*9.95**VP*WIDGET-1~',
	'CTT*1~',
	'SE*5*0001~',
	'GE*1*1~',
	'IEA*1*000000001~',
].join('\n');

const say = (text = '') => process.stdout.write(`${text}\n`);

async function main(): Promise<void> {
	await useFilesystemBinaryData();
	// The AS2 loop: partner SANDBOX_B is this sandbox's own AS2 endpoint for a second station (real AS2 over HTTP).
	const running = await startSandbox({
		config: { deliveryDelayMs: 800, retryDelayMs: 300 },
		as2Loop: true,
	});
	const credentials = new TestCredentialsHelper();
	credentials.set(CREDENTIAL_ID, {
		authentication: 'apiToken',
		tokenId: SEED.tokenId,
		tokenSecret: SEED.tokenSecret,
		baseUrl: running.url,
	});
	say(
		`MFT Gateway sandbox on ${running.url} (station ${SEED.station}); running workflows through n8n-core ...\n`,
	);
	try {
		say(
			`1. Send an X12 850 purchase order over real AS2 to ${AS2_LOOP.partner} (the sandbox's AS2 endpoint ${running.sandbox.as2Url}, signed and encrypted) and wait for its signed MDN`,
		);
		const send = await runChain(
			[
				{
					name: 'Send PO',
					parameters: {
						resource: 'message',
						operation: 'send',
						station: SEED.station,
						partner: AS2_LOOP.partner,
						payload: 'text',
						text: X12_850,
						fileName: 'PO-4711.x12',
						waitForDelivery: true,
						waitTimeout: 30,
						pollInterval: 1,
						options: { subject: 'PO 4711' },
					},
				},
				{
					name: 'Get MDN',
					parameters: {
						resource: 'mdn',
						operation: 'get',
						box: 'outbox',
						messageId: '={{ $json.messageIdentifier }}',
						binaryPropertyName: 'mdn',
						verifySignature: true,
					},
				},
			],
			{ credentials },
		);
		if (send.error) throw send.error;
		const sent = send.outputs['Send PO'][0].json;
		const mdn = send.outputs['Get MDN'][0].json;
		say(
			`   message ${sent.messageIdentifier}: ${sent.deliveryStatus} (${(sent.mdn as IDataObject).status})`,
		);
		const arrived = running.sandbox.store.state.messages.filter(
			(m) => m.incoming && m.station === AS2_LOOP.station && m.subject === 'PO 4711',
		);
		say(
			`   station ${AS2_LOOP.station} received it over AS2: ${arrived.length} message in its inbox`,
		);
		say(
			`   MDN: ${(mdn.disposition as IDataObject).raw}; MIC ${(mdn.receivedContentMic as IDataObject).digest} (${mdn.micMatches ? 'matches' : 'DOES NOT match'} what was sent); signature ${mdn.signatureValid ? 'valid' : `NOT valid (${String(mdn.signatureError ?? mdn.verifyNote)})`}\n`,
		);

		say('2. A partner sends two files; list unread inbox messages and download their attachments');
		await running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'Invoice 9001',
			count: 1,
			files: [
				{
					name: 'INV-9001.x12',
					contentType: 'application/edi-x12',
					content: Buffer.from('ISA*00*~ST*810*0001~'),
				},
				{
					name: 'INV-9001.pdf',
					contentType: 'application/pdf',
					content: Buffer.from('%PDF-1.4 sandbox'),
				},
			],
		});
		const inbox = await runChain(
			[
				{
					name: 'New messages',
					parameters: {
						resource: 'message',
						operation: 'getAll',
						folder: 'inbox',
						returnAll: true,
						options: { includeDetails: true, markAsRead: true },
					},
				},
				{
					name: 'Download files',
					parameters: {
						resource: 'attachment',
						operation: 'getAll',
						box: 'inbox',
						messageId: '={{ $json.identifier }}',
						output: 'binary',
						binaryMode: 'separate',
						binaryPropertyName: 'data',
					},
				},
			],
			{ credentials },
		);
		if (inbox.error) throw inbox.error;
		for (const message of inbox.outputs['New messages'])
			say(
				`   received ${message.json.identifier} from ${message.json.senderIdentifier}: "${message.json.subject}"`,
			);
		for (const file of inbox.outputs['Download files']) {
			const bytes = await binaryBytes(file.binary!.data);
			say(`   file ${file.json.name} (${file.binary!.data.mimeType}, ${bytes.length} bytes)`);
		}
		say();

		say(
			'3. Send to a partner that rejects messages: the delivery failure comes back as data (deliveryStatus), not as an error',
		);
		const failed = await runChain(
			[
				{
					name: 'Send',
					parameters: {
						resource: 'message',
						operation: 'send',
						station: SEED.station,
						partner: 'PARTNER_REJECTS',
						payload: 'text',
						text: X12_850,
						fileName: 'PO-4712.x12',
						waitForDelivery: true,
						waitTimeout: 30,
						pollInterval: 1,
					},
				},
			],
			{ credentials },
		);
		const outcome = failed.outputs.Send[0].json;
		say(`   deliveryStatus: ${outcome.deliveryStatus}; failureReason: ${outcome.failureReason}\n`);

		const stats = running.sandbox.stats;
		say(`Done: ${stats.requests.length} API and file requests, ${stats.logins.apiToken} login.`);
		say(
			'Next: `npm run sandbox` keeps a sandbox running for your own n8n; `npm test` runs the tests.',
		);
	} finally {
		await running.close();
	}
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`Quick start failed: ${error.message}\n`);
		process.exit(1);
	},
);
