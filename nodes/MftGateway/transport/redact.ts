/**
 * Removes secrets from any text that may reach a user, a log or an output item: JWTs (api and refresh
 * tokens), pre-signed URL signatures and security tokens, and Authorization header values.
 */
const PATTERNS: Array<[RegExp, string]> = [
	[/eyJ[\w-]{4,}\.[\w-]{4,}\.[\w-]{4,}/g, '[redacted token]'],
	[/(X-Amz-(?:Signature|Security-Token|Credential)=)[^&\s"']+/gi, '$1[redacted]'],
	[/(authorization["']?\s*[:=]\s*["']?)[^"',\s}]+/gi, '$1[redacted]'],
];

export function redact(text: string, secrets: string[] = []): string {
	let result = text;
	for (const secret of secrets) {
		if (!secret || secret.length < 4) continue;
		// As sent, as a JSON string would echo it, and URL-encoded.
		for (const form of new Set([
			secret,
			JSON.stringify(secret).slice(1, -1),
			encodeURIComponent(secret),
		]))
			result = result.split(form).join('[redacted]');
	}
	for (const [pattern, replacement] of PATTERNS) result = result.replace(pattern, replacement);
	return result;
}

/**
 * Shortens text for a message, after it was redacted: cutting first could leave the start of a secret
 * that `redact` no longer recognises.
 */
export function clip(text: string, max: number): string {
	return text.length <= max ? text : `${text.slice(0, max)}…`;
}

/**
 * Cuts raw text to `max` characters for parsing, dropping the token the cut went through, so no partial
 * secret survives the cut (a whole one is removed by `redact` later).
 */
export function cutForScan(text: string, max: number): string {
	return text.length <= max ? text : text.slice(0, max).replace(/[^\s<>"',;:{}[\]]*$/, '');
}

/** A pre-signed URL without its query string, for messages that must say which file failed. */
export function describeUrl(url: string): string {
	try {
		const parsed = new URL(url);
		return `${parsed.origin}${parsed.pathname}`;
	} catch {
		return '[invalid URL]';
	}
}
