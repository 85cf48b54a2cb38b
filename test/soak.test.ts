import { runSoak } from '../bench/soak';
import { useFilesystemBinaryData } from './harness/n8n';

// `npm run soak` runs the same with 1,000 + 1,000 messages.
test('soak: 100 sends and 100 inbound messages under ~10 % faults: nothing lost or doubled, files identical, no secrets', async () => {
	await useFilesystemBinaryData();
	const report = await runSoak({ sends: 100, inbound: 100, seed: 11 });
	expect(report.faultsFired).toBeGreaterThan(10);
	expect(report.doubled).toBe(0);
	expect(report.silentlyDropped).toBe(0);
	expect(report.sentOk + report.reportedFailedNotStored + report.reportedUncertainButStored).toBe(100);
	expect(report.inboundEmittedOnce).toBe(100);
	expect(report.inboundDuplicates).toBe(0);
	expect(report.attachmentsIdentical).toBe(100);
	expect(report.secretsInErrors).toBe(0);
}, 300_000);
