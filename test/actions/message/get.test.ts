import { SEED } from '../../harness/sandbox';
import { env, run, useActionEnv } from '../setup';

useActionEnv();

describe('Message → Get (and Mark as Unread)', () => {
	test('Get marks read by default (the API default), Mark as Unread clears it; ids without brackets work', async () => {
		const [id] = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'one',
			count: 1,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		const got = await run({
			resource: 'message',
			operation: 'get',
			box: 'inbox',
			messageId: id.slice(1, -1),
			markAsRead: true,
		});
		expect(got.items[0].json).toMatchObject({ identifier: id, isRead: true });
		const unread = await run({ resource: 'message', operation: 'markUnread', messageId: id });
		expect(unread.items[0].json).toEqual({
			messageIdentifier: id,
			markedUnread: true,
			message: `Successfully marked message ${id} as unread`,
		});
		expect(env.running.sandbox.store.findMessage(id, ['inbox'])?.isRead).toBe(false);
		const peek = await run({
			resource: 'message',
			operation: 'get',
			box: 'inbox',
			messageId: id,
			markAsRead: false,
		});
		expect(peek.items[0].json.isRead).toBe(false);
	});
});
