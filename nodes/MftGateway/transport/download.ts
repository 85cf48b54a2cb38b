import type { IBinaryData, IN8nHttpFullResponse } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import { toNodeApiError } from './errors';
import { readFailure } from './failure';
import { describeUrl } from './redact';
import type { RunContext } from './request';
import { type AttemptResult, withRetries } from './retryPolicy';

export interface PresignedDownload {
	url: string;
	fileName: string;
	mimeType?: string;
	/** Asks the API for a fresh URL of the same file (called once, when the first URL has expired). */
	renewUrl: () => Promise<string>;
	action: string;
	itemIndex?: number;
}

const DOWNLOAD_TIMEOUT_MS = 10 * 60_000;
const ERROR_BODY_BYTES = 4096;
/** Redirects followed on the storage host (S3 answers 307 to a bucket's own endpoint; that is another host). */
const MAX_REDIRECTS = 3;

/** Cloud metadata services by name; their addresses are caught as link-local or below. */
const METADATA_HOSTS = ['metadata.google.internal', 'metadata', 'instance-data'];
/** Metadata addresses that are not link-local: AWS IPv6, Alibaba, Oracle's IPv6. */
const METADATA_ADDRESSES = ['fd00:ec2::254', '100.100.100.200', 'fd00:c1::a9fe:a9fe'];

const isLoopback = (host: string) =>
	host === 'localhost' ||
	host.endsWith('.localhost') ||
	/^127\.\d+\.\d+\.\d+$/.test(host) ||
	host === '::1';
const isLinkLocal = (host: string) => /^169\.254\./.test(host) || /^fe[89ab][0-9a-f]:/i.test(host);

/**
 * The IPv4 address an IPv6 address carries in its last 32 bits, when it reaches that IPv4 host: mapped
 * (::ffff:a.b.c.d), compatible (::a.b.c.d) or NAT64 (64:ff9b::a.b.c.d). The URL parser has already
 * written the address in its short form, the IPv4 part as two hex groups.
 */
function embeddedIpv4(host: string): string | undefined {
	const match = /^(?:::ffff:|::|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
	if (!match) return undefined;
	const [high, low] = [parseInt(match[1], 16), parseInt(match[2], 16)];
	return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/**
 * Why a download URL (from an API answer, or a redirect) is refused, or undefined when it may be fetched:
 * https only (http for loopback, the sandbox), never a link-local or cloud metadata address (an answer
 * naming 169.254.169.254 would read the machine's credentials). Host names are not resolved here: the
 * names of metadata services are refused by name.
 */
export function refusedUrl(url: string): string | undefined {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		return 'it is not a URL';
	}
	// A trailing dot names the same host (metadata.google.internal. is metadata.google.internal).
	const host = parsed.hostname
		.toLowerCase()
		.replace(/^\[|\]$/g, '')
		.replace(/\.$/, '');
	if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(host)))
		return `it is not https (${parsed.protocol}//${parsed.host})`;
	const hosts = [host, embeddedIpv4(host) ?? host];
	if (
		hosts.some(
			(h) => isLinkLocal(h) || METADATA_ADDRESSES.includes(h) || METADATA_HOSTS.includes(h),
		)
	)
		return `${parsed.host} is a link-local or cloud metadata address`;
	return undefined;
}

/** The start of a streamed error body as text; the rest is discarded and the stream closed. */
async function readSmallBody(data: unknown): Promise<unknown> {
	const stream = data as (AsyncIterable<Buffer> & { destroy?: () => void }) | undefined;
	if (!stream || typeof stream[Symbol.asyncIterator] !== 'function') return data;
	const chunks: Buffer[] = [];
	let size = 0;
	try {
		for await (const chunk of stream) {
			chunks.push(Buffer.from(chunk));
			size += chunk.length;
			if (size >= ERROR_BODY_BYTES) break;
		}
	} catch {
		// a broken error body says nothing more
	} finally {
		stream.destroy?.();
	}
	return Buffer.concat(chunks).subarray(0, ERROR_BODY_BYTES).toString('utf8');
}

/**
 * Downloads a pre-signed URL straight into n8n's binary storage as a stream (no whole-file buffer).
 * A plain request without credentials: the api token never goes to the storage host, which would also
 * refuse a request carrying both kinds of auth. An expired URL (403) is renewed once.
 */
