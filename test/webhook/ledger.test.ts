import {
	EventLedger,
	eventKey,
	MAX_ENTRIES,
	RETENTION_MS,
	SAVED_MS,
} from '../../nodes/shared/eventLedger';

test('a claim is atomic and once: the second claim of the same event fails; brackets do not matter', () => {
	const ledger = new EventLedger();
	expect(ledger.claim(eventKey('received', '<a@x>'))).toBe(true);
	expect(ledger.claim(eventKey('received', 'a@x'))).toBe(false);
	expect(ledger.claimPending(eventKey('sent', '<a@x>'))).toBe(true);
	ledger.release([eventKey('sent', 'a@x')]);
	expect(ledger.claim(eventKey('sent', '<a@x>'))).toBe(true);
});

test('static data gets the last 30 min without a poller; a saved copy merges back', () => {
	const now = Date.now();
	const ledger = new EventLedger();
	ledger.claim('received:old', now - SAVED_MS - 1000);
	for (let i = 0; i < 1100; i++) ledger.claim(`sent:${i}`, now - 1000 + i);
	const saved = ledger.recent(now + 100);
	expect(saved).toHaveLength(1100);
	expect(saved.some(([key]) => key === 'received:old')).toBe(false);
	expect(ledger.has('received:old')).toBe(true);
	const restarted = new EventLedger();
	restarted.merge(saved);
	restarted.merge([['bad'], 'x', ['sent:new', 'not a number']]);
	expect([restarted.size, restarted.has('sent:1099'), restarted.has('sent:new')]).toEqual([
		1100,
		true,
		false,
	]);
});

test('item 11: with a reconciling poller, the copy keeps every claim since its floor, up to 5,000 of 24 h', () => {
	const now = Date.now();
	const ledger = new EventLedger();
	ledger.setProgress('Trigger', {
		polledAt: now - 2 * 60 * 60_000,
		floor: now - 3 * 60 * 60_000,
		state: {},
	});
	ledger.claim('received:day-old', now - RETENTION_MS - 1000);
	ledger.claim('received:two-hours', now - 2 * 60 * 60_000);
	for (let i = 0; i < MAX_ENTRIES + 10; i++) ledger.claim(`sent:${i}`, now - 60_000 + i);
	const saved = ledger.recent(now + 100);
	expect(saved).toHaveLength(MAX_ENTRIES);
	expect(saved[saved.length - 1][0]).toBe(`sent:${MAX_ENTRIES + 9}`);
	const onlyPoller = new EventLedger();
	onlyPoller.setProgress('Trigger', {
		polledAt: now - 2 * 60 * 60_000,
		floor: now - 3 * 60 * 60_000,
		state: {},
	});
	onlyPoller.claim('received:two-hours', now - 2 * 60 * 60_000);
	expect(onlyPoller.recent(now).map(([key]) => key)).toEqual(['received:two-hours']);
});

test('item 3: a poller claim is pending until confirmed: never copied, and given back for good', () => {
	const ledger = new EventLedger();
	expect(ledger.claimPending('received:a')).toBe(true);
	expect(ledger.claim('received:a')).toBe(false); // the webhook is blocked meanwhile
	expect(ledger.recent().map(([key]) => key)).toEqual([]);
	const copy = ledger.recent();
	ledger.release(['received:a']);
	ledger.merge(copy);
	expect(ledger.has('received:a')).toBe(false);
	ledger.claimPending('received:b');
	ledger.confirm(['received:b']);
	ledger.release(['received:b']); // confirmed: emitted, never given back
	expect(ledger.recent().map(([key]) => key)).toEqual(['received:b']);
});

test('memory is bounded too: past MAX_ENTRIES the oldest claims go', () => {
	const ledger = new EventLedger();
	const now = Date.now();
	for (let i = 0; i < MAX_ENTRIES + 10; i++) ledger.claim(`failed:${i}`, now + i);
	expect(ledger.size).toBe(MAX_ENTRIES);
	expect(ledger.has('failed:0')).toBe(false);
	expect(ledger.has(`failed:${MAX_ENTRIES + 9}`)).toBe(true);
});
