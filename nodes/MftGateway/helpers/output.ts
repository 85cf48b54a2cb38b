import type { IDataObject } from 'n8n-workflow';

/** Fields the API gives as epoch milliseconds; each gets an ISO 8601 copy named `<field>Iso`. */
const EPOCH_FIELDS = [
	'timestamp',
	'lastAttemptTime',
	'receivedAt',
	'sentAt',
	'validFromTimestamp',
	'expiryTimestamp',
	'nextRetryTimestamp',
];

/** Returns the API object unchanged plus ISO copies of its epoch-ms timestamps (also inside `mdnMessage`). */
export function withIsoTimestamps(source: IDataObject): IDataObject {
	const result: IDataObject = { ...source };
	for (const field of EPOCH_FIELDS) {
		const value = source[field];
		if (typeof value === 'number' && Number.isFinite(value) && value > 0)
			result[`${field}Iso`] = new Date(value).toISOString();
	}
	const mdn = source.mdnMessage;
	if (mdn && typeof mdn === 'object' && !Array.isArray(mdn))
		result.mdnMessage = withIsoTimestamps(mdn as IDataObject);
	return result;
}

/** A text field as output: trimmed, or null when it is missing, not a string, or blank. */
export function textOrNull(value: unknown): string | null {
	return typeof value === 'string' && value.trim() !== '' ? value.trim() : null;
}

/** The message id from any response shape (post-2024 `identifier`/`messageIdentifier` or legacy names). */
export function messageIdOf(body: IDataObject): string | undefined {
	const id = body.messageIdentifier ?? body.identifier ?? body.as2MessageId ?? body.as2messageId;
	return typeof id === 'string' ? id : undefined;
}

/** Splits ids given as a list, or as text separated by commas, semicolons or line breaks. */
export function splitIds(value: unknown): string[] {
	const parts = Array.isArray(value) ? value.map(String) : String(value ?? '').split(/[\n\r,;]+/);
	return parts.map((p) => p.trim()).filter(Boolean);
}
