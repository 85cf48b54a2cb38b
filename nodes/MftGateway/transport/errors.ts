import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { type HttpFailure, networkProblem } from './failure';
import { NOT_CONNECTED } from './retryPolicy';
import { clip, redact } from './redact';

export interface FailureContext {
	/** What was being done, e.g. "Get message <id> from the inbox". */
	action: string;
	/** Advice for a 404 / 422 from this call (the API's text alone rarely says what to change). */
	notFoundHint?: string;
	invalidHint?: string;
	forbiddenHint?: string;
	attempts: number;
	itemIndex?: number;
	/** A submit: when its bytes may have reached the server, say it was not resent and how to check. */
	maybeSent?: boolean;
	host: string;
	/** Values that must never appear in the error (password, token secret, tokens), whatever the server echoed. */
	secrets?: string[];
}

/** Failures after which a submit may have been taken: a server error, or a connection that broke or timed out. */
export function mayHaveReachedServer(failure: HttpFailure): boolean {
	if (failure.status >= 500) return true;
	return (
		failure.status === 0 && failure.code !== undefined && !NOT_CONNECTED.includes(failure.code)
	);
}

const MAYBE_SENT =
	'The message may already have been queued, so it was NOT sent again (a duplicate AS2 message reaches the partner twice). ' +
	'Before resending, look for it with Message → Get Many in the Queued, Sent and Failed folders (filter by partner or subject).';

function advice(failure: HttpFailure, ctx: FailureContext): string {
	const retried = ctx.attempts > 1 ? ` (tried ${ctx.attempts} times)` : '';
	if (failure.status === 0 && !failure.code)
		return 'The request could not be made, so nothing reached MFT Gateway.';
	if (failure.status === 0)
		return `Could not reach ${ctx.host}: ${networkProblem(failure.code)}${retried}. Check the Base URL in the credential and the network.`;
	if (failure.status >= 300 && failure.status < 400) {
		return `MFT Gateway answered with a redirect${failure.location ? ` to ${failure.location}` : ''}, which is not followed (it could take the token elsewhere). Set the Base URL in the credential to the final address.`;
	}
	switch (failure.status) {
		case 400:
			return 'MFT Gateway refused the request as invalid; check the fields named above.';
		case 401:
			return 'The credentials were refused even after a fresh login. Check the MFT Gateway API credential.';
		case 403:
			return (
				ctx.forbiddenHint ??
				'This account or API token is not allowed to do this (a Read-Only token cannot change anything).'
			);
		case 404:
			return ctx.notFoundHint ?? 'It does not exist (or was deleted). Check the identifier.';
		case 413:
			return 'The payload is too large for the REST API. Send a smaller file.';
		case 422:
			return ctx.invalidHint ?? 'MFT Gateway could not process the values given. Check them.';
		case 429:
			return `MFT Gateway is limiting the request rate${retried}. Run fewer items at once or add a Wait node.`;
		default:
			return failure.status >= 500
				? `MFT Gateway had a server error${retried}. Try again later.`
				: `HTTP ${failure.status}${retried}.`;
	}
}

/** The server's words as an error shows them: secrets removed first, then shortened. */
const shown = (text: string | undefined, secrets: string[] | undefined): string =>
	clip(redact(text ?? '', secrets), API_TEXT_CHARS);
const API_TEXT_CHARS = 300;

/** The one way an HTTP failure becomes an n8n error: API text + what to do, never a secret. */
export function toNodeApiError(
	node: INode,
	failure: HttpFailure,
	ctx: FailureContext,
): NodeApiError {
	if (failure.login) {
		const message = redact(
			`${ctx.action} failed. ${shown(failure.apiMessage, ctx.secrets)}`,
			ctx.secrets,
		);
		return new NodeApiError(
			node,
			{ message },
			{
				message,
				description: 'The request was not sent: the credential could not log in.',
				itemIndex: ctx.itemIndex,
			},
		);
	}
	const what =
		shown(failure.apiMessage, ctx.secrets) ||
		(failure.status ? `HTTP ${failure.status}` : 'no answer');
	const tail = ctx.maybeSent && mayHaveReachedServer(failure) ? ` ${MAYBE_SENT}` : '';
	const message = redact(
		`${ctx.action} failed: ${what}. ${advice(failure, ctx)}${tail}`,
		ctx.secrets,
	);
	// No `code` here: NodeApiError would replace the message with its own text for network codes.
	const payload: JsonObject = { message, httpCode: failure.status ? String(failure.status) : null };
	const error = new NodeApiError(node, payload, {
		message,
		description: failure.status
			? `HTTP ${failure.status} from ${ctx.host}`
			: failure.code
				? `No response from ${ctx.host} (${failure.code})`
				: 'The request was not made',
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex: ctx.itemIndex,
	});
	if (tail) error.context.maybeSent = true;
	return error;
}

/** Whether an error is a submit whose bytes may have reached the server (its answer was lost). */
export function isMaybeSent(error: unknown): boolean {
	return error instanceof NodeApiError && error.context?.maybeSent === true;
}

/** An error as n8n shows it: ours pass through unchanged, anything else is wrapped with the item it belongs to. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex?: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}
