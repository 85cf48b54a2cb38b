import { runSoak, soakProblems } from '../bench/soak';
import { useFilesystemBinaryData } from './harness/n8n';

// `npm run soak` runs the same with 1,000 + 1,000 messages.
test('soak: 100 sends, 10 waited sends and 100 inbound messages under ~10 % faults: nothing lost or doubled, files identical, no secrets', async () => {
	await useFilesystemBinaryData();
	const report = await runSoak({ sends: 100, inbound: 100, seed: 11 });

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
}, 300_000);
