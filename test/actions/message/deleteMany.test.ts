import { SEED } from '../../harness/sandbox';
import { env, run, count, useActionEnv } from '../setup';

useActionEnv();

describe('Message → Delete Many', () => {
	test('Delete Many: 230 ids in 3 batches of at most 100; unknown ids are reported, not fatal', async () => {
		env.running.sandbox.store.state.messages.length = 0;
		const ids = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'old',
			count: 230,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		env.running.sandbox.stats.reset();
		const result = await run({
			resource: 'message',
			operation: 'deleteMany',
			box: 'inbox',
			messageIds: [...ids, '<gone@x>'].join('\n'),
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			requested: 231,
			deletedCount: 230,
			notFound: ['<gone@x>'],
		});
		expect(count('batchDelete')).toBe(3);
		expect(env.running.sandbox.store.messagesIn(['inbox'])).toHaveLength(0);
		const none = await run({
			resource: 'message',
			operation: 'deleteMany',
			box: 'inbox',
			messageIds: '<a@x>, <b@x>',
		});
		expect(none.items[0].json).toMatchObject({ deletedCount: 0, notFound: ['<a@x>', '<b@x>'] });
	});
});
