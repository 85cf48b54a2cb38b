import { SEED } from '../../harness/sandbox';
import { env, run, useActionEnv } from '../setup';

useActionEnv();

describe('Message → Delete', () => {
	test('Delete and a 404: the item error has the API text and the right pairedItem with Continue on Fail', async () => {
		const [id] = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'del',
			count: 1,
			files: [{ name: 'a.edi', contentType: 'text/plain', content: Buffer.from('x') }],
		});
		const result = await run(
			{ resource: 'message', operation: 'delete', box: 'inbox', messageId: '={{ $json.id }}' },
			{
				items: [{ json: { id } }, { json: { id: '<missing@x>' } }, { json: { id: '' } }],
				continueOnFail: true,
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json).toEqual({ deleted: id, box: 'inbox' });
		expect(result.items[1].json.error).toBe(
			'Delete message <missing@x> from the inbox failed: Unable to find message. No message with this ID is in the inbox (already deleted?).',
		);
		expect(result.items[2].json.error).toBe('Message ID is empty');
	});
});
