import type { IBinaryData, IBinaryKeyData } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { downloadPresigned } from '../transport/download';
import { asNodeError } from '../transport/errors';
import { messagePath, type Side } from '../transport/ids';
import { apiRequestFull, type MftContext, type RunContext } from '../transport/request';

export interface AttachmentLink {
	name: string;
	url: string;
}

/** The pre-signed URLs of a message's files; null where the API lists none (404), when `missingOk`. */
async function attachmentLinks(
	this: MftContext,
	side: Side,
	id: string,
	itemIndex: number | undefined,
	missingOk: boolean,
): Promise<AttachmentLink[] | null> {
	const answer = await apiRequestFull.call(this, {
		notFoundOk: missingOk,
		method: 'GET',
		path: messagePath(side, id, '/attachments'),
		service: true,
		action: `Get the attachments of message ${id}`,
		notFoundHint: `No attachments for this ID in the ${side}: check the ID and Box, or the files were removed (after 70 days, or on a successful MDN when the partner is set to).`,
		itemIndex,
	});
	if (answer.statusCode === 404) return null;
	return ((answer.body.attachments as AttachmentLink[]) ?? []).filter(
		(a) => a && typeof a.url === 'string',
	);
}

/** The pre-signed URLs of a message's files. */
export async function listAttachments(
	this: MftContext,
	side: Side,
	id: string,
	itemIndex?: number,
): Promise<AttachmentLink[]> {
	return (await attachmentLinks.call(this, side, id, itemIndex, false)) ?? [];
}

/** A file the storage no longer has (or not yet): 404 from the pre-signed URL. */
const isGone = (error: unknown) => error instanceof NodeApiError && error.httpCode === '404';

/**
 * The new URL of a file from a fresh attachment list: matched by name (the list may come in another order,
 * or have gained or lost files); by position only when the name is not unique in it.
 */
export function renewedLink(fresh: AttachmentLink[], link: AttachmentLink, index: number): string {
	const named = fresh.filter((candidate) => candidate.name === link.name);
	if (named.length === 1) return named[0].url;
	return (named.length > 1 ? fresh[index]?.url : undefined) ?? link.url;
}

/**
 * Downloads the listed files into binary data, in order; an expired URL is renewed through the API.
 * With `skipGone`, a file the storage answers 404 for is left out and named in `gone` instead of failing.
 */
async function downloadLinks(
	this: RunContext,
	side: Side,
	id: string,
	links: AttachmentLink[],
	itemIndex: number | undefined,
	skipGone: boolean,
): Promise<{ files: Array<{ name: string; binary: IBinaryData }>; gone: string[] }> {
	const files = [];
	const gone: string[] = [];
	for (const [index, link] of links.entries()) {
		try {
			const binary = await downloadPresigned.call(this, {
				url: link.url,
				fileName: link.name,
				action: `Download attachment "${link.name}" of message ${id}`,
				itemIndex,
				renewUrl: async () =>
					renewedLink(await listAttachments.call(this, side, id, itemIndex), link, index),
			});
			files.push({ name: link.name, binary });
		} catch (error) {
			if (!skipGone || !isGone(error)) throw asNodeError(this.getNode(), error, itemIndex);
			gone.push(link.name);
		}
	}
	return { files, gone };
}

/** Downloads every file of a message into binary data, in order (the action node: any failure fails). */
export async function downloadAttachments(
	this: RunContext,
	side: Side,
	id: string,
	itemIndex?: number,
): Promise<Array<{ name: string; binary: IBinaryData }>> {
	const links = await listAttachments.call(this, side, id, itemIndex);
	return (await downloadLinks.call(this, side, id, links, itemIndex, false)).files;
}

/** A message's files as the triggers put them on an item, and what could not be had. */
export interface ItemFiles {
	/** `<prefix>0`, `<prefix>1`, … for the files downloaded, in the API's order. */
	binary: IBinaryKeyData;
	/** Why files are missing (the API lists none, or the storage has some no more); undefined when none is. */
	downloadError?: string;
}

/**
 * The triggers' Download Attachments. A file that is gone (404 from the API or the storage) does not fail
 * the item: one vanished file must not block every later message. Other failures (429, 5xx, timeouts
 * after the retries) are thrown, so the event is tried again.
 */
export async function attachmentsAsBinary(
	this: RunContext,
	side: Side,
	id: string,
	prefix: string,
): Promise<ItemFiles> {
	const links = await attachmentLinks.call(this, side, id, undefined, true);
	if (!links)
		return { binary: {}, downloadError: `MFT Gateway lists no files of message ${id} (404)` };
	const { files, gone } = await downloadLinks.call(this, side, id, links, undefined, true);
	const binary: IBinaryKeyData = {};
	files.forEach((file, index) => (binary[`${prefix}${index}`] = file.binary));
	if (!gone.length) return { binary };
	const names = gone.map((name) => `"${name}"`).join(', ');
	return { binary, downloadError: `Not in the file storage (404): ${names} of message ${id}` };
}
