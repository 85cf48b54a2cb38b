import { SEED } from '../../sandbox';

export interface Answer {
	status: number;
	headers: Headers;
	text: string;
	/** Parsed JSON, or undefined when the body is not JSON. */
	json: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** A plain HTTP client for the sandbox's own tests (what a developer would write with fetch). */
export class SandboxClient {
	token = '';

	constructor(readonly url: string) {}

	async call(
		method: string,
		path: string,
		options: {
			body?: unknown;
			headers?: Record<string, string>;
			token?: string | null;
			raw?: Buffer | string;
		} = {},
	): Promise<Answer> {
		const headers: Record<string, string> = { ...options.headers };
		const token = options.token === undefined ? this.token : options.token;
		if (token) headers.Authorization = token;
		let body: Buffer | string | undefined = options.raw;
		if (options.body !== undefined) {
			body = JSON.stringify(options.body);
			headers['Content-Type'] ??= 'application/json';
		}
		const res = await fetch(path.startsWith('http') ? path : `${this.url}${path}`, {
			method,
			headers,
			body,
		});
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, headers: res.headers, text, json };
	}

	/** A sandbox-only control (`/_sandbox/<path>`, no token); its JSON answer, or an error naming the path. */
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	async admin(method: string, path: string, body?: unknown): Promise<any> {
		const answer = await this.call(method, `/_sandbox/${path}`, { body, token: null });
		if (answer.status >= 300) throw new Error(`${path}: ${answer.text}`);
		return answer.json;
	}

	async login(mode: 'password' | 'apiToken' = 'password'): Promise<Answer> {
		const body =
			mode === 'password'
				? { username: SEED.username, password: SEED.password }
				: { tokenID: SEED.tokenId, tokenSecret: SEED.tokenSecret };
		const answer = await this.call('POST', '/authorize', { body, token: null });
		if (answer.status === 200) this.token = answer.json.apiToken;
		return answer;
	}

	async submit(
		partner: string,
		content = 'ISA*00*~',
		extra: Record<string, string> = {},
	): Promise<Answer> {
		return await this.call('POST', '/message/submit?service=as2', {
			raw: content,
			headers: {
				'AS2-From': SEED.station,
				'AS2-To': partner,
				'Content-Type': 'application/edi-x12',
				'Attachment-Name': 'po.edi',
				...extra,
			},
		});
	}

	async inbound(body: Record<string, unknown> = {}): Promise<string[]> {
		const answer = await this.call('POST', '/_sandbox/inbound', { body, token: null });
		if (answer.status !== 201) throw new Error(`inbound failed: ${answer.text}`);
		return answer.json.messages;
	}

	async fault(rule: Record<string, unknown>): Promise<void> {
		const answer = await this.call('POST', '/_sandbox/faults', { body: rule, token: null });
		if (answer.status !== 201) throw new Error(`fault refused: ${answer.text}`);
	}

	async settle(): Promise<void> {
		await this.call('POST', '/_sandbox/lifecycle/settle', { token: null });
	}
}

export const enc = encodeURIComponent;
