import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { attachmentsAsBinary } from '../../MftGateway/helpers/attachments';
import { messageIdOf } from '../../MftGateway/helpers/output';
import { messageOutput } from '../../MftGateway/helpers/simplify';
import type { Side } from '../../MftGateway/transport/ids';
import type { RunContext } from '../../MftGateway/transport/request';

export interface ItemOptions {
	event: string;
	idsOnly: boolean;
	downloadAttachments: boolean;
	binaryPrefix: string;
	/** Node version 2: the simplified message unless Simplify is off (see helpers/simplify.ts). */
	typeVersion: number;
	simplify: boolean;
}

/** One output item per message: the API object (or only its id), and its files when asked for. */
export async function messageItem(
	this: RunContext,
	side: Side,
	id: string,
	message: IDataObject,
	options: ItemOptions,
): Promise<INodeExecutionData> {
	const json: IDataObject = options.idsOnly
		? {
				messageIdentifier: messageIdOf(message) ?? id,
				timestamp: message.timestamp ?? null,
				event: options.event,
			}
		: { ...messageOutput(message, options.typeVersion, options.simplify), event: options.event };
	if (!options.downloadAttachments) return { json };
	// A file that is gone is reported on the item: failing the poll would block every later message.
	const { binary, downloadError } = await attachmentsAsBinary.call(
		this,
		side,
		id,
		options.binaryPrefix,
	);
	if (downloadError) json.downloadError = downloadError;
	return Object.keys(binary).length ? { json, binary } : { json };
}
