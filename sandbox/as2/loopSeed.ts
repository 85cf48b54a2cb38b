import type { StoredPartner, StoredStation } from '../model';
import type { Sandbox } from '../sandbox';
import { SEED } from '../seed';
import { keepPartnerCertificates, newStationCertificate, pemOfStation } from './keys';

/** The AS2 loop: MYSTATION sends real AS2 to SANDBOX_B, a second station of this same sandbox. */
export const AS2_LOOP = {
	station: 'SANDBOX_B',
	/** MYSTATION's partner that is station SANDBOX_B (same AS2 id, as in any real trading pair). */
	partner: 'SANDBOX_B',
	/** SANDBOX_B's partner that is MYSTATION. */
	backPartner: SEED.station,
};

/**
 * Adds (or refreshes, after a restart) the loop: station SANDBOX_B with its own key pair, MYSTATION's partner
 * SANDBOX_B whose URL is this sandbox's AS2 endpoint (behaviour `as2`: sign SHA-256, encrypt AES-256, signed
 * synchronous MDN), and SANDBOX_B's partner MYSTATION with MYSTATION's current certificate.
 */
export function seedAs2Loop(sandbox: Sandbox): void {
	const state = sandbox.store.state;
	const now = Date.now();
	let station = state.stations.find((s) => s.as2Identifier === AS2_LOOP.station);
	if (!station) {
		const stationId = sandbox.store.nextNumber();
		const alias = `station-${stationId}`;
		state.certificates.push(
			newStationCertificate(alias, AS2_LOOP.station, {
				commonName: AS2_LOOP.station,
				organization: 'Sandbox',
				keyBits: 2048,
				validityYears: 5,
			}),
		);
		station = {
			stationId,
			name: 'Sandbox Station B',
			as2Identifier: AS2_LOOP.station,
			email: 'as2-b@sandbox.mftgateway.test',
			certificateAlias: alias,
			receivedMessageNotifications: false,
			failedMessageNotifications: true,
			largePayloadSupport: false,
			createdAt: now,
		} satisfies StoredStation;
		state.stations.push(station);
	}
	const mystation = state.stations.find((s) => s.as2Identifier === SEED.station);
	upsertPartner(sandbox, AS2_LOOP.partner, 'Sandbox Station B (real AS2)', {
		...LOOP_SETTINGS,
		encryptionCertificate: pemOfStation(sandbox.store, station),
	});
	if (mystation)
		upsertPartner(sandbox, AS2_LOOP.backPartner, 'My Station (real AS2)', {
			...LOOP_SETTINGS,
			encryptionCertificate: pemOfStation(sandbox.store, mystation),
		});
	sandbox.store.changed();
}

/** What an AS2 partner of a real trading pair asks for: signed, encrypted, a signed synchronous MDN. */
const LOOP_SETTINGS = {
	signMessage: true,
	signatureAlgorithm: 'SHA256',
	encryptMessage: true,
	encryptionAlgorithm: 'AES256_CBC',
	requestMDN: true,
	requestSignedMDN: true,
	requestAsyncMDN: false,
	transmissionTimeout: 60,
};

function upsertPartner(
	sandbox: Sandbox,
	as2Identifier: string,
	name: string,
	settings: Record<string, unknown>,
): void {
	const url = sandbox.as2Url;
	const partners = sandbox.store.state.partners;
	const existing = partners.find((p) => p.as2Identifier === as2Identifier);
	if (existing) {
		// Keys of the seeded station are made per process, and the port may differ: refresh both.
		existing.url = url;
		Object.assign(existing.settings, settings);
		existing.behaviour = 'as2';
		keepPartnerCertificates(sandbox.store, existing);
		return;
	}
	const now = Date.now();
	const partner: StoredPartner = {
		partnerId: sandbox.store.nextNumber(),
		name,
		as2Identifier,
		url,
		settings,
		behaviour: 'as2',
		createdAt: now,
		updatedAt: now,
	};
	partners.push(partner);
	keepPartnerCertificates(sandbox.store, partner);
}
