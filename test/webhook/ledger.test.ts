import {
	EventLedger,
	eventKey,
	MAX_ENTRIES,
	MAX_SAVED,
	SAVED_MS,
} from '../../nodes/shared/eventLedger';

test('a claim is atomic and once: the second claim of the same event fails; brackets do not matter', () => {
	const ledger = new EventLedger();
	expect(ledger.claim(eventKey('received', '<a@x>'))).toBe(true);
	expect(ledger.claim(eventKey('received', 'a@x'))).toBe(false);
	expect(ledger.claim(eventKey('sent', '<a@x>'))).toBe(true);
	ledger.release([eventKey('received', 'a@x')]);
	expect(ledger.claim(eventKey('received', '<a@x>'))).toBe(true);
});

test('static data gets the recent claims only (bounded), memory keeps more; a saved copy merges back', () => {
	const now = Date.now();
	const ledger = new EventLedger();
	ledger.claim('received:old', now - SAVED_MS - 1000);
	for (let i = 0; i < MAX_SAVED + 50; i++) ledger.claim(`sent:${i}`, now - 1000 + i);
	const saved = ledger.recent(now + 100);
	expect(saved).toHaveLength(MAX_SAVED);
	expect(saved.some(([key]) => key === 'received:old')).toBe(false);
	expect(saved[saved.length - 1][0]).toBe(`sent:${MAX_SAVED + 49}`);
	expect(ledger.has('received:old')).toBe(true);
	const restarted = new EventLedger();
	restarted.merge(saved);
	restarted.merge([['bad'], 'x', ['sent:new', 'not a number']]);
	expect([
		restarted.size,
		restarted.has(`sent:${MAX_SAVED + 49}`),
		restarted.has('sent:new'),
	]).toEqual([MAX_SAVED, true, false]);
});

test('memory is bounded too: past MAX_ENTRIES the oldest claims go', () => {
	const ledger = new EventLedger();
	const now = Date.now();
	for (let i = 0; i < MAX_ENTRIES + 10; i++) ledger.claim(`failed:${i}`, now + i);
	expect(ledger.size).toBe(MAX_ENTRIES);
	expect(ledger.has('failed:0')).toBe(false);
	expect(ledger.has(`failed:${MAX_ENTRIES + 9}`)).toBe(true);
});
