import type { IBinaryData, IN8nHttpFullResponse } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

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
	const fetchOnce = async (): Promise<AttemptResult<IBinaryData>> => {
		try {
			const response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				json: false,
				returnFullResponse: true,
				timeout: DOWNLOAD_TIMEOUT_MS,
			})) as IN8nHttpFullResponse;
			const contentType = String(response.headers['content-type'] ?? '')
				.split(';')[0]
				.trim();
			const mimeType =
				file.mimeType ||
				(contentType && contentType !== 'binary/octet-stream' ? contentType : undefined);
			return {
				ok: true,
				value: await this.helpers.prepareBinaryData(
					response.body as Buffer,
					file.fileName,
					mimeType,
				),
			};
		} catch (error) {
			// An error body is an unread stream here: read its first few kB (the storage says why, e.g.
			// "Request has expired") and free the socket.
			const response = (error as { response?: { data?: unknown } }).response;
			if (response) response.data = await readSmallBody(response.data);
			return { ok: false, failure: readFailure(error) };
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
