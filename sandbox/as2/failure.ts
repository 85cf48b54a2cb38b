/* eslint-disable @n8n/community-nodes/require-node-api-error -- the sandbox is dev-only tooling, not n8n node code */
/**
 * Why an AS2 message could not be processed, as an MDN states it: the disposition modifier that goes after
 * `processed/` or `failed/` (RFC 4130 §7.5.3, RFC 8098 §3.2.6) and a sentence a person understands.
 */
export class As2Failure extends Error {
	constructor(
		/** e.g. `error: decryption-failed`, `failure: unsupported MIC-algorithms`. */
		readonly modifier: string,
		message: string,
	) {
		super(message);
	}

	/** `failed` for a `failure:` modifier (the message could not be read at all), else `processed`. */
	get disposition(): 'processed' | 'failed' {
		return /^failure:/i.test(this.modifier) ? 'failed' : 'processed';
	}
}

/** Runs `step`; any error that is not already an As2Failure becomes one with `modifier`. */
export function failingAs<T>(modifier: string, what: string, step: () => T): T {
	try {
		return step();
	} catch (error) {
		if (error instanceof As2Failure) throw error;
		throw new As2Failure(modifier, `${what}: ${(error as Error).message}`);
	}
}
