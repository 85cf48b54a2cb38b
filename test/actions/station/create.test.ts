import { SEED } from '../../harness/sandbox';
import { run, useActionEnv } from '../setup';

useActionEnv({ deliveryDelayMs: 10 });

describe('Station → Create (and Get Many)', () => {
	test('stations: create (self-signed), list, and the 422 errors are shown', async () => {
		const created = await run({
			resource: 'station',
			operation: 'create',
			name: 'EU Station',
			as2Identifier: 'EUSTATION',
			email: 'edi@example.com',
			certificateType: 'NEW_SELF_SIGN_CERTIFICATE',
			commonName: 'EU Station',
			keyPassword: 'key-pass',
			certificateDetails: { keyLength: 4096, validity: 2 },
		});
		expect(created.items[0].json).toMatchObject({
			message: 'Station created successfully',
			as2Identifier: 'EUSTATION',
		});
		const list = await run({ resource: 'station', operation: 'getAll', returnAll: true });
		expect(list.items.map((i) => i.json.identifier)).toEqual([SEED.station, 'EUSTATION']);
		const duplicate = await run({
			resource: 'station',
			operation: 'create',
			name: 'Again',
			as2Identifier: 'EUSTATION',
			email: 'edi@example.com',
			certificateType: 'FROM_CERTIFICATE_STORE',
			certificateAlias: 'mystation-signing',
		});
		expect(duplicate.error?.message).toBe(
			'Create station EUSTATION failed: User input validation failed. Please try again (as2Identifier: Station already exists with AS2 identifier: EUSTATION). See the errors listed: fix those fields and run again.',
		);
		const tooManyEmails = await run({
			resource: 'station',
			operation: 'create',
			name: 'x',
			as2Identifier: 'X',
			email: 'a@b.c,d@e.f,g@h.i,j@k.l',
			certificateType: 'FROM_CERTIFICATE_STORE',
			certificateAlias: 'x',
		});
		expect(tooManyEmails.error?.message).toBe('Email must hold 1 to 3 addresses (got 4)');
	});
});
