import { makeCertificate, type KeyAndCertificate } from './as2/certificate';
import type { PartnerBehaviour, SandboxState, StoredCertificate } from './model';
import { SEED_KEYS } from './seedKeys';
import { TokenSigner } from './tokens';

/** The login and ids a fresh sandbox starts with; printed by `npm run sandbox` and used by the examples. */
export const SEED = {
	username: 'demo@sandbox.mftgateway.test',
	password: 'sandbox-password',
	tokenId: 'sandbox-token-id',
	tokenSecret: 'sandbox-token-secret',
	/** Exists, but may not use the REST API (as an account with MFA enabled). */
	noApiUsername: 'mfa-user@sandbox.mftgateway.test',
	noApiPassword: 'sandbox-password',
	station: 'MYSTATION',
	partners: {
		PARTNER_OK: 'accept',
		PARTNER_REJECTS: 'reject',
		PARTNER_FLAKY: 'flaky',
		PARTNER_DOWN: 'down',
		PARTNER_NO_MDN: 'noMdn',
	} as Record<string, PartnerBehaviour>,
};

const YEAR = 365 * 24 * 3600 * 1000;
const SEED_TIME = Date.UTC(2026, 0, 1);

/** The alias of the signing certificate of a seeded station or partner. */
function certificateAliasOf(as2Identifier: string): string {
	return as2Identifier === SEED.station
		? 'mystation-signing'
		: `${as2Identifier.toLowerCase()}-cert`;
}

function serialOf(alias: string): Buffer {
	return Buffer.from(alias).subarray(0, 16);
}

const identities = new Map<string, { keyPem: string; certPem: string }>();

/**
 * The key and certificate a station or simulated partner signs its MDNs with. The seeded ones are kept in
 * seedKeys.ts (made once with {@link seededIdentity}): their certificates are the ones the account lists
 * (same serial, subject, validity), so a node can match the signer against the account. Anyone else gets a
 * key pair made on first use in the process, which no account certificate matches.
 */
export function signingIdentity(as2Identifier: string): { keyPem: string; certPem: string } {
	let identity = SEED_KEYS[as2Identifier] ?? identities.get(as2Identifier);
	if (!identity) {
		identity = makeCertificate({
			commonName: as2Identifier,
			organization: 'Sandbox',
			country: 'US',
		});
		identities.set(as2Identifier, identity);
	}
	return identity;
}

/** A new key and the certificate the seed's metadata describes for a seeded station or partner. */
export function seededIdentity(as2Identifier: string): KeyAndCertificate {
	return makeCertificate({
		commonName: as2Identifier,
		organization: 'Sandbox',
		country: 'US',
		serialNumber: serialOf(certificateAliasOf(as2Identifier)),
		notBefore: new Date(SEED_TIME),
		notAfter: new Date(SEED_TIME + 5 * YEAR),
	});
}

function certificate(
	alias: string,
	type: StoredCertificate['type'],
	cn: string,
	belongsTo: string[],
	issued: number,
): StoredCertificate {
	return {
		alias,
		type,
		serialNumberHex: serialOf(alias).toString('hex'),
		subjectCommonName: cn,
		subjectDistinguishName: `CN=${cn}, O=Sandbox, C=US`,
		issuerCommonName: type === 'HTTPS' ? 'Sandbox Root CA 1' : cn,
		issuerDistinguishName:
			type === 'HTTPS' ? 'CN=Sandbox Root CA 1, O=Sandbox, C=US' : `CN=${cn}, O=Sandbox, C=US`,
		validFrom: issued,
		expiry: issued + 5 * YEAR,
		belongsTo,
	};
}

export function seedState(now = SEED_TIME): SandboxState {
	let n = 555119144483000;
	const certificates: StoredCertificate[] = [
		certificate(certificateAliasOf(SEED.station), 'STATION', SEED.station, [SEED.station], now),
		certificate('sandbox-https-root', 'HTTPS', 'Sandbox Root CA 1', [], now),
	];
	const partners = Object.entries(SEED.partners).map(([as2Identifier, behaviour]) => {
		certificates.push(
			certificate(
				certificateAliasOf(as2Identifier),
				'PARTNER',
				as2Identifier,
				[as2Identifier],
				now,
			),
		);
		return {
			partnerId: n++,
			name: as2Identifier
				.replace(/_/g, ' ')
				.toLowerCase()
				.replace(/\b\w/g, (c) => c.toUpperCase()),
			as2Identifier,
			url: `https://as2.${as2Identifier.toLowerCase().replace(/_/g, '-')}.example/as2`,
			settings: {
				encryptMessage: true,
				encryptionAlgorithm: 'AES256_CBC',
				signMessage: true,
				signatureAlgorithm: 'SHA256',
				requestMDN: true,
				requestSignedMDN: true,
				requestAsyncMDN: false,
				transmissionTimeout: 120,
			},
			behaviour,
			createdAt: now,
			updatedAt: now,
		};
	});
	return {
		version: 1,
		signingKey: TokenSigner.newKey(),
		nextNumber: 10959001878639,
		users: [
			{ username: SEED.username, password: SEED.password, apiAccess: true },
			{ username: SEED.noApiUsername, password: SEED.noApiPassword, apiAccess: false },
		],
		apiTokens: [{ tokenId: SEED.tokenId, tokenSecret: SEED.tokenSecret, username: SEED.username }],
		liveRefreshTokens: [],
		revokedTokens: [],
		messages: [],
		stations: [
			{
				stationId: n++,
				name: 'My Station',
				as2Identifier: SEED.station,
				email: 'as2@sandbox.mftgateway.test',
				certificateAlias: certificateAliasOf(SEED.station),
				receivedMessageNotifications: false,
				failedMessageNotifications: true,
				largePayloadSupport: false,
				createdAt: now,
			},
		],
		partners,
		certificates,
	};
}
