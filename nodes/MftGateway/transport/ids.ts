import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

export type Side = 'inbox' | 'outbox';

/** Message ids look like `<1594924294698@mftgateway.com>`; users may paste them without the brackets. */
export function normaliseMessageId(
	node: INode,
	value: unknown,
	itemIndex: number,
	field = 'Message ID',
): string {
	const text = String(value ?? '').trim();
	if (!text || text === '<>') {
		throw new NodeOperationError(node, `${field} is empty`, {
			itemIndex,
			description:
				'Give a message ID such as <1594924294698@mftgateway.com> (the angle brackets are optional).',
		});
	}
	rejectControlCharacters(node, text, field, itemIndex);
	return text.startsWith('<') && text.endsWith('>') ? text : `<${text.replace(/^<|>$/g, '')}>`;
}

/** `/message/{side}/{id}{suffix}` with the id encoded (ids may contain `/`, `+`, `%`). */
export function messagePath(side: Side, id: string, suffix = ''): string {
	return `/message/${side}/${encodeURIComponent(id)}${suffix}`;
}

/** Header values typed by users must not smuggle extra headers: CR, LF and other control characters are refused. */
export function rejectControlCharacters(
	node: INode,
	value: string,
	field: string,
	itemIndex: number,
): void {
	const bad = firstControlCharacter(value, true);
	if (bad !== undefined) {
		const name =
			bad === '\r'
				? 'a carriage return (CR)'
				: bad === '\n'
					? 'a line break (LF)'
					: `the control character 0x${bad.charCodeAt(0).toString(16).padStart(2, '0')}`;
		throw new NodeOperationError(node, `${field} contains ${name}`, {
			itemIndex,
			description: `Remove line breaks and control characters from "${field}"; it is sent as an HTTP header.`,
		});
	}
}

/** The first C0 control character or DEL in `value` (a tab allowed when `tabOk`), if any. */
export function firstControlCharacter(value: string, tabOk = false): string | undefined {
	for (const char of value) {
		const code = char.charCodeAt(0);
		if ((code < 0x20 && !(tabOk && code === 0x09)) || code === 0x7f) return char;
	}
	return undefined;
}
