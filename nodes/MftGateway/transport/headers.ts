import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

const ASCII = /^[\x20-\x7e]*$/;

export const isAscii = (value: string): boolean => ASCII.test(value);

/**
 * A header value that may hold any Unicode text, as MIME writes it (RFC 2047 encoded-words, UTF-8,
 * base64). Node refuses header values outside Latin-1, and Latin-1 bytes would reach a UTF-8 server as
 * other characters, so anything not plain ASCII is encoded. Words stay within 75 characters each.
 */
export function encodeHeaderText(value: string): string {
	if (isAscii(value)) return value;
	const words: string[] = [];
	let chunk = '';
	for (const char of value) {
		if (Buffer.byteLength(chunk + char, 'utf8') > 45) {
			words.push(chunk);
			chunk = '';
		}
		chunk += char;
	}
	if (chunk) words.push(chunk);
	return words
		.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`)
		.join(' ');
}

/** AS2 identifiers and MIME types are printable ASCII (RFC 4130 §6.2); refused before any request otherwise. */
export function requireAscii(node: INode, value: string, field: string, itemIndex: number): void {
	const bad = [...value].find((char) => !ASCII.test(char));
	if (bad !== undefined) {
		throw new NodeOperationError(node, `${field} contains "${bad}", which is not allowed there`, {
			itemIndex,
			description: `${field} must be plain ASCII (letters, digits and printable symbols): AS2 identifiers and content types cannot carry other characters. Nothing was sent.`,
		});
	}
}
