import type { IBinaryData } from 'n8n-workflow';

import { downloadPresigned } from '../transport/download';
import { messagePath, type Side } from '../transport/ids';
import { apiRequest, type MftContext, type RunContext } from '../transport/request';

export interface AttachmentLink {
	name: string;
	url: string;
}

/** The pre-signed URLs of a message's files; `missingOk` answers [] where the API says none (404). */
export async function listAttachments(
	this: MftContext,
	side: Side,
	id: string,
	itemIndex?: number,
	missingOk = false,
): Promise<AttachmentLink[]> {
	const answer = await apiRequest.call(this, {
		notFoundOk: missingOk,
		method: 'GET',
		path: messagePath(side, id, '/attachments'),
		service: true,
		action: `Get the attachments of message ${id}`,
		notFoundHint: `No attachments for this ID in the ${side}: check the ID and Box, or the files were removed (after 70 days, or on a successful MDN when the partner is set to).`,
		itemIndex,
	});
	return ((answer.attachments as AttachmentLink[]) ?? []).filter(
		(a) => a && typeof a.url === 'string',
	);
}

/** Downloads every file of a message into binary data, in order; an expired URL is renewed through the API. */
export async function downloadAttachments(
	this: RunContext,
	side: Side,
	id: string,
	itemIndex?: number,
	missingOk = false,
): Promise<Array<{ name: string; binary: IBinaryData }>> {
	const links = await listAttachments.call(this, side, id, itemIndex, missingOk);
	const files = [];
	for (const [index, link] of links.entries()) {
		const binary = await downloadPresigned.call(this, {
			url: link.url,
			fileName: link.name,
			action: `Download attachment "${link.name}" of message ${id}`,
			itemIndex,
			renewUrl: async () =>
				(await listAttachments.call(this, side, id, itemIndex))[index]?.url ?? link.url,
		});
		files.push({ name: link.name, binary });
	}
	return files;
}
