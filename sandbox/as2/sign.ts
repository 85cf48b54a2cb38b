import { constants, createHash, sign } from 'node:crypto';

import { OID, der, readDer } from '../../nodes/MftGateway/as2/der';
import { certificatesFrom } from '../../nodes/MftGateway/as2/x509';

/**
 * CMS SignedData writer (RFC 5652) for S/MIME and AS2: `signCms({ content, keyPem, certPem, digest })` → the
 * DER ContentInfo, detached by default, with signed attributes (contentType, signingTime, messageDigest),
 * RSA PKCS#1 v1.5 or PSS, the signer certificate embedded.
 */

export type DigestName = 'sha1' | 'sha224' | 'sha256' | 'sha384' | 'sha512';

export interface SignOptions {
	content: Buffer;
	keyPem: string;
	certPem: string;
	digest: DigestName;
	/** Keep the content out of the structure (multipart/signed); true by default. */
	detached?: boolean;
	/** Sign over signed attributes (what AS2 software does); true by default. */
	signedAttributes?: boolean;
	/** RSASSA-PSS instead of PKCS#1 v1.5. */
	pss?: boolean;
	/** Identify the signer by subjectKeyIdentifier (version 3) instead of issuer and serial number. */
	bySubjectKeyIdentifier?: boolean;
	signingTime?: Date;
	/** Embed the signer certificate; true by default. */
	includeCertificate?: boolean;
}

const SALT_LENGTH: Record<DigestName, number> = {
	sha1: 20,
	sha224: 28,
	sha256: 32,
	sha384: 48,
	sha512: 64,
};

function digestAlgorithm(digest: DigestName): Buffer {
	return der.seq(der.oid(OID[digest]));
}

function pssParameters(digest: DigestName): Buffer {
	return der.seq(
		der.explicit(0, digestAlgorithm(digest)),
		der.explicit(1, der.seq(der.oid(OID.mgf1), digestAlgorithm(digest))),
		der.explicit(2, der.int(SALT_LENGTH[digest])),
	);
}

function attribute(type: string, value: Buffer): Buffer {
	return der.seq(der.oid(type), der.set(value));
}

export function signCms(opts: SignOptions): Buffer {
	const [certificate] = certificatesFrom(opts.certPem);
	const detached = opts.detached ?? true;
	const withAttributes = opts.signedAttributes ?? true;
	const contentDigest = createHash(opts.digest).update(opts.content).digest();
	const attributes = [
		attribute(OID.contentType, der.oid(OID.data)),
		attribute(OID.signingTime, der.time(opts.signingTime ?? new Date())),
		attribute(OID.messageDigest, der.octets(contentDigest)),
	];
	// The signature covers the attributes as a DER SET OF (tag 0x31), stored under [0] IMPLICIT.
	const attributesSet = der.set(...attributes);
	const signedBytes = withAttributes ? attributesSet : opts.content;
	const signature = sign(opts.digest, signedBytes, {
		key: opts.keyPem,
		...(opts.pss
			? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: SALT_LENGTH[opts.digest] }
			: {}),
	});
	const version = opts.bySubjectKeyIdentifier ? 3 : 1;
	const signerIdentifier = opts.bySubjectKeyIdentifier
		? der.implicit(0, certificate.subjectKeyIdentifier)
		: der.seq(der.raw(certificate.issuerDer), der.int(certificate.serialNumber));
	const signerInfo = der.seq(
		der.int(version),
		signerIdentifier,
		digestAlgorithm(opts.digest),
		...(withAttributes ? [der.implicit(0, readDer(attributesSet).content, true)] : []),
		opts.pss
			? der.seq(der.oid(OID.rsassaPss), pssParameters(opts.digest))
			: der.seq(der.oid(OID.rsaEncryption), der.nul()),
		der.octets(signature),
	);
	const signedData = der.seq(
		der.int(version),
		der.set(digestAlgorithm(opts.digest)),
		der.seq(der.oid(OID.data), ...(detached ? [] : [der.explicit(0, der.octets(opts.content))])),
		...(opts.includeCertificate === false ? [] : [der.implicit(0, certificate.der, true)]),
		der.set(signerInfo),
	);
	return der.seq(der.oid(OID.signedData), der.explicit(0, signedData));
}
