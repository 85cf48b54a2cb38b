import { randomBytes } from 'crypto';

export interface MultipartFile {
	fileName: string;
	contentType: string;
	data: Buffer;
}

const quote = (value: string) => value.replace(/["\\]/g, '_');

/**
 * A multipart/form-data body (RFC 7578) with one `file` part per attachment, built as a Buffer: strict
 * community nodes cannot use the form-data package. Names were checked for control characters before.
 */
export function buildMultipart(files: MultipartFile[]): { body: Buffer; contentType: string } {
	const boundary = `----n8nMftGateway${randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const file of files) {
		const ascii = /^[\x20-\x7e]*$/.test(file.fileName);
		const disposition = ascii
			? `form-data; name="file"; filename="${quote(file.fileName)}"`
			: `form-data; name="file"; filename="${quote(file.fileName.replace(/[^\x20-\x7e]/g, '_'))}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`;
		chunks.push(
			Buffer.from(
				`--${boundary}\r\nContent-Disposition: ${disposition}\r\nContent-Type: ${file.contentType}\r\n\r\n`,
			),
			file.data,
			Buffer.from('\r\n'),
		);
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}
