/* eslint-disable @n8n/community-nodes/no-restricted-imports -- the sandbox is dev-only tooling, not n8n node code */
import type { IncomingMessage } from 'node:http';

import type { Sandbox } from '../sandbox';

export interface RouteContext {
	sandbox: Sandbox;
	req: IncomingMessage;
	query: URLSearchParams;
	/** Path captures, URL-decoded. */
	params: string[];
	/** The account the api token belongs to (protected routes only). */
	username: string;
}

export interface Reply {
	status: number;
	body: unknown;
	headers?: Record<string, string>;
}

export interface Route {
	/** Name used by fault rules and request stats. */
	name: string;
	method: 'GET' | 'POST' | 'PUT' | 'DELETE';
	path: RegExp;
	/** Needs `Authorization: <api token>`. */
	auth: boolean;
	handle(ctx: RouteContext): Promise<Reply>;
}

export const ok = (body: unknown, status = 200, headers?: Record<string, string>): Reply => ({
	status,
	body,
	headers,
});