export async function downloadPresigned(
	this: RunContext,
	file: PresignedDownload,
): Promise<IBinaryData> {
	let url = file.url;
	let renewed = false;
	/** Why the last link was not followed; such a failure is not retried. */
	let refusal: { target: string; why: string } | undefined;
	const refused = (target: string, why: string): AttemptResult<never> => {
		refusal = { target, why };
		return { ok: false, failure: { status: 0, apiMessage: why } };
	};
	/** GET with redirects followed by hand, only on the same host (n8n would follow them anywhere). */
	const fetchOnce = async (): Promise<AttemptResult<IBinaryData>> => {
		let target = url;
		for (let redirects = 0; ; redirects++) {
			const why = refusedUrl(target);
			if (why) return refused(target, why);
			let response: IN8nHttpFullResponse;
			try {
				response = (await this.helpers.httpRequest({
					method: 'GET',
					url: target,
					encoding: 'stream',
					json: false,
					returnFullResponse: true,
					timeout: DOWNLOAD_TIMEOUT_MS,
					disableFollowRedirect: true,
				})) as IN8nHttpFullResponse;
			} catch (error) {
				const failed = (
					error as {
						response?: { status?: number; headers?: Record<string, unknown>; data?: unknown };
					}
				).response;
				const location = failed?.headers?.location;
				const status = failed?.status ?? 0;
				if (
					status >= 300 &&
					status < 400 &&
					typeof location === 'string' &&
					redirects < MAX_REDIRECTS
				) {
					const next = new URL(location, target);
					if (next.host !== new URL(target).host)
						return refused(target, `the storage redirected it to another host (${next.host})`);
					(failed?.data as { destroy?: () => void } | undefined)?.destroy?.();
					target = next.href;
					continue;
				}
				// An error body is an unread stream here: read its first few kB (the storage says why, e.g.
				// "Request has expired") and free the socket.
				if (failed) failed.data = await readSmallBody(failed.data);
				return { ok: false, failure: readFailure(error) };
			}
			const contentType = String(response.headers['content-type'] ?? '')
				.split(';')[0]
				.trim();
			const mimeType =
				file.mimeType ||
				(contentType && contentType !== 'binary/octet-stream' ? contentType : undefined);
			try {
				return {
					ok: true,
					value: await this.helpers.prepareBinaryData(
						response.body as Buffer,
						file.fileName,
						mimeType,
					),
				};
			} catch (error) {
				return { ok: false, failure: readFailure(error) };
			}
		}
	};
	const result = await withRetries(
		'idempotent',
		async () => {
			const first = await fetchOnce();
			if (first.ok || first.failure.status !== 403 || renewed) return first;
			renewed = true;
			url = await file.renewUrl();
			return await fetchOnce();
		},
		sleep,
	);
	if (result.ok) return result.value;
	if (refusal)
		throw new NodeOperationError(
			this.getNode(),
			`${file.action}: the download link was not followed, because ${refusal.why}`,
			{
				itemIndex: file.itemIndex,
				description: `Pre-signed links must be https on the storage host (http only on this machine, for the sandbox); link-local and cloud metadata addresses, and redirects to another host, are refused. Link: ${describeUrl(refusal.target)}`,
			},
		);
	throw toNodeApiError(this.getNode(), result.failure, {
		action: `${file.action} (${describeUrl(url)})`,
		notFoundHint:
			'The file is no longer in storage (MFT Gateway deletes files 70 days after they arrive, or on a successful MDN if the partner is set so).',
		forbiddenHint: renewed
			? /expired/i.test(result.failure.apiMessage ?? '')
				? "The download link had expired, and the new one MFT Gateway gave right after had expired too. Pre-signed links last 10 minutes and are checked against the clock: check that this machine's clock is right, then run it again."
				: 'The file storage refused the download link, and also the new one MFT Gateway gave right after. Run it again; if it persists, the file may have been removed from storage.'
			: undefined,
		attempts: result.attempts,
		itemIndex: file.itemIndex,
		host: new URL(url).host,
		secrets: [new URL(url).search],
	});
}
