/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- tests are dev-only */
/**
 * Issue 10, item 8: one paginator and one message reader, shared by the node and the trigger, so that
 * de-duplication, page bounds and read-flag handling hold everywhere at once.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', 'nodes');
const SHARED = 'MftGateway/transport/messages.ts';

function sources(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const path = join(dir, name);
		return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
	});
}

const files = sources(root).map((path) => ({
	path: relative(root, path),
	text: readFileSync(path, 'utf8'),
}));

test('only transport/messages.ts pages through a list (pageOffset)', () => {
	expect(files.filter((f) => f.text.includes('pageOffset')).map((f) => f.path)).toEqual([SHARED]);
});

test('only transport/messages.ts reads a single message (GET /message/{box}/{id})', () => {
	// A path to the message itself is `messagePath(side, id)` with no suffix; other callers use it for deletes only.
	const readers = files
		.filter((f) => /method: 'GET',\s*path: messagePath\([^,]+, [^,)]+\)/.test(f.text))
		.map((f) => f.path);
	expect(readers).toEqual([SHARED]);
	expect(
		files
			.filter(
				(f) => f.path !== SHARED && /markAsRead:/.test(f.text) && /messagePath\(/.test(f.text),
			)
			.map((f) => f.path),
	).toEqual([]);
});

test('the node and the trigger both use it', () => {
	const users = files
		.filter((f) => /from '(\.\.\/)+(MftGateway\/)?transport\/messages'/.test(f.text))
		.map((f) => f.path.split('/')[0]);
	expect(new Set(users)).toEqual(
		new Set(['MftGateway', 'MftGatewayTrigger', 'MftGatewayWebhookTrigger']),
	);
});
