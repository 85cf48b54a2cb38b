import { SEED } from '../../harness/sandbox';
import { run, useActionEnv } from '../setup';

useActionEnv({ deliveryDelayMs: 10 });

describe('Certificate → Get Many and Get', () => {
	test('certificates: list by type with a limit, get one with ISO dates', async () => {
		const list = await run({
			resource: 'certificate',
			operation: 'getAll',
			certType: 'PARTNER',
			returnAll: false,
			limit: 2,
		});
		expect(list.items.map((i) => i.json.type)).toEqual(['PARTNER', 'PARTNER']);
		const one = await run({
			resource: 'certificate',
			operation: 'get',
			alias: 'mystation-signing',
		});
		expect(one.items[0].json).toMatchObject({
			alias: 'mystation-signing',
			subjectCommonName: SEED.station,
			validFromTimestampIso: '2026-01-01T00:00:00.000Z',
		});
		const missing = await run({ resource: 'certificate', operation: 'get', alias: 'nope' });
		expect(missing.error?.message).toMatch(
			/Unable to find certificate with alias: nope\. No certificate has this alias/,
		);
	});
});
