/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- the sandbox is dev-only tooling, not n8n node code */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import type { FaultDecision } from './faults';
import { ApiError, header, readBody, sendError, sendJson } from './http';
import { s3ErrorXml } from './presign';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { directoryRoutes } from './routes/directory';
import { messageRoutes } from './routes/messages';
import type { Reply, Route } from './routes/types';
import { seedAs2Loop } from './as2/loopSeed';
import { Sandbox, type SandboxOptions } from './sandbox';

const ROUTES: Route[] = [...authRoutes, ...messageRoutes, ...directoryRoutes, ...adminRoutes];

export interface StartOptions extends SandboxOptions {
	/** API port on 127.0.0.1 (0 = any free port). */
	port?: number;
	/** Port of the file host that serves pre-signed URLs (0 = any free port). */
	filesPort?: number;
	/** Port of the stations' AS2 endpoint (0 = any free port). */
	as2Port?: number;
	/** Adds station SANDBOX_B and a real-AS2 partner of MYSTATION that is this sandbox's own endpoint. */
	as2Loop?: boolean;
}

export interface RunningSandbox {
	sandbox: Sandbox;
	url: string;
	filesUrl: string;
	/** The AS2 endpoint (POST real AS2 messages and asynchronous MDNs here). */
	as2Url: string;
	close(): Promise<void>;
}

function matchRoute(
	method: string,
	path: string,
): { route: Route; params: string[] } | 'wrongMethod' | undefined {
	let pathMatched = false;
	for (const route of ROUTES) {
		const m = route.path.exec(path);
		if (!m) continue;
		pathMatched = true;
		if (route.method === method) return { route, params: m.slice(1).map(decodeURIComponent) };
	}
	return pathMatched ? 'wrongMethod' : undefined;
}

/** The name a fault is recorded under in the stats. */
function faultLabel(decision: FaultDecision): string | undefined {
	const action = decision.action;
	return action ? (action.kind === 'status' ? `status ${action.status}` : action.kind) : undefined;
}

/** Sends what a fault says instead of the real answer. */
async function applyFault(
	decision: FaultDecision,
	sandbox: Sandbox,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const action = decision.action;
	if (!action) return;
	if (action.kind === 'drop') {
		req.socket.destroy();
		return;
	}
	if (action.kind === 'expireToken') {
		sandbox.expireToken(header(req, 'Authorization'));
		sendJson(res, 401, { message: 'The incoming token has expired' });
		return;
	}
	const headers: Record<string, string> =
		action.retryAfter !== undefined ? { 'Retry-After': String(action.retryAfter) } : {};
	const text =
		action.message ??
		(action.status === 429
			? 'Too Many Requests'
			: action.status >= 500
				? 'Internal server error'
				: 'Request failed');
	if (action.body === 'echo') {
		// A gateway or proxy that repeats the request in its error page: secrets must not get further.
		const sent = req.readableEnded ? '' : (await readBody(req, 64 * 1024)).toString('utf8');
		sendJson(
			res,
			action.status,
			{
				message: `${text}: request was ${sent || '(no body)'} with Authorization ${header(req, 'Authorization') ?? '(none)'}`,
			},
			headers,
		);
	} else if (action.body === 'html' || action.body === 'empty') {
		// What a proxy or load balancer in front of the API may answer.
		const page =
			action.body === 'html'
				? `<html><head><title>${action.status}</title></head><body><h1>${action.status} ${text}</h1></body></html>`
				: '';
		res.writeHead(action.status, {
			'Content-Type': 'text/html',
			'Content-Length': Buffer.byteLength(page),
			...headers,
		});
		res.end(page);
	} else sendJson(res, action.status, { message: text }, headers);
}

async function handleApi(
	sandbox: Sandbox,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://sandbox');
	const method = (req.method ?? 'GET').toUpperCase();
	const found = matchRoute(method, url.pathname);
	const routeName = typeof found === 'object' ? found.route.name : 'unknown';
	let fault: string | undefined;
	res.on('finish', () =>
		sandbox.stats.record({
			at: Date.now(),
			method,
			route: routeName,
			path: url.pathname,
			status: res.statusCode,
			authorization: req.headers.authorization !== undefined,
			fault,
		}),
	);
	res.on('close', () => {
		if (!res.writableFinished)
			sandbox.stats.record({
				at: Date.now(),
				method,
				route: routeName,
				path: url.pathname,
				status: 0,
				authorization: req.headers.authorization !== undefined,
				fault,
			});
	});
	try {
		if (found === undefined) throw new ApiError(404, `No such endpoint: ${method} ${url.pathname}`);
		if (found === 'wrongMethod')
			throw new ApiError(405, `Method ${method} is not allowed on ${url.pathname}`);
		const { route, params } = found;
		const decision =
			route.name === 'admin'
				? { latencyMs: 0, arrivals: 0, when: 'before' as const }
				: sandbox.faults.decide(route.name, method);
		if (decision.latencyMs > 0) await sleep(decision.latencyMs);
		if (decision.arrivals > 0) await sandbox.deliverArrivals(decision.arrivals);
		if (decision.when === 'before' && (fault = faultLabel(decision)))
			return await applyFault(decision, sandbox, req, res);
		const username = route.auth ? sandbox.authenticate(header(req, 'Authorization')) : '';
		const reply: Reply = await route.handle({
			sandbox,
			req,
			query: url.searchParams,
			params,
			username,
		});
		if (decision.when === 'after' && (fault = faultLabel(decision)))
			return await applyFault(decision, sandbox, req, res);
		sendJson(res, reply.status, reply.body, reply.headers);
	} catch (error) {
		if (res.headersSent || res.destroyed) return;
		if (error instanceof ApiError) return sendError(res, error);
		process.stderr.write(
			`sandbox: ${method} ${url.pathname} failed: ${(error as Error).stack ?? String(error)}\n`,
		);
		sendJson(res, 500, { message: 'Internal server error' });
	}
}

