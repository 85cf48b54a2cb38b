/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-dangerous-functions, no-console -- test tooling: runs Debian's openssl, never part of the published package */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Debian's openssl (package `openssl`): the reference our CMS code is checked against. */
export const OPENSSL = '/usr/bin/openssl';
export const hasOpenssl = existsSync(OPENSSL);

/** `describe` that runs only with openssl installed, saying so once when it is not. */
export const describeWithOpenssl = hasOpenssl ? describe : describe.skip;
if (!hasOpenssl)
	console.warn('Skipped: the openssl checks need /usr/bin/openssl (apt-get install openssl)');

export function openssl(args: string[], input?: Buffer): { ok: boolean; out: Buffer; err: string } {
	try {
		const out = execFileSync(OPENSSL, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
		return { ok: true, out, err: '' };
	} catch (error) {
		const e = error as { stdout?: Buffer; stderr?: Buffer };
		return { ok: false, out: e.stdout ?? Buffer.alloc(0), err: String(e.stderr ?? '') };
	}
}

/** A temporary directory for key, certificate and message files, removed by `cleanup`. */
export function workDir(): {
	path: (name: string) => string;
	write: (name: string, data: Buffer | string) => string;
	cleanup: () => void;
} {
	const dir = mkdtempSync(join(tmpdir(), 'mftg-as2-'));
	return {
		path: (name) => join(dir, name),
		write: (name, data) => {
			writeFileSync(join(dir, name), data);
			return join(dir, name);
		},
		cleanup: () => rmSync(dir, { recursive: true, force: true }),
	};
}
