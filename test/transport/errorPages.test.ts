/** Issue 18, item 13: an error page is read in time proportional to a few kB, whatever its size and shape. */
import { readFailure } from '../../nodes/MftGateway/transport/failure';

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
