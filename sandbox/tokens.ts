import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type TokenKind = 'api' | 'refresh';

export interface TokenClaims {
	sub: string;
	kind: TokenKind;
	jti: string;
	iat: number;
	exp: number;
}

export type TokenCheck =
	| { ok: true; claims: TokenClaims }
	| { ok: false; reason: 'malformed' | 'signature' | 'expired' | 'kind' };

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** Signs and verifies HS256 JWTs. The key is part of the sandbox state, so tokens survive a restart. */
export class TokenSigner {
	constructor(private readonly key: Buffer) {}

	static newKey(): string {
		return randomBytes(32).toString('hex');
	}

	sign(
		sub: string,
		kind: TokenKind,
		ttlSeconds: number,
		now = Date.now(),
	): { token: string; claims: TokenClaims } {
		const iat = Math.floor(now / 1000);
		const claims: TokenClaims = {
			sub,
			kind,
			jti: randomBytes(9).toString('base64url'),
			iat,
			exp: iat + ttlSeconds,
		};
		const head = b64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
		const body = b64url(JSON.stringify(claims));
		return { token: `${head}.${body}.${this.mac(`${head}.${body}`)}`, claims };
	}

	verify(token: string, kind: TokenKind, now = Date.now()): TokenCheck {
		const parts = token.split('.');
		if (parts.length !== 3) return { ok: false, reason: 'malformed' };
		const expected = Buffer.from(this.mac(`${parts[0]}.${parts[1]}`));
		const given = Buffer.from(parts[2]);
		if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
			return { ok: false, reason: 'signature' };
		}
		let claims: TokenClaims;
		try {
			claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as TokenClaims;
		} catch {
			return { ok: false, reason: 'malformed' };
		}
		if (claims.kind !== kind) return { ok: false, reason: 'kind' };
		if (claims.exp * 1000 <= now) return { ok: false, reason: 'expired' };
		return { ok: true, claims };
	}

	private mac(input: string): string {
		return createHmac('sha256', this.key).update(input).digest('base64url');
	}
}
