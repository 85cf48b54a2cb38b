/* eslint-disable @n8n/community-nodes/no-restricted-globals -- benchmark tooling, not part of the published package */
/**
 * Measures peak RSS growth of one side (the node through n8n-core, or plain undici) sending and then
 * downloading a large file, in a process of its own; the sandbox runs elsewhere. Prints one JSON line.
 * Usage: node memoryWorker.js node|plain <sandboxUrl> <file> <bytes>
 */
import { SEED } from '../sandbox';
import { TestCredentialsHelper, useFilesystemBinaryData } from '../test/harness/n8n';
import { CREDENTIAL_ID, runNode } from '../test/harness/run';
import { PlainClient } from './plainClient';

const [side, url, file, bytesText] = process.argv.slice(2);
const size = Number(bytesText);
const gc = (globalThis as { gc?: () => void }).gc;

async function peakDuring<T>(
	work: () => Promise<T>,
): Promise<{ value: T; growthMb: number; seconds: number }> {
	gc?.();
	const base = process.memoryUsage.rss();
	let peak = base;
	const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
	const started = Date.now();
	const value = await work();
	clearInterval(timer);
	peak = Math.max(peak, process.memoryUsage.rss());
	return {
		value,
		growthMb: Math.round(((peak - base) / 1048576) * 10) / 10,
		seconds: (Date.now() - started) / 1000,
	};
}

async function main(): Promise<void> {
	if (side === 'plain') {
		const client = new PlainClient(url, 2);
		await client.login(SEED.tokenId, SEED.tokenSecret);
		const send = await peakDuring(() => client.uploadFile(file, size, SEED.station, 'PARTNER_OK'));
		await new Promise((r) => setTimeout(r, 1500)); // delivered by then (sandbox delay 200 ms)
		const download = await peakDuring(() => client.downloadAttachments(send.value));
		process.stdout.write(
			`${JSON.stringify({ side, sendMb: send.growthMb, sendSeconds: send.seconds, downloadMb: download.growthMb, downloadSeconds: download.seconds, downloadedBytes: download.value })}\n`,
		);
		await client.close();
		return;
	}
	await useFilesystemBinaryData();
	const credentials = new TestCredentialsHelper();
	credentials.set(CREDENTIAL_ID, {
		authentication: 'apiToken',
		tokenId: SEED.tokenId,
		tokenSecret: SEED.tokenSecret,
		baseUrl: url,
	});
	// Warm up: log in and load n8n-core's code paths, so the measurement is the transfer, not module loading.
	await runNode({
		credentials,
		parameters: {
			resource: 'message',
			operation: 'send',
			station: SEED.station,
			partner: 'PARTNER_OK',
			payload: 'text',
			text: 'warm-up',
			fileName: 'w.txt',
		},
	});
	await runNode({
		credentials,
		parameters: {
			resource: 'message',
			operation: 'getAll',
			folder: 'sent',
			returnAll: false,
			limit: 1,
		},
	});
	const send = await peakDuring(() =>
		runNode({
			credentials,
			parameters: {
				resource: 'message',
				operation: 'send',
				station: SEED.station,
				partner: 'PARTNER_OK',
				payload: 'binary',
				binaryProperties: 'data',
			},
			items: [
				{
					binary: {
						data: { path: file, fileName: 'big.bin', mimeType: 'application/octet-stream' },
					},
				},
			],
		}),
	);
	if (send.value.error) throw send.value.error;
	const id = send.value.items[0].json.messageIdentifier as string;
	await new Promise((r) => setTimeout(r, 1500));
	const download = await peakDuring(() =>
		runNode({
			credentials,
			parameters: {
				resource: 'attachment',
				operation: 'getAll',
				box: 'outbox',
				messageId: id,
				output: 'binary',
				binaryMode: 'separate',
				binaryPropertyName: 'data',
			},
		}),
	);
	if (download.value.error) throw download.value.error;
	const stored = download.value.items[0].binary!.data;
	process.stdout.write(
		`${JSON.stringify({ side, sendMb: send.growthMb, sendSeconds: send.seconds, downloadMb: download.growthMb, downloadSeconds: download.seconds, downloadedBytes: (stored as { bytes?: number }).bytes ?? null })}\n`,
	);
}

main().then(
	() => process.exit(0),
	(error: Error) => {
		process.stderr.write(`${error.stack}\n`);
		process.exit(1);
	},
);
