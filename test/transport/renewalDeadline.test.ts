/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test code: dev-only, never part of the published package */
/**
 * Issue 18, item 9: a login answer that trickles in (a byte a second, never idle long enough for the
 * socket timeout) does not hang the credential's requests: the single-flight renewal has a deadline,
 * and once it passes the renewal is dropped, so the next request logs in afresh.
 */
import { createServer, type Server } from 'node:http';

import { RENEWAL_POLICY } from '../../credentials/MftGatewayApi.credentials';
import { TestCredentialsHelper } from '../harness/n8n';
import { CREDENTIAL_ID, runNode } from '../harness/run';

let server: Server;
let url: string;
let trickle = true;
let logins = 0;
const timers = new Set<NodeJS.Timeout>();

beforeAll(async () => {
	server = createServer((req, res) => {
		req.resume();
		if (req.url?.startsWith('/authorize')) {
			logins++;
			res.writeHead(200, { 'content-type': 'application/json' });
			if (!trickle) {
				res.end(JSON.stringify({ apiToken: 'fresh', apiTokenExpiryIn: 3600 }));
				return;
			}
			const timer = setInterval(() => res.write(' '), 200);
			timers.add(timer);
			res.on('close', () => clearInterval(timer));
			return;
		}
		res.writeHead(200, { 'content-type': 'application/json' });
		res.end(JSON.stringify({ messages: [] }));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
});
afterAll(async () => {
	for (const timer of timers) clearInterval(timer);
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
});

const LIST = {
	resource: 'message',
	operation: 'getAll',
	folder: 'sent',
	returnAll: false,
	limit: 1,
};

test('three executions waiting on a trickling login all fail at the deadline; the next one logs in', async () => {
	const saved = RENEWAL_POLICY.deadlineMs;
	RENEWAL_POLICY.deadlineMs = 1500;
	try {
		const credentials = new TestCredentialsHelper();
		credentials.set(CREDENTIAL_ID, {
			authentication: 'apiToken',
			tokenId: 'id',
			tokenSecret: 'secret',
			baseUrl: url,
		});
		const started = Date.now();
		const runs = await Promise.all(
			[1, 2, 3].map(async () => await runNode({ credentials, parameters: LIST as never })),
		);
		expect(Date.now() - started).toBeLessThan(6000);
		for (const run of runs)
			expect(run.error?.message).toMatch(/did not finish the login within 1.5 s/);
		expect(logins).toBe(1);
		trickle = false;
		const next = await runNode({ credentials, parameters: LIST as never });
		expect(next.error).toBeUndefined();
		expect(logins).toBe(2);
	} finally {
		RENEWAL_POLICY.deadlineMs = saved;
	}
}, 20_000);
