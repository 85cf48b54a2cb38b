/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test code: dev-only, never part of the published package */
/**
 * Issue 18, item 14: a download link from an API answer is followed only when it is https (http on
 * loopback, the sandbox), not link-local or a cloud metadata address, and redirects stay on its host.
 */
import { createServer, type Server } from 'node:http';

import { refusedUrl } from '../../nodes/MftGateway/transport/download';
import { TestCredentialsHelper, useFilesystemBinaryData } from '../harness/n8n';
import { binaryBytes, CREDENTIAL_ID, runNode } from '../harness/run';

let server: Server;
let base: string;
let links: Array<{ name: string; url: string }> = [];
const fileRequests: string[] = [];

beforeAll(async () => {
	await useFilesystemBinaryData();
	server = createServer((req, res) => {
		req.resume();
		const json = (status: number, body: unknown) => {
			res.writeHead(status, { 'content-type': 'application/json' });
			res.end(JSON.stringify(body));
		};
		if (req.url?.startsWith('/authorize'))
			return json(200, { apiToken: 't', apiTokenExpiryIn: 3600 });
		if (req.url?.includes('/attachments')) return json(200, { attachments: links });
		fileRequests.push(req.url ?? '');
		if (req.url?.startsWith('/files/hop')) {
			res.writeHead(307, { location: req.url.replace('/files/hop', '/files/ok') });
			return res.end();
		}
		if (req.url?.startsWith('/files/away')) {
			const { port } = server.address() as { port: number };
			res.writeHead(302, { location: `http://localhost:${port}/files/ok` });
			return res.end();
		}
		res.writeHead(200, { 'content-type': 'text/plain' });
		res.end('file content');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => await new Promise((resolve) => server.close(resolve)));
beforeEach(() => (fileRequests.length = 0));

const download = async () => {
	const credentials = new TestCredentialsHelper();
	credentials.set(CREDENTIAL_ID, {
		authentication: 'apiToken',
		tokenId: 'id',
		tokenSecret: 'secret',
		baseUrl: base,
	});
	return await runNode({
		credentials,
		parameters: {
			resource: 'attachment',
			operation: 'getAll',
			box: 'outbox',
			messageId: '<1@test>',
			output: 'binary',
			binaryMode: 'separate',
			binaryPropertyName: 'data',
		} as never,
	});
};

test.each([
	['the AWS metadata address', 'http://169.254.169.254/latest/meta-data/iam/security-credentials/'],
	['a link-local address over https', 'https://169.254.10.1/file'],
	['the GCP metadata name', 'https://metadata.google.internal/computeMetadata/v1/'],
	['IPv6 link-local', 'https://[fe80::1]/file'],
	['AWS IPv6 metadata', 'https://[fd00:ec2::254]/latest/'],
	['plain http to another machine', 'http://files.example.com/file'],
	['a file: URL', 'file:///etc/passwd'],
])(
	'%s in an API answer is refused before any request',
	async (_, url) => {
		links = [{ name: 'a.edi', url }];
		const run = await download();
		expect(run.error?.message).toMatch(/download link was not followed/);
		expect(fileRequests).toEqual([]);
	},
	15_000,
);

test('a redirect to another host is refused; one on the same host is followed', async () => {
	links = [{ name: 'a.edi', url: `${base}/files/away?X-Amz-Signature=abc` }];
	const away = await download();
	expect(away.error?.message).toMatch(/redirected it to another host \(localhost:\d+\)/);
	expect(fileRequests).toEqual(['/files/away?X-Amz-Signature=abc']);
	fileRequests.length = 0;
	links = [{ name: 'a.edi', url: `${base}/files/hop?X-Amz-Signature=abc` }];
	const hop = await download();
	expect(hop.error).toBeUndefined();
	expect((await binaryBytes(hop.items[0].binary!.data)).toString()).toBe('file content');
	expect(fileRequests).toEqual(['/files/hop?X-Amz-Signature=abc', '/files/ok?X-Amz-Signature=abc']);
});

test('https storage and loopback http (the sandbox) are allowed', () => {
	expect(refusedUrl('https://mftg-bucket.s3.amazonaws.com/a?X-Amz-Signature=x')).toBeUndefined();
	expect(refusedUrl('http://127.0.0.1:8871/a')).toBeUndefined();
	expect(refusedUrl('http://localhost:8871/a')).toBeUndefined();
	expect(refusedUrl('http://[::1]:8871/a')).toBeUndefined();
});
