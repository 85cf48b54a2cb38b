/* eslint-disable @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/require-node-api-error -- tests are dev-only */
import fc from 'fast-check';

import { SEED, startSandbox, type RunningSandbox } from '../../sandbox';
import { As2Failure } from '../../sandbox/as2/failure';
import { stationKeys } from '../../sandbox/as2/keys';
import { AS2_LOOP } from '../../sandbox/as2/loopSeed';
import { type As2Profile, buildAs2Message, unwrapAs2Message } from '../../sandbox/as2/message';
import { signingIdentity } from '../../sandbox/seed';

/**
 * Hostile input: truncated and mutated real AS2 messages (every layer shape) must end in a negative MDN or a
 * 4xx, never a crash, a 500 or a hang. Runs are seeded, so a failure repeats; the counts are in the README.
 */

const RUNS_UNWRAP = 1500;
const RUNS_HTTP = 300;
const SEED_VALUE = 20261206;

let running: RunningSandbox;
let keys: ReturnType<typeof stationKeys>;
const sender = signingIdentity(SEED.station);
const profiles: As2Profile[] = [
	{ sign: 'sha256', encrypt: 'AES256_CBC', transferEncoding: 'binary' },
	{ sign: 'sha1', encrypt: 'DES_EDE3_CBC', transferEncoding: 'base64', compress: 'after' },
	{ sign: 'sha512', transferEncoding: 'base64', compress: 'before' },
	{ encrypt: 'AES128_CBC', transferEncoding: 'binary', compress: 'before' },
	{ transferEncoding: 'binary' },
];
let samples: Array<{ headers: Record<string, string>; body: Buffer }>;

beforeAll(async () => {
	running = await startSandbox({ as2Loop: true, config: { maxAs2BodyBytes: 1024 * 1024 } });
	const station = running.sandbox.store.state.stations.find(
		(s) => s.as2Identifier === AS2_LOOP.station,
	)!;
	keys = stationKeys(running.sandbox.store, station);
	const files = [
		{
			name: 'a.edi',
			contentType: 'application/edi-x12',
			content: Buffer.from('ISA*00*fuzz~\r\nGS*PO~'),
		},
		{ name: 'b.xml', contentType: 'application/xml', content: Buffer.from('<po id="1"/>') },
	];
	samples = profiles.flatMap((profile) =>
		[files.slice(0, 1), files].map((f) => {
			const built = buildAs2Message(f, profile, { signer: sender, recipient: keys.certificate });
			return { headers: built.headers, body: built.body };
		}),
	);
});
afterAll(async () => await running.close());

/** A real message, then cut, bytes flipped, bytes inserted, or its Content-Type garbled. */
const mutated = fc
	.record({
		sample: fc.nat(),
		kind: fc.constantFrom('truncate', 'flip', 'insert', 'contentType', 'combo'),
		at: fc.double({ min: 0, max: 1, noNaN: true }),
		bytes: fc.uint8Array({ minLength: 1, maxLength: 16 }),
		flips: fc.array(
			fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 1, max: 255 })),
			{
				minLength: 1,
				maxLength: 8,
			},
		),
		contentType: fc.constantFrom(
			'multipart/signed; boundary=',
			'multipart/signed',
			'application/pkcs7-mime',
			'application/pkcs7-mime; smime-type=compressed-data',
			'application/pkcs7-mime; smime-type=signed-data',
			'multipart/mixed; boundary="x"',
			'multipart/report',
			'text/plain; charset=utf-16',
		),
	})
	.map(({ sample, kind, at, bytes, flips, contentType }) => {
		const base = samples[sample % samples.length];
		const body = Buffer.from(base.body);
		const headers = { ...base.headers };
		const cut = Math.floor(at * body.length);
		if (kind === 'truncate') return { headers, body: body.subarray(0, cut) };
		if (kind === 'insert')
			return {
				headers,
				body: Buffer.concat([body.subarray(0, cut), Buffer.from(bytes), body.subarray(cut)]),
			};
		if (kind === 'contentType')
			return { headers: { ...headers, 'Content-Type': contentType }, body };
		for (const [where, xor] of flips) body[Math.floor(where * (body.length - 1))] ^= xor;
		if (kind === 'combo')
			return { headers: { ...headers, 'Content-Type': contentType }, body: body.subarray(0, cut) };
		return { headers, body };
	});

const lower = (headers: Record<string, string>) =>
	Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));

test(`unwrap: ${RUNS_UNWRAP} mutated messages either unwrap or fail as an As2Failure (an MDN modifier)`, () => {
	const outcomes = new Map<string, number>();
	const count = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
	fc.assert(
		fc.property(mutated, ({ headers, body }) => {
			try {
				unwrapAs2Message(
					lower(headers),
					body,
					{
						keyPem: keys.keyPem,
						certificate: keys.certificate,
						partnerCertificate: keys.certificate,
					},
					{ micDigest: 'sha256', maxSize: 4 * 1024 * 1024 },
				);
				count('unwrapped');
			} catch (error) {
				if (!(error instanceof As2Failure)) throw error;
				expect(error.modifier).toMatch(/^(error|failure): [a-z -]+/i);
				count(error.modifier);
			}
		}),
		{ numRuns: RUNS_UNWRAP, seed: SEED_VALUE },
	);
	// The mutations reach every layer: some still unwrap, and each kind of failure shows up.
	expect([...outcomes.keys()].sort()).toEqual(
		expect.arrayContaining([
			'error: authentication-failed',
			'error: decryption-failed',
			'error: decompression-failed',
			'error: integrity-check-failed',
			'error: unexpected-processing-error',
			'unwrapped',
		]),
	);
	process.stdout.write(`as2 fuzz outcomes: ${JSON.stringify(Object.fromEntries(outcomes))}\n`);
});

test(`HTTP: ${RUNS_HTTP} mutated POSTs get an MDN or a 4xx within 5 s, and the endpoint keeps working`, async () => {
	let n = 0;
	await fc.assert(
		fc.asyncProperty(mutated, async ({ headers, body }) => {
			const response = await fetch(running.as2Url, {
				method: 'POST',
				headers: {
					...headers,
					'AS2-Version': '1.2',
					'AS2-From': SEED.station,
					'AS2-To': AS2_LOOP.station,
					'Message-ID': `<fuzz-${n++}@test>`,
					'Disposition-Notification-To': 'fuzz@test',
				},
				body,
				signal: AbortSignal.timeout(5000),
			});
			await response.arrayBuffer();
			expect([200, 400, 413]).toContain(response.status);
		}),
		{ numRuns: RUNS_HTTP, seed: SEED_VALUE },
	);
	const healthy = buildAs2Message(
		[{ name: 'after.edi', contentType: 'application/edi-x12', content: Buffer.from('still fine') }],
		profiles[0],
		{ signer: sender, recipient: keys.certificate },
	);
	const after = await fetch(running.as2Url, {
		method: 'POST',
		headers: {
			...healthy.headers,
			'AS2-From': SEED.station,
			'AS2-To': AS2_LOOP.station,
			'Message-ID': '<after-fuzz@test>',
			'Disposition-Notification-To': 'fuzz@test',
		},
		body: healthy.body,
	});
	expect(after.status).toBe(200);
	expect(await after.text()).toMatch(
		/Disposition: automatic-action\/MDN-sent-automatically; processed\r?\n/,
	);
});
