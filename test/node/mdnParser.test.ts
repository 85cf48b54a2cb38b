import { parseMdn } from '../../nodes/MftGateway/helpers/mdnParser';

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