/** The "S3" side: serves pre-signed URLs and refuses them as S3 does (XML errors). */
async function handleFile(
	sandbox: Sandbox,
	req: IncomingMessage,
	res: ServerResponse,
): Promise<void> {
	const url = new URL(req.url ?? '/', 'http://files');
	const method = (req.method ?? 'GET').toUpperCase();
	const hasAuthorization = req.headers.authorization !== undefined;
	let fault: string | undefined;
	res.on('close', () =>
		sandbox.stats.record({
			at: Date.now(),
			method,
			route: 'file',
			path: url.pathname,
			status: res.writableFinished ? res.statusCode : 0,
			authorization: hasAuthorization,
			fault,
		}),
	);
	const decision = sandbox.faults.decide('file', method);
	if (decision.latencyMs > 0) await sleep(decision.latencyMs);
	if ((fault = faultLabel(decision))) return await applyFault(decision, sandbox, req, res);
	const refuse = (status: number, code: string, message: string) => {
		const xml = s3ErrorXml(code, message);
		res.writeHead(status, {
			'Content-Type': 'application/xml',
			'Content-Length': Buffer.byteLength(xml),
		});
		res.end(xml);
	};
	if (method !== 'GET' && method !== 'HEAD')
		return refuse(
			405,
			'MethodNotAllowed',
			'The specified method is not allowed against this resource.',
		);
	const check = sandbox.checkPresigned(url.pathname, url.searchParams, hasAuthorization);
	if (!check.ok) return refuse(check.status, check.code, check.message);
	if (!sandbox.store.hasFile(check.file.key))
		return refuse(404, 'NoSuchKey', 'The specified key does not exist.');
	res.writeHead(200, {
		'Content-Type': check.file.contentType,
		'Content-Length': sandbox.store.fileSize(check.file.key),
		// RFC 6266: an ASCII fallback, and the real name in filename* (S3 sends what it was given, encoded).
		'Content-Disposition': /^[\x20-\x7e]*$/.test(check.file.fileName)
			? `attachment; filename="${check.file.fileName.replace(/["\\]/g, '_')}"`
			: `attachment; filename="${check.file.fileName.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(check.file.fileName)}`,
	});
	if (method === 'HEAD') return void res.end();
	sandbox.store.openFile(check.file.key).pipe(res);
}

function listen(server: Server, port: number): Promise<number> {
	return new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
	});
}

/** Starts the sandbox: the API and its file host, both on 127.0.0.1. */
export async function startSandbox(options: StartOptions = {}): Promise<RunningSandbox> {
	const sandbox = new Sandbox(options);
	const api = createServer((req, res) => void handleApi(sandbox, req, res));
	const files = createServer((req, res) => void handleFile(sandbox, req, res));
	const as2 = createServer((req, res) => void sandbox.as2Receiver.handle(req, res));
	// A slow or stalled sender must not hold the endpoint forever.
	as2.requestTimeout = 60_000;
	as2.headersTimeout = 10_000;
	const apiPort = await listen(api, options.port ?? 0);
	const filesPort = await listen(files, options.filesPort ?? 0);
	const as2Port = await listen(as2, options.as2Port ?? 0);
	sandbox.url = `http://127.0.0.1:${apiPort}`;
	sandbox.filesUrl = `http://127.0.0.1:${filesPort}`;
	sandbox.as2Url = `http://127.0.0.1:${as2Port}/as2`;
	if (options.as2Loop) seedAs2Loop(sandbox);
	sandbox.lifecycle.resume();
	const stop = (server: Server) =>
		new Promise<void>((resolve) => {
			server.close(() => resolve());
			server.closeAllConnections();
		});
	return {
		sandbox,
		url: sandbox.url,
		filesUrl: sandbox.filesUrl,
		as2Url: sandbox.as2Url,
		async close() {
			await Promise.all([stop(api), stop(files), stop(as2)]);
			sandbox.close();
		},
	};
}
