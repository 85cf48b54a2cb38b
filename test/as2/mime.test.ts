import {
	bodyText,
	decodeCharset,
	parseEntity,
	parseHeaderValue,
	parts,
	splitMultipart,
} from '../../nodes/MftGateway/as2/mime';

describe('MIME reader', () => {
	test('parameters: quoted, unquoted, escaped, RFC 2231 continuations and charsets', () => {
		expect(
			parseHeaderValue(
				'multipart/signed; protocol="application/pkcs7-signature"; MICALG=SHA-256; boundary="a;b \\"c\\""',
			),
		).toEqual({
			value: 'multipart/signed',
			params: { protocol: 'application/pkcs7-signature', micalg: 'SHA-256', boundary: 'a;b "c"' },
		});
		expect(
			parseHeaderValue(
				'attachment; filename*0*=UTF-8\'\'Bestellung%20f%C3%BCr; filename*1=" M.edi"',
			).params.filename,
		).toBe('Bestellung für M.edi');
		expect(parseHeaderValue("x; title*=iso-8859-1'de'f%FCr").params.title).toBe('für');
	});

	test('headers: any case, folded with tabs or spaces, LF-only', () => {
		const entity = parseEntity(
			Buffer.from(
				'CONTENT-type: multipart/report;\n\treport-type=disposition-notification;\n  boundary=xyz\n\nbody',
			),
		);
		expect(entity.mediaType).toBe('multipart/report');
		expect(entity.contentType.params).toEqual({
			'report-type': 'disposition-notification',
			boundary: 'xyz',
		});
		expect(entity.body.toString()).toBe('body');
	});

	test('multipart parts keep their exact bytes; the CRLF before a delimiter belongs to the delimiter', () => {
		const first = 'Content-Type: text/plain\r\n\r\nline 1\r\nline 2\r\n';
		const raw = Buffer.from(
			`Content-Type: multipart/mixed; boundary=b\r\n\r\npreamble\r\n--b\r\n${first}\r\n--b\r\n\r\nsecond\r\n--b--\r\nepilogue`,
		);
		const [one, two] = parts(parseEntity(raw));
		expect(one.raw.toString()).toBe(first);
		expect(two.raw.toString()).toBe('\r\nsecond');
		expect(two.headers.size).toBe(0);
		const cut = splitMultipart(parseEntity(raw.subarray(0, raw.indexOf('--b--'))));
		expect(cut.complete).toBe(false);
	});

	test('a boundary that only starts like another is not a delimiter', () => {
		const raw = Buffer.from(
			'Content-Type: multipart/mixed; boundary=b\n\n--b\n\n--bc is text\n--b--\n',
		);
		expect(parts(parseEntity(raw)).map((p) => p.body.toString())).toEqual(['--bc is text']);
	});

	test.each([
		['quoted-printable', 'utf-8', 'f=C3=BCr =\r\nM=C3=BCller=20', 'für Müller '],
		['base64', 'iso-8859-1', Buffer.from('für', 'latin1').toString('base64'), 'für'],
		[
			'8bit',
			'windows-1252',
			Buffer.from([0x93, 0x61, 0x94, 0x20, 0x80]).toString('latin1'),
			'“a” €',
		],
		['7bit', 'us-ascii', 'plain', 'plain'],
		['binary', 'utf-8', 'é', 'é'],
	])('%s %s', (encoding, charset, body, expected) => {
		const entity = parseEntity(
			Buffer.concat([
				Buffer.from(
					`Content-Type: text/plain; charset="${charset}"\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`,
				),
				Buffer.from(body, encoding === 'binary' ? 'utf8' : 'latin1'),
			]),
		);
		expect(bodyText(entity)).toBe(expected);
	});

	test('us-ascii declared but 8-bit bytes: UTF-8 when valid, else Latin-1', () => {
		expect(decodeCharset(Buffer.from('für', 'utf8'), 'us-ascii')).toBe('für');
		expect(decodeCharset(Buffer.from('für', 'latin1'), 'us-ascii')).toBe('für');
	});
});
