/* eslint-disable @n8n/community-nodes/require-node-api-error -- the sandbox is dev-only tooling, not n8n node code */
import { As2Receiver } from './as2/receiver';
import { type SandboxConfig, DEFAULT_CONFIG, mergeConfig } from './config';
import { Faults } from './faults';
import { ApiError } from './http';
import { type IncomingFile, MessageFactory } from './messages';
import { Lifecycle } from './lifecycle';
import { type PresignedFile, Presigner } from './presign';
import { seedState } from './seed';
import { Stats } from './stats';
import { Store } from './store';
import { TokenSigner } from './tokens';
import { Webhooks } from './webhooks';

export interface SandboxOptions {
	/** Folder for state.json and files; without it, state lives in memory and files in a temp folder. */
	dataDir?: string;
	config?: Partial<SandboxConfig>;
	/** Seed of the fault generator (random-rate faults repeat for the same seed). */
	faultSeed?: number;
}

const MAX_REVOKED = 10_000;

/** The emulated service: state, tokens, faults and lifecycle. The HTTP side is in server.ts. */
export class Sandbox {
	config: SandboxConfig;
	readonly store: Store;
	readonly faults: Faults;
	readonly stats = new Stats();
	readonly messages: MessageFactory;
	readonly lifecycle: Lifecycle;
	readonly webhooks: Webhooks;
	/** Set by the server once it listens. */
	url = '';
	filesUrl = '';
	/** The AS2 endpoint of the sandbox's stations (real AS2 in, asynchronous MDNs for real AS2 out). */
	as2Url = '';
	readonly as2Receiver: As2Receiver;
	private tieRound = 0;
	private readonly signer: TokenSigner;
	private readonly presigner: Presigner;
	private readonly issuedApiTokens: string[] = [];

	constructor(options: SandboxOptions = {}) {
		this.config = mergeConfig(DEFAULT_CONFIG, options.config ?? {});
		this.store = new Store(options.dataDir, () => seedState());
		this.faults = new Faults(options.faultSeed ?? 1);
		this.signer = new TokenSigner(Buffer.from(this.store.state.signingKey, 'hex'));
		this.presigner = new Presigner(this.store.state.signingKey);
		this.messages = new MessageFactory(this.store);
		this.webhooks = new Webhooks((message) => {
			const user = this.store.state.users[0];
			return {
				station: this.store.state.stations.find((s) => s.as2Identifier === message.station),
				partnerName: this.store.state.partners.find((p) => p.as2Identifier === message.partner)
					?.name,
				tenant: { name: user?.username ?? 'sandbox', email: 'as2@sandbox.mftgateway.test' },
			};
		}, options.faultSeed ?? 1);
		this.lifecycle = new Lifecycle(
			this.store,
			() => this.config,
			(event, message) => this.webhooks.notify(event, message),
			() => this.as2Url,
		);
		this.as2Receiver = new As2Receiver(this);
	}

	/** The salt of the tie order (see SandboxConfig.tieOrder). */
	get tieSalt(): string {
		if (this.config.tieOrder === 'shuffleEachRequest') this.tieRound++;
		return String(this.tieRound);
	}

	reshuffleTies(): void {
		this.tieRound++;
	}

	// ---- tokens ----

	badCredentials(): ApiError {
		this.stats.rejectedLogins++;
		return new ApiError(401, 'Authentication Failed: Bad credentials');
	}

	issueTokens(username: string, via: 'password' | 'apiToken' | 'refresh'): Record<string, unknown> {
		if (via === 'refresh') this.stats.refreshes++;
		else this.stats.logins[via]++;
		const api = this.signer.sign(username, 'api', this.config.tokenTtlSeconds);
		this.issuedApiTokens.push(api.claims.jti);
		if (this.issuedApiTokens.length > MAX_REVOKED) this.issuedApiTokens.shift();
		const body: Record<string, unknown> = {
			apiToken: api.token,
			apiTokenExpiryIn: this.config.tokenTtlSeconds,
		};
		// Refresh tokens need a username (POST /refresh-session), so API-token sessions get none.
		if (via !== 'apiToken') {
			const refresh = this.signer.sign(username, 'refresh', this.config.refreshTtlSeconds);
			this.store.state.liveRefreshTokens.push(refresh.claims.jti);
			body.refreshToken = refresh.token;
		}
		this.store.changed();
		return body;
	}

