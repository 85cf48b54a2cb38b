/**
 * Issue 18, item 1: once MFT Gateway accepted an item, neither Retry On Fail nor a retry of the failed
 * execution submits it again; a later item's failure says which items were already sent.
 */
import { env, count, useActionEnv } from '../setup';
import { lastRun, NodeWorkflow, SEND_PER_ITEM } from './execution';

useActionEnv();

const RETRY_ON_FAIL = { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 };
const outboxSize = () =>
	env.running.sandbox.store.messagesIn(['queued', 'sent', 'failed', 'incomplete']).length;
const ITEMS = [
	{ partner: 'PARTNER_OK', text: 'ISA*first~' },
	{ partner: 'PARTNER_OK', text: 'ISA*second~' },
];
/** The first submit goes through; the next `times` are refused with 422, as for an unknown partner. */
const refuseAfterFirst = (times: number) =>
	env.running.sandbox.faults.add({
		route: 'submit',
		action: { kind: 'status', status: 422, body: 'json' },
		skip: 1,
		times,
	});

test('two items, the second refused, Retry On Fail: the first is submitted once, and the error names it', async () => {
	const before = outboxSize();
	const workflow = new NodeWorkflow(env.credentials, SEND_PER_ITEM, RETRY_ON_FAIL, 'wf-once-1');
	refuseAfterFirst(3);
	const failed = lastRun(await workflow.run(ITEMS));
	expect(failed.error).toBeDefined();
	expect(count('submit')).toBe(4); // item 0 once, item 1 in each of the three tries
	expect(outboxSize()).toBe(before + 1);
	const [first] = env.running.sandbox.store.messagesIn(['queued', 'sent']).slice(-1);
	expect(failed.error?.description).toContain(`item 0 (${first.identifier})`);
});

test('a retry of the failed execution sends only the item that failed; the first comes from the record', async () => {
	const before = outboxSize();
	const workflow = new NodeWorkflow(env.credentials, SEND_PER_ITEM, RETRY_ON_FAIL, 'wf-once-2');
	refuseAfterFirst(3);
	const failedRun = await workflow.run(ITEMS);
	expect(lastRun(failedRun).error).toBeDefined();
	env.running.sandbox.stats.reset();
	const retried = lastRun(await workflow.retry(failedRun));
	expect(retried.error).toBeUndefined();
	expect(count('submit')).toBe(1);
	expect(outboxSize()).toBe(before + 2);
	expect(retried.items).toHaveLength(2);
	expect(retried.items[0].note).toMatch(/earlier try of this execution .*; not sent again/);
	expect(retried.items[1].note).toBeUndefined();
	expect(new Set(retried.items.map((i) => i.id)).size).toBe(2);
	// A retry of that retry (it succeeded, but say it were run again) sends nothing either.
	env.running.sandbox.stats.reset();
	const again = lastRun(await workflow.retry(failedRun));
	expect(again.items.map((i) => i.id)).toEqual(retried.items.map((i) => i.id));
	expect(count('submit')).toBe(0);
});

test('a new execution with the same items sends them again (only retries are deduplicated)', async () => {
	const workflow = new NodeWorkflow(env.credentials, SEND_PER_ITEM, RETRY_ON_FAIL, 'wf-once-3');
	expect(lastRun(await workflow.run(ITEMS)).error).toBeUndefined();
	expect(lastRun(await workflow.run(ITEMS)).error).toBeUndefined();
	expect(count('submit')).toBe(4);
});

test('an answer lost without Retry On Fail fails the node, and its retry reports it as data, not sent again', async () => {
	const workflow = new NodeWorkflow(env.credentials, SEND_PER_ITEM, {}, 'wf-once-4');
	env.running.sandbox.faults.add({
		route: 'submit',
		action: { kind: 'drop' },
		when: 'after',
		times: 1,
	});
	const before = outboxSize();
	const failedRun = await workflow.run(ITEMS.slice(0, 1));
	expect(lastRun(failedRun).error?.message).toMatch(/Queued, Sent and Failed/);
	const retried = lastRun(await workflow.retry(failedRun));
	expect(retried.error).toBeUndefined();
	expect(retried.items[0]).toMatchObject({ deliveryStatus: 'unknown' });
	expect(count('submit')).toBe(1);
	expect(outboxSize()).toBe(before + 1);
});
