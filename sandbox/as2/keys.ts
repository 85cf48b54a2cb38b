import { type Certificate, certificatesFrom } from '../../nodes/MftGateway/as2/x509';
import type { StoredCertificate, StoredPartner, StoredStation } from '../model';
import { signingIdentity } from '../seed';
import type { Store } from '../store';
import { makeCertificate, toPem } from './certificate';

/** A station's key pair: it signs what it sends and its MDNs, and decrypts what it receives. */
export interface StationKeys {
	keyPem: string;
	certPem: string;
	certificate: Certificate;
}

/**
 * The station's own key pair when the sandbox generated one (Station Create), else the seed's signing
 * identity for that AS2 id (made once per process, as the simulated MDNs use).
 */
export function stationKeys(store: Store, station: StoredStation): StationKeys {
	const stored = store.state.certificates.find((c) => c.alias === station.certificateAlias);
	const pair =
		stored?.pem && stored.privateKeyPem
			? { keyPem: stored.privateKeyPem, certPem: stored.pem }
			: signingIdentity(station.as2Identifier);
	return { ...pair, certificate: certificatesFrom(pair.certPem)[0] };
}

/** The partner's certificates: one to encrypt to and one to verify its signatures (the same unless set apart). */
export function partnerCertificates(partner: StoredPartner): {
	encryption?: Certificate;
	signature?: Certificate;
} {
	const read = (value: unknown) => {
		if (typeof value !== 'string' || !value.trim()) return undefined;
		try {
			return certificatesFrom(value)[0];
		} catch {
			return undefined;
		}
	};
	const encryption = read(partner.settings.encryptionCertificate);
	const signature =
		partner.settings.useDiffCertAsSignCert === true
			? (read(partner.settings.signatureCertificate) ?? encryption)
			: encryption;
	return { encryption, signature };
}

/** Certificate metadata as the API lists it, for a real certificate given as PEM or Base64. */
export function storedCertificate(
	alias: string,
	type: StoredCertificate['type'],
	pemOrBase64: string,
	belongsTo: string[],
	privateKeyPem?: string,
): StoredCertificate {
	const [certificate] = certificatesFrom(pemOrBase64);
	return {
		alias,
		type,
		serialNumberHex: certificate.serialNumberHex,
		subjectCommonName: certificate.subjectCommonName ?? '',
		subjectDistinguishName: certificate.subject,
		issuerCommonName:
			/(?:^|, )CN=([^,]*)/.exec(certificate.issuer)?.[1] ?? certificate.subjectCommonName ?? '',
		issuerDistinguishName: certificate.issuer,
		validFrom: certificate.notBefore.getTime(),
		expiry: certificate.notAfter.getTime(),
		belongsTo,
		pem: toPem('CERTIFICATE', certificate.der),
		privateKeyPem,
	};
}

/** A new self-signed station certificate and key pair (Station Create with NEW_SELF_SIGN_CERTIFICATE). */
export function newStationCertificate(
	alias: string,
	as2Identifier: string,
	opts: { commonName: string; keyBits: number; validityYears: number; organization?: string },
): StoredCertificate {
	const notBefore = new Date(Date.now() - 60_000);
	const made = makeCertificate({
		commonName: opts.commonName,
		organization: opts.organization,
		keyBits: opts.keyBits,
		notBefore,
		notAfter: new Date(notBefore.getTime() + opts.validityYears * 365 * 864e5),
	});
	return storedCertificate(alias, 'STATION', made.certPem, [as2Identifier], made.keyPem);
}

/** The certificate (PEM) a station's partners encrypt to and verify with. */
export function pemOfStation(store: Store, station: StoredStation): string {
	return stationKeys(store, station).certPem;
}

/**
 * The partner's certificates given through the API (PEM or Base64) become PARTNER certificates the account
 * lists, replacing earlier ones; text that is no certificate stays a setting only (real AS2 then refuses).
 */
export function keepPartnerCertificates(store: Store, partner: StoredPartner): void {
	const certificates = store.state.certificates;
	for (const [setting, suffix] of [
		['encryptionCertificate', 'encryption'],
		['signatureCertificate', 'signature'],
	] as const) {
		const value = partner.settings[setting];
		if (typeof value !== 'string') continue;
		const alias = `${partner.as2Identifier.toLowerCase()}-${suffix}`;
		let stored;
		try {
			stored = storedCertificate(alias, 'PARTNER', value, [partner.as2Identifier]);
		} catch {
			continue;
		}
		const index = certificates.findIndex((c) => c.alias === alias);
		if (index >= 0) certificates[index] = stored;
		else certificates.push(stored);
	}
}
