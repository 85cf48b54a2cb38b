/**
 * Review: the soak's multi-item phase reported `multiLost 2` in a 1,000-message run. The lost items were
 * items whose submit MFT Gateway took but whose answer was lost (`when: "after"`): the node reports them
 * as `deliveryStatus: unknown` in the output (Retry On Fail), or as "item k (answer lost)" in the failed
 * execution's error, never with a message id, and the soak counted an item as accounted for only when
 * the id of its stored copy appeared. Those items are reported, not lost.
 *
 * Also: a failed execution's error names the items that were not submitted, the failing item and the
 * items after it that the node never tried, so the user knows what to run again.
 */
import { multiItemFate } from '../../bench/soak';
import { env, count, useActionEnv } from '../actions/setup';
import { SEED } from '../harness/sandbox';
import { runNode } from '../harness/run';

useActionEnv();

const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };
const PARAMETERS = {
	resource: 'message',
	operation: 'send',
	station: SEED.station,
	partner: '={{ $json.partner }}',
	payload: 'text',
	text: '={{ "REVIEWMULTI-" + $json.n }}',
	fileName: 'multi.edi',
	options: { subject: '={{ $json.tag + "-" + $json.n }}' },
};

/** Ids of the stored copies of item `n` of the run tagged `tag`. */
const storedIds = (tag: string, n: number) =>
	env.running.sandbox.store.state.messages
		.filter((m) => !m.incoming && m.subject === `${tag}-${n}`)
		.map((m) => m.identifier);

/** The second submit is taken, and its answer lost (HTTP 500 after the message was stored). */
const loseSecondAnswer = () =>
	env.running.sandbox.faults.add({
		route: 'submit',
		action: { kind: 'status', status: 500 },
		when: 'after',
		skip: 1,
		times: 1,
	});

const send = (tag: string, partners: string[]) =>
	runNode({
		credentials: env.credentials,
		settings: RETRY_ON_FAIL,
		items: partners.map((partner, n) => ({ json: { n, tag, partner } })),
		parameters: PARAMETERS as never,
	});

test('an answer lost, then an item refused: the error names the taken items, the lost answer and the items not tried; none is lost', async () => {
	loseSecondAnswer();
	const partners = ['PARTNER_OK', 'PARTNER_OK', 'NO_SUCH_PARTNER', 'PARTNER_OK', 'PARTNER_OK'];
	const result = await send('rvfail', partners);
	expect(result.error).toBeDefined();
	expect(count('submit')).toBe(2 + 3); // items 0 and 1 once, item 2 in each of the three tries
	const [id0] = storedIds('rvfail', 0);
	expect(storedIds('rvfail', 1)).toHaveLength(1); // taken, though its answer was lost
	expect(storedIds('rvfail', 3)).toHaveLength(0);
	const text = `${result.error?.message} ${result.error?.description ?? ''}`;
	expect(result.error?.description).toContain(`item 0 (${id0}), item 1 (answer lost)`);
	expect(result.error?.description).toContain(
		'Not submitted: item 2 (this error), items 3, 4 (not tried: the node stopped at item 2).',
	);
	const fates = partners.map((_, n) =>
		multiItemFate(storedIds('rvfail', n), undefined, { text, index: n }),
	);
	expect(fates).toEqual(['sent', 'uncertain', 'notSubmitted', 'notSubmitted', 'notSubmitted']);
});

test('an answer lost in a run that succeeds: the item is in the output as unknown, not lost', async () => {
	loseSecondAnswer();
	const partners = ['PARTNER_OK', 'PARTNER_OK', 'PARTNER_OK'];
	const result = await send('rvok', partners);
	expect(result.error).toBeUndefined();
	expect(result.items.map((i) => i.json.deliveryStatus)).toEqual(['queued', 'unknown', 'queued']);
	expect(storedIds('rvok', 1)).toHaveLength(1);
	const fates = result.items.map((item, n) =>
		multiItemFate(storedIds('rvok', n), item.json, undefined),
	);
	expect(fates).toEqual(['sent', 'uncertain', 'sent']);
});

test('the first item refused: the error says that none was submitted and names the items not tried', async () => {
	const result = await send('rvfirst', [
		'NO_SUCH_PARTNER',
		'PARTNER_OK',
		'PARTNER_OK',
		'PARTNER_OK',
	]);
	expect(count('submit')).toBe(3);
	expect(result.error?.description).toContain(
		'Not submitted: item 0 (this error), items 1–3 (not tried: the node stopped at item 0).',
	);
	expect(result.error?.description).not.toContain('Already submitted');
});

test('the soak counts as lost a stored item reported nowhere, and as a wrong claim an id that is not stored', () => {
	const text =
		'Send failed. Already submitted …: item 0 (<a@b>). Not submitted: item 1 (this error), item 2 (not tried).';
	expect(multiItemFate(['<x@y>'], undefined, { text, index: 3 })).toBe('lost');
	expect(multiItemFate([], undefined, { text, index: 3 })).toBe('lost'); // named in neither list
	expect(multiItemFate(['<c@d>'], undefined, { text, index: 0 })).toBe('wrongClaim');
	expect(multiItemFate(['<c@d>'], undefined, { text, index: 2 })).toBe('wrongClaim');
	expect(multiItemFate([], { messageIdentifier: '<a@b>' }, undefined)).toBe('wrongClaim');
	expect(multiItemFate(['<a@b>'], { messageIdentifier: '<a@b>' }, undefined)).toBe('sent');
});
