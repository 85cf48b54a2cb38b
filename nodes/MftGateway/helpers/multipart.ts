import { randomBytes } from 'crypto';

export interface MultipartFile {
	fileName: string;
	contentType: string;
	size: number;
	/** Opens the content: a stream from n8n's binary storage, or a Buffer. */
	open: () => Promise<unknown>;
}

/**
 * A file name in a part header as browsers write it (WHATWG HTML, "multipart/form-data encoding
 * algorithm"): UTF-8 bytes inside `filename="…"`, with `"`, CR and LF percent-encoded. This is what MFT
 * Gateway's own web console uploads send, so the gateway reads it. `filename*` is not used: RFC 7578 §4.2
 * says it MUST NOT be in multipart/form-data, and a server that follows it ignores it (and keeps the
 * plain fallback).
 */
export function formDataFileName(name: string): string {
	return name.replace(
		/["\r\n]/g,
		(char) => `%${char.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`,
	);
}

/**
 * A streamed multipart/form-data body (RFC 7578), one `file` part per attachment, with its exact length.
 * It is handed to n8n's request helper as a Blob-like object whose `stream()` reads each file from
 * binary storage as it is sent, so a 150 MB file is never in memory (strict community nodes cannot use
 * the form-data package or node:stream).
 */
export function streamMultipart(files: MultipartFile[]): {
	contentType: string;
	contentLength: number;
	body: () => Promise<unknown>;
} {
	const boundary = `----n8nMftGateway${randomBytes(12).toString('hex')}`;
	const contentType = `multipart/form-data; boundary=${boundary}`;
	const heads = files.map((file) =>
		Buffer.from(
			`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${formDataFileName(file.fileName)}"\r\nContent-Type: ${file.contentType}\r\n\r\n`,
			'utf8',
		),
	);
	const lineEnd = Buffer.from('\r\n');
	const closing = Buffer.from(`--${boundary}--\r\n`);
	const contentLength =
		heads.reduce((sum, head, index) => sum + head.length + files[index].size + lineEnd.length, 0) +
		closing.length;
	async function* chunks(): AsyncGenerator<Buffer> {
		for (const [index, file] of files.entries()) {
			yield heads[index];
			const content = await file.open();
			if (Buffer.isBuffer(content)) yield content;
			else for await (const chunk of content as AsyncIterable<Buffer>) yield chunk;
			yield lineEnd;
		}
		yield closing;
	}
	const body = async () => ({
		[Symbol.toStringTag]: 'Blob',
		type: contentType,
		size: contentLength,
		stream: chunks,
	});
	return { contentType, contentLength, body };
}
