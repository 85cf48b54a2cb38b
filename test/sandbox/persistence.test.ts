/* eslint-disable @n8n/community-nodes/no-restricted-imports -- tests are dev-only */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { startSandbox } from '../../sandbox';
import { enc, SandboxClient } from '../harness/client';

test('with a data directory, messages, files, read flags and tokens survive a restart', async () => {
	const dataDir = mkdtempSync(join(tmpdir(), 'mftg-state-'));
	try {
		const first = await startSandbox({ dataDir, config: { deliveryDelayMs: 3_600_000 } });
		const client = new SandboxClient(first.url);
		await client.login();
		const [read, unread] = await client.inbound({
			count: 2,
			attachments: [{ name: 'x.edi', text: 'kept' }],
		});
		await client.call('GET', `/message/inbox/${enc(read)}`);
		const queued = (await client.submit('PARTNER_OK')).json.messageIdentifier;
		await first.close();

		const second = await startSandbox({ dataDir, config: { deliveryDelayMs: 10 } });
		const again = new SandboxClient(second.url);
		again.token = client.token; // issued before the restart: the signing key was kept
		expect((await again.call('GET', '/message/inbox')).json.messages).toEqual([unread]);
		const url = (await again.call('GET', `/message/inbox/${enc(read)}/attachments`)).json
			.attachments[0].url;
		expect(await (await fetch(url)).text()).toBe('kept');
		await again.settle(); // the queued message resumes its lifecycle
		expect((await again.call('GET', `/message/outbox/${enc(queued)}`)).json.msgStatus).toBe('Sent');
		await second.close();
	} finally {
		rmSync(dataDir, { recursive: true, force: true });
	}
});
