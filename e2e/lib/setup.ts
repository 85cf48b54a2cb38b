/* eslint-disable @n8n/community-nodes/no-restricted-imports -- dev tooling, not part of the published package */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { SEED } from '../../sandbox';
import type { N8nInstance } from './instance';
import { repoRoot } from './paths';

export const CREDENTIAL_ID = 'mftgSandboxCred01';

export function exampleFiles(): string[] {
	const dir = join(repoRoot(), 'examples');
	return readdirSync(dir)
		.filter((f) => f.endsWith('.json'))
		.sort()
		.map((f) => join(dir, f));
}

export function readExample(path: string): {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; parameters: Record<string, unknown> }>;
} {
	return JSON.parse(readFileSync(path, 'utf8'));
}

/**
 * Imports the sandbox credential (plain data; n8n encrypts it on import) and workflows into the instance,
 * through the n8n CLI. `patch` may change a workflow first (the tests poll every 10 s instead of every minute).
 */
export async function importCredentialAndWorkflows(
	instance: N8nInstance,
	sandboxUrl: string,
	workflows: string[],
	patch: (wf: Record<string, unknown>) => void = () => {},
): Promise<void> {
	const work = join(instance.home, 'import');
	mkdirSync(join(work, 'workflows'), { recursive: true });
	const credential = [
		{
			id: CREDENTIAL_ID,
			name: 'MFT Gateway Sandbox',
			type: 'mftGatewayApi',
			data: {
				authentication: 'apiToken',
				tokenId: SEED.tokenId,
				tokenSecret: SEED.tokenSecret,
				baseUrl: sandboxUrl,
			},
		},
	];
	writeFileSync(join(work, 'credentials.json'), JSON.stringify(credential));
	await instance.cliOrThrow(['import:credentials', `--input=${join(work, 'credentials.json')}`]);
	for (const file of workflows) {
		const workflow = JSON.parse(readFileSync(file, 'utf8'));
		patch(workflow);
		writeFileSync(join(work, 'workflows', `${workflow.id}.json`), JSON.stringify(workflow));
	}
	await instance.cliOrThrow([
		'import:workflow',
		'--separate',
		`--input=${join(work, 'workflows')}`,
	]);
}
