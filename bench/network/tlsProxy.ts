/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, @n8n/community-nodes/no-dangerous-functions -- benchmark tooling that runs separate processes, not part of the published package */
/**
 * The real network, on loopback: a TLS endpoint in front of a plain HTTP server, behind a TCP relay
 * that delays every chunk by RTT/2 each way. A new connection also pays the TCP handshake (its first
 * bytes reach the server 1.5 RTT after connect, as after SYN / SYN-ACK), so a fresh HTTPS request costs
 * 3 round trips with TLS 1.3 and 4 with TLS 1.2, and a request on a kept-alive connection 1. Counts the
 * connections and TLS handshakes it sees.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import {
	createConnection,
	createServer,
	type AddressInfo,
	type Server,
	type Socket,
} from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer, type SecureVersion } from 'node:tls';

export interface Certificate {
	cert: string;
	key: string;
}

/** A self-signed ECDSA P-256 certificate for 127.0.0.1, made now with openssl (Debian's `openssl` package). */
export function makeCertificate(): Certificate {
	const dir = mkdtempSync(join(tmpdir(), 'mftg-cert-'));
	try {
		execFileSync(
			'openssl',
			[
				'req',
				'-x509',
				'-newkey',
				'ec',
				'-pkeyopt',
				'ec_paramgen_curve:prime256v1',
				'-nodes',
				'-days',
				'1',
				'-subj',
				'/CN=127.0.0.1',
				'-addext',
				'subjectAltName=IP:127.0.0.1,DNS:localhost',
				'-keyout',
				join(dir, 'key.pem'),
				'-out',
				join(dir, 'cert.pem'),
			],
			{ stdio: 'ignore' },
		);
		return {
			cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
			key: readFileSync(join(dir, 'key.pem'), 'utf8'),
		};
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

export interface ProxyStats {
	connections: number;
	handshakes: number;
}

export interface RunningProxy {
	url: string;
	stats: ProxyStats;
	close(): Promise<void>;
}

/** Forwards chunks from one socket to another, each `delay` ms later (at least `firstAt` for the first), in order. */
function delayedPipe(from: Socket, to: Socket, delay: number, firstAt = 0): void {
	if (delay === 0 && firstAt === 0) {
		from.pipe(to);
		return;
	}
	const queue: Array<{ at: number; chunk: Buffer | null }> = [];
	let last = 0;
	let timer: NodeJS.Timeout | undefined;
	const flush = () => {
		timer = undefined;
		const now = Date.now();
		while (queue.length && queue[0].at <= now) {
			const { chunk } = queue.shift()!;
			if (chunk === null) to.end();
			else if (!to.destroyed) to.write(chunk);
		}
		if (queue.length) timer = setTimeout(flush, queue[0].at - now);
	};
	const push = (chunk: Buffer | null) => {
		const at = Math.max(last, Date.now() + delay, firstAt);
		last = at;
		queue.push({ at, chunk });
		if (!timer) timer = setTimeout(flush, Math.max(0, queue[0].at - Date.now()));
	};
	from.on('data', (chunk: Buffer) => push(chunk));
	from.on('end', () => push(null));
}

const listen = (server: Server, port = 0) =>
	new Promise<number>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
	});

/** `port`: where to listen (0 = any free port). */
export async function startTlsProxy(options: {
	targetPort: number;
	rttMs: number;
	tls: SecureVersion;
	certificate: Certificate;
	port?: number;
}): Promise<RunningProxy> {
	const stats: ProxyStats = { connections: 0, handshakes: 0 };
	const sockets = new Set<Socket>();
	const track = (socket: Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
		socket.on('error', () => socket.destroy());
		return socket;
	};
	const tlsServer = createTlsServer(
		{ ...options.certificate, minVersion: options.tls, maxVersion: options.tls },
		(clear) => {
			stats.handshakes++;
			const upstream = track(createConnection(options.targetPort, '127.0.0.1'));
			track(clear as unknown as Socket);
			clear.pipe(upstream);
			upstream.pipe(clear);
		},
	);
	tlsServer.on('tlsClientError', () => {});
	const tlsPort = await listen(tlsServer as unknown as Server);
	const half = options.rttMs / 2;
	const relay = createServer((client) => {
		stats.connections++;
		track(client);
		const inner = track(createConnection(tlsPort, '127.0.0.1'));
		delayedPipe(client, inner, half, options.rttMs ? Date.now() + options.rttMs + half : 0);
		delayedPipe(inner, client, half);
	});
	const port = await listen(relay, options.port);
	return {
		url: `https://127.0.0.1:${port}`,
		stats,
		close: async () => {
			for (const socket of sockets) socket.destroy();
			await Promise.all([
				new Promise((resolve) => relay.close(resolve)),
				new Promise((resolve) => tlsServer.close(resolve)),
			]);
		},
	};
}
