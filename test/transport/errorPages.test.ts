/** Issue 18, item 13: an error page is read in time proportional to a few kB, whatever its size and shape. */
import { readFailure } from '../../nodes/MftGateway/transport/failure';
import { toNodeApiError } from '../../nodes/MftGateway/transport/errors';

const failureOf = (body: string | Buffer) =>
	readFailure({ response: { status: 502, data: body, headers: {} } });

test.each([
	['unclosed <script tags', '<html><body>' + '<script'.repeat(320_000 / 7)],
	['unclosed <h1 tags', '<h1'.repeat(320_000 / 3)],
	['unclosed <title tags', '<title'.repeat(320_000 / 6)],
	['unclosed <style tags as a Buffer', Buffer.from('<style>'.repeat(320_000 / 7))],
])('320 kB of %s is read in under 100 ms', (_, body) => {
	const started = performance.now();
	failureOf(body);
	expect(performance.now() - started).toBeLessThan(100);
});

test('the headline of an ordinary error page is still found', () => {
	const page = `<html><head><title>502 Bad Gateway</title><script>var x = 1;</script></head><body>${'<p>filler</p>'.repeat(20_000)}</body></html>`;
	expect(failureOf(page).apiMessage).toBe('502 Bad Gateway');
	expect(failureOf('<div><script>alert(1)</script>Upstream   timed out</div>').apiMessage).toBe(
		'Upstream timed out',
	);
});

test('a long JSON error body is still read as JSON', () => {
	const body = JSON.stringify({ message: 'Invalid partner', padding: 'x'.repeat(50_000) });
	expect(failureOf(body).apiMessage).toBe('Invalid partner');
});

describe('an echoed secret cut by a length limit never leaves its start in the error text', () => {
	const echoed = 'S3cr3t-T0ken-Value-0123456789abcdef';
	const node = {
		id: 'n',
		name: 'MFT Gateway',
		type: 't',
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters: {},
	};
	const errorText = (body: string) =>
		toNodeApiError(node, failureOf(body), {
			action: 'Send the message',
			host: 'api.mftgateway.com',
			attempts: 1,
			secrets: [echoed],
		}).message;

	test.each([150, 180, 199, 290, 299])('plain text with the echoed starting at %i', (at) => {
		const text = errorText(`${'x '.repeat(at / 2)}${echoed} and more words after it`);
		expect(text).not.toContain(echoed.slice(0, 6));
	});

	test.each([4080, 4090])(
		'an HTML page (tags, then the echoed across the 4 kB scan limit, at %i)',
		(at) => {
			const text = errorText(`${'<i></i>'.repeat(Math.floor(at / 7))}${echoed}`);
			expect(text).not.toContain(echoed.slice(0, 6));
		},
	);

	test.each([270, 285])(
		'a JSON body without a message, echoing the echoed at %i (across the old 300-character cut)',
		(at) => {
			const text = errorText(JSON.stringify({ padding: 'z'.repeat(at - 21), echo: echoed }));
			expect(text).not.toContain(echoed.slice(0, 6));
		},
	);
});
