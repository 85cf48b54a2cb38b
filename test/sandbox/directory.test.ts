import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { SandboxClient } from '../harness/client';

let running: RunningSandbox;
let client: SandboxClient;
beforeAll(async () => {
	running = await startSandbox();
	client = new SandboxClient(running.url);
	await client.login();
});
afterAll(async () => await running.close());

test('certificates: list, filter by type, metadata with new and legacy names, documented 404', async () => {
	const all = (await client.call('GET', '/certificate')).json;
	expect(all).toEqual(
		expect.arrayContaining([
			{ alias: 'mystation-signing', type: 'STATION' },
			{ alias: 'partner_ok-cert', type: 'PARTNER' },
		]),
	);
	expect((await client.call('GET', '/certificate?certType=HTTPS')).json).toEqual([
		{ alias: 'sandbox-https-root', type: 'HTTPS' },
	]);
	expect((await client.call('GET', '/certificate?certType=NOPE')).status).toBe(400);
	const cert = (await client.call('GET', '/certificate/mystation-signing')).json;
	expect(cert).toMatchObject({
		alias: 'mystation-signing',
		subjectCommonName: SEED.station,
		subject_common_name: SEED.station,
		belongsTo: [SEED.station],
	});
	expect(cert.validFrom).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
	expect(new Date(cert.validFromTimestamp).toISOString()).toBe('2026-01-01T00:00:00.000Z');
	expect(BigInt(cert.serialNumberDecimal).toString(16)).toBe(cert.serialNumberHex);
	expect((await client.call('GET', '/certificate/unknown')).json).toEqual({
		message: 'Unable to find certificate with alias: unknown',
	});
});

test('stations: create, list, documented validation errors', async () => {
	const created = await client.call('POST', '/station', {
		body: {
			name: 'Second',
			as2Identifier: 'SECOND',
			email: 'a@b.example, c@d.example',
			certificate: {
				type: 'NEW_SELF_SIGN_CERTIFICATE',
				commonName: 'Second',
				password: 'key-pass',
				keyLength: 2048,
				validity: 2,
			},
		},
	});
	expect(created.status).toBe(200);
	expect(created.json).toEqual({
		message: 'Station created successfully',
		stationId: expect.any(Number),
	});
	const list = (await client.call('GET', '/station')).json.stations;
	expect(list.map((s: { identifier: string }) => s.identifier)).toEqual([SEED.station, 'SECOND']);
	const duplicate = await client.call('POST', '/station', {
		body: { name: 'Again', as2Identifier: 'SECOND', email: 'x', certificate: { type: 'WHAT' } },
	});
	expect(duplicate.status).toBe(422);
	expect(duplicate.json.message).toBe('User input validation failed. Please try again');
	expect(duplicate.json.errors).toEqual(
		expect.arrayContaining([
			{ as2Identifier: 'Station already exists with AS2 identifier: SECOND' },
			{ email: expect.any(String) },
			{ certificate: expect.any(String) },
		]),
	);
	for (const error of duplicate.json.errors) expect(Object.keys(error)).toHaveLength(1);
});

test('partners: create, update (service=as2 required), the AS2 id cannot change', async () => {
	const body = {
		name: 'Globex',
		as2Identifier: 'GLOBEX',
		url: 'https://globex.example/as2',
		encryptionCertificate: 'TUlJQg==',
		encryptionAlgorithm: 'AES256_CBC',
		requestSignedMDN: false,
	};
	const created = await client.call('POST', '/partner?service=as2', { body });
	expect(created.json).toEqual({
		message: 'Partner created successfully',
		partnerId: expect.any(Number),
	});
	expect((await client.call('POST', '/partner?service=as2', { body })).json.errors).toEqual([
		{ as2Identifier: 'Partner already exists with AS2 identifier: GLOBEX' },
	]);
	const invalid = await client.call('POST', '/partner', {
		body: { ...body, as2Identifier: 'OTHER', encryptionAlgorithm: 'ROT13', transmissionTimeout: 7 },
	});
	expect(invalid.json.errors.map((e: object) => Object.keys(e)[0])).toEqual([
		'encryptionAlgorithm',
		'transmissionTimeout',
	]);
	expect(
		(
			await client.call('PUT', '/partner', {
				body: { identifier: 'GLOBEX', url: 'https://new.example' },
			})
		).status,
	).toBe(400);
	const updated = await client.call('PUT', '/partner?service=as2', {
		body: { identifier: 'GLOBEX', url: 'https://new.example/as2', messageSubject: 'EDI' },
	});
	expect(updated.status).toBe(200);
	const partner = (await client.call('GET', '/partner')).json.partners.find(
		(p: { identifier: string }) => p.identifier === 'GLOBEX',
	);
	expect(partner).toMatchObject({
		url: 'https://new.example/as2',
		messageSubject: 'EDI',
		encryptionAlgorithm: 'AES256_CBC',
	});
	expect(
		(
			await client.call('PUT', '/partner?service=as2', {
				body: { identifier: 'GLOBEX', as2Identifier: 'RENAMED' },
			})
		).status,
	).toBe(422);
	expect(
		(
			await client.call('PUT', '/partner?service=as2', {
				body: { identifier: 'NOBODY', url: 'https://x.example' },
			})
		).json,
	).toEqual({ message: 'Unable to find partner with AS2 identifier: NOBODY' });
	// a message to the new partner uses its default subject
	const sent = await client.submit('GLOBEX');
	expect(sent.status).toBe(202);
});
