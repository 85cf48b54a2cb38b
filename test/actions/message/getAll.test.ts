import { SEED } from '../../harness/sandbox';
import { env, run, count, useActionEnv } from '../setup';

useActionEnv();

describe('Message → Get Many', () => {
	test('Get Many returns all 250 over 3 pages; a limit stops early; details are fetched without marking read', async () => {
		env.running.sandbox.store.state.messages.length = 0;
		await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'bulk',
			count: 250,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		const all = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			options: { sortDir: 'asc' },
		});
		expect(all.items).toHaveLength(250);
		expect(new Set(all.items.map((i) => i.json.messageIdentifier)).size).toBe(250);
		expect(count('list')).toBe(3);
		env.running.sandbox.stats.reset();
		const some = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: false,
			limit: 120,
		});
		expect(some.items).toHaveLength(120);
		expect(count('list')).toBe(2);
		env.running.sandbox.stats.reset();
		const details = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: false,
			limit: 30,
			options: { includeDetails: true, concurrency: 4 },
		});
		expect(details.items).toHaveLength(30);
		expect(details.items[0].json).toMatchObject({
			incoming: true,
			msgStatus: 'Received',
			senderIdentifier: 'PARTNER_OK',
			isRead: false,
		});
		expect(count('get')).toBe(30);
		const again = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
		});
		expect(again.items).toHaveLength(250); // nothing was marked read
	});

	test('filters: station and partner are sent under the post-2024 names; a limit of 0 or a bad page size is refused', async () => {
		await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'failed',
			returnAll: true,
			filters: { station: SEED.station, partner: 'PARTNER_OK', subject: 'ignored' },
		});
		expect(env.running.sandbox.stats.requests.at(-1)?.path).toBe('/message/outbox/failed');
		const zero = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: false,
			limit: 0,
		});
		expect(zero.error?.message).toBe('Limit must be a whole number of at least 1 (got 0)');
		const page = await run({
			resource: 'message',
			operation: 'getAll',
			folder: 'inbox',
			returnAll: true,
			options: { pageSize: 'ten' },
		});
		expect(page.error?.message).toBe('Page Size must be a whole number from 1 to 100 (got "ten")');
	});
});
