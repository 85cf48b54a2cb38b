/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- test code: dev-only, never part of the published package; prints its measured figure */
/**
 * Issue 18, item 10: a file whose name is not plain ASCII goes as a streamed one-part multipart body (no
 * whole-file buffer), its name as browsers write it (UTF-8 in `filename="…"`, `"` CR LF as %XX), and no
 * `filename*` (RFC 7578 §4.2). The API here is a small server that counts the bytes it receives without
 * keeping them, so the memory measured is the node's alone.
 */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { formDataFileName } from '../../nodes/MftGateway/helpers/multipart';
import { TestCredentialsHelper, useFilesystemBinaryData } from '../harness/n8n';
import { CREDENTIAL_ID, runNode } from '../harness/run';

interface Upload {
	bytes: number;
	headers: string;
	contentLength: string | undefined;
}

let server: Server;
let url: string;
const uploads: Upload[] = [];
let folder: string;

beforeAll(async () => {
	await useFilesystemBinaryData();
	folder = mkdtempSync(join(tmpdir(), 'mftg-upload-'));
	server = createServer((req, res) => {
		if (req.url?.startsWith('/authorize')) {
			req.resume();
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ apiToken: 'test-token', apiTokenExpiryIn: 3600 }));
			return;
		}
		const upload: Upload = { bytes: 0, headers: '', contentLength: req.headers['content-length'] };
		req.on('data', (chunk: Buffer) => {
			if (upload.headers.length < 1024)
				upload.headers += chunk.subarray(0, 1024 - upload.headers.length).toString('utf8');
			upload.bytes += chunk.length;
		});
		req.on('end', () => {
			uploads.push(upload);
			res.writeHead(202, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ message: 'queued', messageIdentifier: `<${uploads.length}@test>` }));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address() as { port: number };
	url = `http://127.0.0.1:${address.port}`;
});
afterAll(async () => {
	await new Promise((resolve) => server.close(resolve));
	rmSync(folder, { recursive: true, force: true });
});
beforeEach(() => (uploads.length = 0));

const credentials = () => {
	const helper = new TestCredentialsHelper();
	helper.set(CREDENTIAL_ID, {
		authentication: 'apiToken',
		tokenId: 'id',
		tokenSecret: 'secret',
		baseUrl: url,
	});
	return helper;
};
const SEND = {
	resource: 'message',
	operation: 'send',
	station: 'MYSTATION',
	partner: 'PARTNER_OK',
	payload: 'binary',
	binaryProperties: 'data',
};

test.each([
	['注文 ü.edi', '注文 ü.edi'],
	[`it's (1)* ü.edi`, `it's (1)* ü.edi`],
	['say "hi" ü.edi', 'say %22hi%22 ü.edi'],
	['back\\slash ü.edi', 'back\\slash ü.edi'],
])('the name %s is sent as browsers write it: filename="%s", no filename*', async (name, sent) => {
	const result = await runNode({
		credentials: credentials(),
		parameters: SEND as never,
		items: [
			{
				binary: { data: { data: 'UNB+UNOC:3~', fileName: name, mimeType: 'application/edifact' } },
			},
		],
	});
	expect(result.error).toBeUndefined();
	expect(uploads).toHaveLength(1);
	expect(uploads[0].headers).toContain(
		`Content-Disposition: form-data; name="file"; filename="${sent}"\r\n`,
	);
	expect(uploads[0].headers).not.toContain('filename*');
	expect(Number(uploads[0].contentLength)).toBe(uploads[0].bytes);
});

test('formDataFileName percent-encodes exactly ", CR and LF', () => {
	expect(formDataFileName('a"b\rc\nd%e\'f(g)h*i\\j注')).toBe("a%22b%0Dc%0Ad%e'f(g)h*i\\j注");
});

/** Megabytes of the file sent; SEND_FILE_MB overrides (the README figure is for 150). */
const FILE_MB = Number(process.env.SEND_FILE_MB ?? 150);

test(`a ${FILE_MB} MB file with a non-ASCII name is streamed: memory grows far less than the file`, async () => {
	const path = join(folder, 'big.edi');
	const block = Buffer.alloc(1024 * 1024, 'ISA*00*~');
	writeFileSync(path, Buffer.alloc(0));
	for (let i = 0; i < FILE_MB; i++) writeFileSync(path, block, { flag: 'a' });
	const helper = credentials();
	// A first run logs in and warms n8n-core's code, so the measured run is the send alone.
	await runNode({
		credentials: helper,
		parameters: SEND as never,
		items: [{ binary: { data: { data: 'x', fileName: 'warm.edi', mimeType: 'text/plain' } } }],
	});
	uploads.length = 0;
	global.gc?.();
	const before = process.memoryUsage();
	let peakRss = before.rss;
	let peakBuffers = before.arrayBuffers;
	const sampler = setInterval(() => {
		const now = process.memoryUsage();
		peakRss = Math.max(peakRss, now.rss);
		peakBuffers = Math.max(peakBuffers, now.arrayBuffers);
	}, 10);
	const result = await runNode({
		credentials: helper,
		parameters: SEND as never,
		items: [
			{
				binary: {
					data: { path, fileName: 'Großauftrag 注文.edi', mimeType: 'application/edi-x12' },
				},
			},
		],
	});
	clearInterval(sampler);
	expect(result.error).toBeUndefined();
	expect(uploads[0].bytes).toBeGreaterThan(FILE_MB * 1024 * 1024);
	const rssGrowthMb = (peakRss - before.rss) / 2 ** 20;
	const bufferGrowthMb = (peakBuffers - before.arrayBuffers) / 2 ** 20;
	console.log(
		`send of ${FILE_MB} MB, non-ASCII name: RSS +${rssGrowthMb.toFixed(0)} MB, Buffers +${bufferGrowthMb.toFixed(0)} MB`,
	);
	// Buffering it (the old way) costs twice the file in Buffers: the file, and the body made of it.
	expect(bufferGrowthMb).toBeLessThan(FILE_MB / 3);
}, 180_000);
