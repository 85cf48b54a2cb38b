/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- benchmark tooling, not part of the published package */
/**
 * `npm run soak`: SOAK_SENDS (default 1000) sends and SOAK_INBOUND (default 1000) inbound messages under
 * faults, then SOAK_RECONCILE (default 1000) webhook events reconciled across an n8n restart.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { repoRoot } from '../e2e/lib/paths';
import { useFilesystemBinaryData } from '../test/harness/n8n';
import { runSoak, soakProblems } from './soak';

async function main(): Promise<void> {
	await useFilesystemBinaryData();
	const report = await runSoak({
		sends: Number(process.env.SOAK_SENDS ?? 1000),
		inbound: Number(process.env.SOAK_INBOUND ?? 1000),
		reconcile: Number(process.env.SOAK_RECONCILE ?? 1000),
		say: (line) => process.stdout.write(`${line}\n`),
	});
	for (const [key, value] of Object.entries(report))
		process.stdout.write(
			`${key.padEnd(28)} ${typeof value === 'object' ? JSON.stringify(value, null, 1) : value}\n`,
		);
	const problems = soakProblems(report);
	const ok = problems.length === 0;
	mkdirSync(join(repoRoot(), 'bench-results'), { recursive: true });
	writeFileSync(
		join(repoRoot(), 'bench-results', 'soak.json'),
		JSON.stringify({ date: new Date().toISOString(), ok, ...report }, null, 2),
	);
	process.stdout.write(
		ok
			? 'soak: nothing lost, nothing doubled (also across a restart during reconciliation), outcomes true, files identical, no secrets in errors\n'
			: `soak: FAILED: ${problems.join('; ')}\n`,
	);
	process.exit(ok ? 0 : 1);
}

void main();
