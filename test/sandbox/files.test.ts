import { sleep } from 'n8n-workflow';

import { startSandbox, type RunningSandbox } from '../../sandbox';
import { enc, SandboxClient } from '../harness/client';

let running: RunningSandbox;
let client: SandboxClient;
beforeAll(async () => {
	running = await startSandbox({ config: { deliveryDelayMs: 10, presignTtlSeconds: 1 } });
	client = new SandboxClient(running.url);
	await client.login();
});
afterAll(async () => await running.close());

async function attachmentUrl(id: string): Promise<string> {
	return (await client.call('GET', `/message/inbox/${enc(id)}/attachments`)).json.attachments[0]
		.url;
}

test('pre-signed URLs: served by another origin, with the right type and name; refused like S3 when misused', async () => {
	const [id] = await client.inbound({
		attachments: [{ name: 'invoice.xml', contentType: 'application/xml', text: '<invoice/>' }],
	});
	const list = await client.call('GET', `/message/inbox/${enc(id)}/attachments`);
	expect(list.json).toEqual({
		total: 1,
		attachments: [{ name: 'invoice.xml', url: expect.stringContaining(running.filesUrl) }],
	});
	const url = list.json.attachments[0].url as string;
	expect(new URL(url).origin).not.toBe(new URL(running.url).origin);
	expect(url).toMatch(/X-Amz-Expires=1&/);

	const ok = await fetch(url);
	expect(ok.status).toBe(200);
	expect(ok.headers.get('content-type')).toBe('application/xml');
	expect(ok.headers.get('content-disposition')).toBe('attachment; filename="invoice.xml"');
	expect(await ok.text()).toBe('<invoice/>');

	const withAuth = await fetch(url, { headers: { Authorization: client.token } });
	expect(withAuth.status).toBe(403);
	expect(await withAuth.text()).toMatch(
		/<Code>AccessDenied<\/Code><Message>Only one auth mechanism allowed/,
	);

	const tampered = url.replace(/X-Amz-Expires=1/, 'X-Amz-Expires=9999');
	const refused = await fetch(tampered);
	expect(refused.status).toBe(403);
	expect(await refused.text()).toMatch(/SignatureDoesNotMatch/);

	await sleep(1100);
	const expired = await fetch(url);
	expect(expired.status).toBe(403);
	expect(await expired.text()).toMatch(/Request has expired/);
	expect(running.sandbox.stats.summary().fileRequestsWithAuthorization).toBe(1);
	expect((await fetch(await attachmentUrl(id))).status).toBe(200);
});

test('the inbox MDN is a real RFC 8098 report with the MIC of the received content', async () => {
	const [id] = await client.inbound({ attachments: [{ name: 'a.edi', text: "UNA:+.? '" }] });
	const message = (await client.call('GET', `/message/inbox/${enc(id)}`)).json;
	const mdnUrl = (await client.call('GET', `/message/inbox/${enc(id)}/mdn`)).json.url;
	const raw = await (await fetch(mdnUrl)).text();
	expect(raw).toMatch(
		/^Content-Type: multipart\/signed; protocol="application\/pkcs7-signature"; micalg=sha-256/,
	);
	expect(raw).toMatch(/Content-Type: multipart\/report; report-type=disposition-notification/);
	expect(raw).toContain(`Original-Message-ID: ${id}`);
	expect(raw).toContain(`Received-Content-MIC: ${message.mic}`);
	expect(raw).toContain('Disposition: automatic-action/MDN-sent-automatically; processed');
	expect(message.mdnMessage).toMatchObject({
		rawMdnS3Key: expect.stringMatching(/^AS2\/raw-mdn\/incoming\//),
		incoming: false,
		status: 'Sent Signed MDN',
	});
});
