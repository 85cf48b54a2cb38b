/**
 * Review: a pre-signed link naming the metadata service in another spelling must be refused too: an
 * IPv4-mapped (or NAT64, or IPv4-compatible) IPv6 address reaches the same IPv4 host, and a host name
 * with a trailing dot is the same name as without. A host name that starts with "127." is not loopback.
 */
import { refusedUrl } from '../../nodes/MftGateway/transport/download';

test.each([
	'https://[::ffff:169.254.169.254]/latest/meta-data/',
	'https://[0:0:0:0:0:ffff:a9fe:a9fe]/',
	'https://[::ffff:100.100.100.200]/',
	'https://[64:ff9b::169.254.169.254]/',
	'https://[::169.254.169.254]/',
	'https://metadata.google.internal./computeMetadata/v1/',
	'https://metadata./',
	'https://instance-data./',
])('%s is refused', (url) => {
	expect(refusedUrl(url)).toMatch(/link-local or cloud metadata/);
});

test.each(['http://127.attacker.example/file', 'http://127.0.0.1.nip.io/file'])(
	'%s is not loopback: plain http is refused',
	(url) => {
		expect(refusedUrl(url)).toMatch(/not https/);
	},
);

test.each([
	'https://bucket.s3.amazonaws.com./file?X-Amz-Signature=1',
	'https://[::ffff:52.216.0.1]/file',
	'https://52.216.0.1/file',
	'http://127.0.0.1:3000/file',
])('%s is still fetched', (url) => {
	expect(refusedUrl(url)).toBeUndefined();
});
