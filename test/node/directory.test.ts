/** Station Get, Partner Get and Get Many: looked up in the account's lists, tolerant of their shape. */
import { runNode } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

let env: TestEnv;
beforeAll(async () => (env = await startTestEnv()));
afterAll(async () => await env.close());
beforeEach(() => {
	env.running.sandbox.faults.clear();
	env.running.sandbox.stats.reset();
});

const run = (parameters: Record<string, unknown>) =>
	runNode({ credentials: env.credentials, parameters: parameters as never });

test('Station Get returns the station; a wrong case is pointed out', async () => {
	const found = await run({ resource: 'station', operation: 'get', identifier: SEED.station });
	expect(found.error).toBeUndefined();
	expect(found.items[0].json).toMatchObject({ identifier: SEED.station, name: expect.any(String) });
	const wrongCase = await run({
		resource: 'station',
		operation: 'get',
		identifier: SEED.station.toLowerCase(),
	});
	expect(wrongCase.error?.message).toBe(
		`No station has the AS2 identifier "${SEED.station.toLowerCase()}"`,
	);
	expect(wrongCase.error?.description).toBe(
		`AS2 identifiers are case-sensitive: did you mean "${SEED.station}"?`,
	);
});

test('Partner Get and Get Many (with Limit)', async () => {
	const one = await run({ resource: 'partner', operation: 'get', identifier: 'PARTNER_REJECTS' });
	expect(one.items[0].json).toMatchObject({ identifier: 'PARTNER_REJECTS' });
	const all = await run({ resource: 'partner', operation: 'getAll', returnAll: true });
	expect(all.items.map((i) => i.json.identifier)).toEqual(
		expect.arrayContaining([
			'PARTNER_OK',
			'PARTNER_REJECTS',
			'PARTNER_FLAKY',
			'PARTNER_DOWN',
			'PARTNER_NO_MDN',
		]),
	);
	const two = await run({ resource: 'partner', operation: 'getAll', returnAll: false, limit: 2 });
	expect(two.items).toHaveLength(2);
	expect(
		env.running.sandbox.stats.requests.every(
			(r) => r.route === 'partners' && r.path === '/partner',
		),
	).toBe(true);
	const missing = await run({ resource: 'partner', operation: 'get', identifier: 'NOBODY' });
	expect(missing.error?.message).toBe('No partner has the AS2 identifier "NOBODY"');
});
