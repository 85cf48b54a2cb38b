/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- dev tooling, not part of the published package */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found from this file (it runs from sources under ts-jest and compiled from build/). */
export function repoRoot(): string {
	for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
		const manifest = join(dir, 'package.json');
		if (
			existsSync(manifest) &&
			(JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name ===
				'n8n-nodes-mft-gateway'
		)
			return dir;
	}
	throw new Error('Cannot find the n8n-nodes-mft-gateway repository root');
}

export const PACKAGE_NAME = 'n8n-nodes-mft-gateway';