	/** Rotating refresh: the used refresh token stops working, a new pair is returned. */
	refreshTokens(username: string, refreshToken: string): Record<string, unknown> {
		const check = this.signer.verify(refreshToken, 'refresh');
		const live = this.store.state.liveRefreshTokens;
		const index = check.ok ? live.indexOf(check.claims.jti) : -1;
		if (!check.ok || index < 0 || check.claims.sub.toLowerCase() !== username.toLowerCase()) {
			throw new ApiError(500, 'Error occurred while refreshing the user session');
		}
		live.splice(index, 1);
		return this.issueTokens(check.claims.sub, 'refresh');
	}

	/** Returns the account of a valid api token, or throws the 401 the API would send. */
	authenticate(authorization: string | undefined): string {
		const token = (authorization ?? '').replace(/^Bearer\s+/i, '').trim();
		if (!token) throw new ApiError(401, 'Unauthorized');
		const check = this.signer.verify(token, 'api');
		if (!check.ok)
			throw new ApiError(
				401,
				check.reason === 'expired' ? 'The incoming token has expired' : 'Unauthorized',
			);
		if (this.store.state.revokedTokens.includes(check.claims.jti))
			throw new ApiError(401, 'The incoming token has expired');
		return check.claims.sub;
	}

	/** The "token expiry" fault: the presented token stops working now. */
	expireToken(authorization: string | undefined): void {
		const token = (authorization ?? '').replace(/^Bearer\s+/i, '').trim();
		const check = this.signer.verify(token, 'api');
		if (check.ok) this.revoke([check.claims.jti]);
	}

	/** Every api token issued so far stops working (refresh tokens stay valid). */
	expireAllTokens(): number {
		this.revoke(this.issuedApiTokens);
		return this.issuedApiTokens.length;
	}

	private revoke(jtis: string[]): void {
		const revoked = this.store.state.revokedTokens;
		revoked.push(...jtis.filter((j) => !revoked.includes(j)));
		if (revoked.length > MAX_REVOKED) revoked.splice(0, revoked.length - MAX_REVOKED);
		this.store.changed();
	}

	// ---- files ----

	presignedUrl(file: PresignedFile): string {
		return this.presigner.sign(this.filesUrl, file, this.config.presignTtlSeconds);
	}

	checkPresigned(rawPath: string, query: URLSearchParams, hasAuthorization: boolean) {
		return this.presigner.check(rawPath, query, hasAuthorization);
	}

	// ---- inbound ----

	/**
	 * Makes a partner "send" `count` messages to a station. With `timestamp`, they all get that timestamp, or
	 * one `timestampStepMs` apart (messages that arrived over time).
	 */
	async deliverInbound(opts: {
		station: string;
		partner: string;
		subject: string;
		messageId?: string;
		timestamp?: number;
		timestampStepMs?: number;
		count: number;
		files: IncomingFile[];
	}): Promise<string[]> {
		if (!this.store.state.stations.some((s) => s.as2Identifier === opts.station))
			throw new ApiError(422, `Unable to find station with AS2 identifier: ${opts.station}`);
		if (!this.store.state.partners.some((p) => p.as2Identifier === opts.partner))
			throw new ApiError(422, `Unable to find partner with AS2 identifier: ${opts.partner}`);
		if (opts.messageId && opts.count > 1)
			throw new ApiError(400, 'messageId can only be given for a single message (count 1)');
		const ids: string[] = [];
		for (let i = 0; i < opts.count; i++) {
			try {
				const timestamp =
					opts.timestamp === undefined
						? undefined
						: opts.timestamp + i * (opts.timestampStepMs ?? 0);
				const message = await this.messages.inbound({ ...opts, timestamp, files: opts.files });
				ids.push(message.identifier);
				this.webhooks.notify('received', message);
			} catch (error) {
				if (error instanceof ApiError) throw error;
				throw new ApiError(409, (error as Error).message);
			}
		}
		return ids;
	}

	/** Messages that arrive while a client pages through a list (fault `arrive`); their ids are kept in `arrived`. */
	readonly arrived: string[] = [];

	async deliverArrivals(count: number): Promise<void> {
		const station = this.store.state.stations[0]?.as2Identifier;
		const partner = this.store.state.partners[0]?.as2Identifier;
		if (!station || !partner) return;
		const ids = await this.deliverInbound({
			station,
			partner,
			subject: 'arrived while paging',
			count,
			files: [
				{
					name: 'arrival.edi',
					contentType: 'application/edi-x12',
					content: Buffer.from('ISA*00*ARRIVAL~'),
				},
			],
		});
		this.arrived.push(...ids);
	}

	close(): void {
		this.webhooks.close();
		this.lifecycle.close();
		this.store.close();
	}
}
