import { parseMdn } from '../../nodes/MftGateway/as2/mdn';

const report = (notification: string, extraHeaders = '', encoding = '7bit') =>
	[
		'Content-Type: multipart/report; report-type=disposition-notification;',
		'\tboundary="b1"',
		'',
		'--b1',
		'Content-Type: text/plain',
		'',
		'The message could not be decrypted.',
		'--b1',
		`Content-Type: message/disposition-notification${extraHeaders}`,
		`Content-Transfer-Encoding: ${encoding}`,
		'',
		notification,
		'--b1--',
		'',
	].join('\n');

test('a failed MDN with an error modifier, LF line ends and a folded header', () => {
	const parsed = parseMdn(
		report(
			'Original-Message-ID: <abc@partner>\nDisposition: automatic-action/MDN-sent-automatically;\n processed/error: decryption-failed\nReceived-Content-MIC: AAAA, sha1',
		),
	);
	expect(parsed).toMatchObject({
		signed: false,
		originalMessageId: '<abc@partner>',
		disposition: {
			type: 'processed',
			modifier: { kind: 'error', text: 'decryption-failed' },
			successful: false,
		},
		receivedContentMic: { digest: 'AAAA', algorithm: 'sha1' },
		humanReadable: 'The message could not be decrypted.',
	});
});

test('a base64-encoded notification part, and a report without the outer header block', () => {
	const fields = Buffer.from(
		'Original-Message-ID: <x@y>\r\nDisposition: manual-action/MDN-sent-manually; failed/failure: unsupported format\r\n',
	).toString('base64');
	const parsed = parseMdn(report(fields, '', 'base64').split('\n').slice(3).join('\n'));
	expect(parsed.disposition).toMatchObject({
		actionMode: 'manual-action',
		type: 'failed',
		modifier: { kind: 'failure', text: 'unsupported format' },
		successful: false,
	});
	expect(parsed.receivedContentMic).toBeNull();
});

test('a processed MDN with a warning counts as successful', () => {
	expect(
		parseMdn(
			report(
				'Disposition: automatic-action/MDN-sent-automatically; processed/warning: duplicate-document',
			),
		).disposition,
	).toMatchObject({ successful: true, modifier: { kind: 'warning' } });
});

test('something that is not an MDN is refused', () => {
	expect(() => parseMdn('Content-Type: text/plain\n\nhello')).toThrow(
		'The MDN has no message/disposition-notification part',
	);
});

describe('the human-readable text in its declared charset (issue 18 item 12)', () => {
	const withText = (headers: string, body: string) =>
		[
			'Content-Type: multipart/report; report-type=disposition-notification; boundary="b1"',
			'',
			'--b1',
			headers,
			'',
			body,
			'--b1',
			'Content-Type: message/disposition-notification',
			'',
			'Disposition: automatic-action/MDN-sent-automatically; processed',
			'--b1--',
			'',
		].join('\r\n');

	test('quoted-printable UTF-8', () => {
		const parsed = parseMdn(
			withText(
				'Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: quoted-printable',
				'Empfangen f=C3=BCr M=C3=BCller, =\r\n=E6=B3=A8=E6=96=87',
			),
		);
		expect(parsed.humanReadable).toBe('Empfangen für Müller, 注文');
	});

	test('base64 ISO-8859-1', () => {
		const parsed = parseMdn(
			withText(
				'Content-Type: text/plain; charset="iso-8859-1"\r\nContent-Transfer-Encoding: base64',
				Buffer.from('Empfangen für Müller', 'latin1').toString('base64'),
			),
		);
		expect(parsed.humanReadable).toBe('Empfangen für Müller');
	});

	test('8-bit ISO-8859-1 bytes in the raw MDN are read as ISO-8859-1, not UTF-8', () => {
		const raw = Buffer.from(
			withText(
				'Content-Type: text/plain; charset=ISO-8859-1\r\nContent-Transfer-Encoding: 8bit',
				'für',
			),
			'latin1',
		);
		expect(parseMdn(raw).humanReadable).toBe('für');
	});
});
