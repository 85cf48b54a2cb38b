import { runSoak, soakProblems } from '../bench/soak';
import { useFilesystemBinaryData } from './harness/n8n';

// `npm run soak` runs the same with 1,000 + 1,000 messages and 1,000 reconciled events.
test('soak: 100 sends, 10 waited sends, 100 inbound messages under ~10 % faults and 100 webhook events across a restart during reconciliation: nothing lost or doubled, files identical, no secrets', async () => {
	await useFilesystemBinaryData();
	const report = await runSoak({ sends: 100, inbound: 100, reconcile: 100, seed: 11 });

	expect(report.faultsFired).toBeGreaterThan(10);
	expect(soakProblems(report)).toEqual([]);
	expect(report.sentOk + report.reportedFailedNotStored + report.reportedUncertainButStored).toBe(
		100,
	);
	expect(report.sentEvents.expected).toBeGreaterThan(50);
	expect(report.failedEvents.expected).toBeGreaterThan(5);
	expect(report.lateArrivals).toBeGreaterThan(5);
	expect(report.inboundReadFlag.emittedOnce).toBe(100);
	expect(report.inboundTracked.emittedOnce).toBe(100);
	// Renewals stay near one per token expiry (refreshes that meet a fault fall back to a login).
	expect(report.tokenExpiries).toBeGreaterThan(3);
	expect(report.refreshes + report.passwordLogins).toBeLessThanOrEqual(report.tokenExpiries + 3);
	// Webhook + reconciliation: notifications lost, doubled and refused while n8n restarted, each event once.
	const r = report.reconcile;
	expect(r.restarts).toBe(1);
	expect(r.events).toBeGreaterThan(80);
	expect({ doubled: r.doubled, lost: r.lost, unexpected: r.unexpected }).toEqual({
		doubled: 0,
		lost: 0,
		unexpected: 0,
	});
	expect(r.notificationsLost).toBeGreaterThan(5);
	// Posted while n8n was down: refused, never sent again (the restart met notifications under way).
	expect(r.notificationsRefused).toBeGreaterThan(0);
	expect(r.recoveredByReconciliation).toBeGreaterThanOrEqual(r.eventsNeverNotified);
	expect(r.viaWebhook + r.recoveredByReconciliation).toBe(r.events);
}, 300_000);
