import { keepPartnerCertificates, newStationCertificate } from '../as2/keys';
import { ApiError, readJson } from '../http';
import { CERT_TYPES, type CertType, type StoredPartner } from '../model';
import { certificateJson, partnerJson, stationJson } from '../serialize';
import { ok, type Route } from './types';

type Errors = Array<Record<string, string>>;

const validationFailed = (errors: Errors) =>
	new ApiError(422, 'User input validation failed. Please try again', { errors });
const isString = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '';
const AS2_ID = /^[\x21-\x7e]{1,128}$/;

const ENCRYPTION = [
	'DES_EDE3_CBC',
	'AES128_CBC',
	'AES192_CBC',
	'AES256_CBC',
	'CAMELLIA128_CBC',
	'CAMELLIA192_CBC',
	'CAMELLIA256_CBC',
	'CAST5_CBC',
	'RC2_CBC',
	'SEED_CBC',
	'ECDH_SHA1KDF',
];
const SIGNATURE = ['SHA1', 'MD2', 'MD5', 'SHA224', 'SHA256', 'SHA384', 'SHA512'];
const BOOLEAN_SETTINGS = [
	'encryptMessage',
	'signMessage',
	'useDiffCertAsSignCert',
	'validateTrustAnchor',
	'compressBefore',
	'compressAfter',
	'requestMDN',
	'requestSignedMDN',
	'requestAsyncMDN',
	'useStaticIP',
	'deleteAttachmentsOnSuccessMdn',
	'autoRetryIncompleteMessages',
];

/** Checks the optional partner settings shared by create and update; returns what to store. */
function partnerSettings(body: Record<string, unknown>, errors: Errors): Record<string, unknown> {
	const settings: Record<string, unknown> = {};
	for (const key of BOOLEAN_SETTINGS) {
		if (body[key] === undefined) continue;
		if (typeof body[key] !== 'boolean') errors.push({ [key]: `${key} must be true or false` });
		else settings[key] = body[key];
	}
	if (body.encryptionAlgorithm !== undefined) {
		if (!ENCRYPTION.includes(body.encryptionAlgorithm as string))
			errors.push({
				encryptionAlgorithm: `Unsupported encryption algorithm; use one of ${ENCRYPTION.join(', ')}`,
			});
		else settings.encryptionAlgorithm = body.encryptionAlgorithm;
	}
	if (body.signatureAlgorithm !== undefined) {
		if (!SIGNATURE.includes(body.signatureAlgorithm as string))
			errors.push({
				signatureAlgorithm: `Unsupported signature algorithm; use one of ${SIGNATURE.join(', ')}`,
			});
		else settings.signatureAlgorithm = body.signatureAlgorithm;
	}
	// Sandbox-only settings of real AS2 sends (behaviour `as2`).
	if (body.keyEncryptionAlgorithm !== undefined) {
		if (body.keyEncryptionAlgorithm !== 'RSA_PKCS1' && body.keyEncryptionAlgorithm !== 'RSAES_OAEP')
			errors.push({
				keyEncryptionAlgorithm: 'keyEncryptionAlgorithm must be RSA_PKCS1 or RSAES_OAEP',
			});
		else settings.keyEncryptionAlgorithm = body.keyEncryptionAlgorithm;
	}
	if (body.contentTransferEncoding !== undefined) {
		if (body.contentTransferEncoding !== 'binary' && body.contentTransferEncoding !== 'base64')
			errors.push({ contentTransferEncoding: 'contentTransferEncoding must be binary or base64' });
		else settings.contentTransferEncoding = body.contentTransferEncoding;
	}
	if (body.messageSubject !== undefined) {
		if (
			typeof body.messageSubject !== 'string' ||
			body.messageSubject.length < 1 ||
			body.messageSubject.length > 128
		)
			errors.push({ messageSubject: 'messageSubject must be 1 to 128 characters' });
		else settings.messageSubject = body.messageSubject;
	}
	if (body.transmissionTimeout !== undefined) {
		if (![60, 120, 180, 300].includes(body.transmissionTimeout as number))
			errors.push({ transmissionTimeout: 'transmissionTimeout must be 60, 120, 180 or 300' });
		else settings.transmissionTimeout = body.transmissionTimeout;
	}
	if (body.customHeaders !== undefined) {
		const headers = body.customHeaders;
		if (
			!Array.isArray(headers) ||
			headers.some(
				(h) =>
					!h ||
					!isString(h.headerName) ||
					typeof h.headerValue !== 'string' ||
					/[\r\n]/.test(h.headerName + h.headerValue),
			)
		) {
			errors.push({
				customHeaders:
					'customHeaders must be a list of {headerName, headerValue} without line breaks',
			});
		} else settings.customHeaders = headers;
	}
	for (const key of [
		'description',
		'encryptionCertificate',
		'signatureCertificate',
		'httpsCertificate',
		'httpsBackupCertificate',
		'httpsBackupCertificateAlias',
		'httpsBackupCertActiveTimeStamp',
	]) {
		if (body[key] !== undefined) settings[key] = body[key];
	}
	if (
		(body.httpsBackupCertificate !== undefined || body.httpsBackupCertificateAlias !== undefined) &&
		body.httpsBackupCertActiveTimeStamp === undefined
	) {
		errors.push({
			httpsBackupCertActiveTimeStamp:
				'httpsBackupCertActiveTimeStamp is required with a backup HTTPS certificate',
		});
	}
	return settings;
}

function requireService(query: URLSearchParams, mandatory: boolean): void {
	const service = query.get('service');
	if (service === null && !mandatory) return;
	if (service !== 'as2')
		throw new ApiError(
			400,
			service === null
				? 'Missing required query parameter: service (use service=as2)'
				: `Unsupported service: ${service}. Use as2`,
		);
}

export const directoryRoutes: Route[] = [
	{
		name: 'certificates',
		method: 'GET',
		path: /^\/certificate$/,
		auth: true,
		async handle({ sandbox, query }) {
			const type = query.get('certType');
			if (type !== null && !CERT_TYPES.includes(type as CertType))
				throw new ApiError(400, `Invalid certType: ${type}. Use one of ${CERT_TYPES.join(', ')}`);
			return ok(
				sandbox.store.state.certificates
					.filter((c) => !type || c.type === type)
					.map((c) => ({ alias: c.alias, type: c.type })),
			);
		},
	},
	{
		name: 'certificate',
		method: 'GET',
		path: /^\/certificate\/([^/]+)$/,
		auth: true,
		async handle({ sandbox, params }) {
			const cert = sandbox.store.state.certificates.find((c) => c.alias === params[0]);
			if (!cert) throw new ApiError(404, `Unable to find certificate with alias: ${params[0]}`);
			// A real certificate (generated or given through the API) comes with its PEM.
			return ok({ ...certificateJson(cert), ...(cert.pem ? { certificate: cert.pem } : {}) });
		},
	},
	{
		name: 'stations',
		method: 'GET',
		path: /^\/station$/,
		auth: true,
		async handle({ sandbox }) {
			return ok({ stations: sandbox.store.state.stations.map(stationJson) });
		},
	},
	{
		name: 'createStation',
		method: 'POST',
		path: /^\/station$/,
		auth: true,
		async handle({ sandbox, req }) {
			const body = await readJson(req);
			const errors: Errors = [];
			if (!isString(body.name)) errors.push({ name: 'name is required' });
			if (!isString(body.as2Identifier) || !AS2_ID.test(body.as2Identifier))
				errors.push({
					as2Identifier: 'as2Identifier is required: 1 to 128 printable characters without spaces',
				});
			else if (sandbox.store.state.stations.some((s) => s.as2Identifier === body.as2Identifier))
				errors.push({
					as2Identifier: `Station already exists with AS2 identifier: ${body.as2Identifier}`,
				});
			const emails = isString(body.email) ? body.email.split(',').map((e) => e.trim()) : [];
			if (
				emails.length === 0 ||
				emails.length > 3 ||
				emails.some((e) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(e))
			)
				errors.push({ email: 'email is required: up to 3 comma-separated addresses' });
			const cert = body.certificate as Record<string, unknown> | undefined;
			const certTypes = ['NEW_SELF_SIGN_CERTIFICATE', 'FROM_KEYSTORE', 'FROM_CERTIFICATE_STORE'];
			if (!cert || typeof cert !== 'object' || !certTypes.includes(cert.type as string))
				errors.push({
					certificate: `certificate.type is required: one of ${certTypes.join(', ')}`,
				});
			else if (cert.type === 'NEW_SELF_SIGN_CERTIFICATE') {
				if (!isString(cert.commonName))
					errors.push({ 'certificate.commonName': 'commonName is required' });
				if (!isString(cert.password))
					errors.push({
						'certificate.password': 'password is required for a new self-signed certificate',
					});
				if (cert.keyLength !== undefined && ![1024, 2048, 4096].includes(cert.keyLength as number))
					errors.push({ 'certificate.keyLength': 'keyLength must be 1024, 2048 or 4096' });
				if (cert.validity !== undefined && ![1, 2, 5, 8, 10].includes(cert.validity as number))
					errors.push({ 'certificate.validity': 'validity must be 1, 2, 5, 8 or 10 years' });
			} else if (
				cert.type === 'FROM_CERTIFICATE_STORE' &&
				!sandbox.store.state.certificates.some((c) => c.alias === cert.alias)
			) {
				errors.push({
					'certificate.alias': `Unable to find certificate with alias: ${String(cert.alias)}`,
				});
			}
			for (const key of [
				'receivedMessageNotifications',
				'failedMessageNotifications',
				'largePayloadSupport',
			]) {
				if (body[key] !== undefined && typeof body[key] !== 'boolean')
					errors.push({ [key]: `${key} must be true or false` });
			}
			if (errors.length) throw validationFailed(errors);
			const stationId = sandbox.store.nextNumber();
			const as2Identifier = body.as2Identifier as string;
			let alias = cert!.alias as string;
			if (cert!.type === 'NEW_SELF_SIGN_CERTIFICATE') {
				// A real key pair and self-signed X.509 certificate: the station signs and decrypts with it.
				alias = `station-${stationId}`;
				sandbox.store.state.certificates.push(
					newStationCertificate(alias, as2Identifier, {
						commonName: cert!.commonName as string,
						organization: typeof cert!.orgName === 'string' ? cert!.orgName : undefined,
						keyBits: (cert!.keyLength as number) ?? 2048,
						validityYears: (cert!.validity as number) ?? 1,
					}),
				);
			} else if (cert!.type === 'FROM_KEYSTORE') {
				alias = `station-${stationId}`;
				const now = Date.now();
				const cn = as2Identifier;
				sandbox.store.state.certificates.push({
					alias,
					type: 'STATION',
					serialNumberHex: stationId.toString(16),
					subjectCommonName: cn,
					subjectDistinguishName: `CN=${cn}`,
					issuerCommonName: cn,
					issuerDistinguishName: `CN=${cn}`,
					validFrom: now,
					expiry: now + 365 * 864e5,
					belongsTo: [as2Identifier],
				});
			}
			sandbox.store.state.stations.push({
				stationId,
				name: body.name as string,
				as2Identifier,
				email: body.email as string,
				description: typeof body.description === 'string' ? body.description : undefined,
				certificateAlias: alias,
				receivedMessageNotifications: body.receivedMessageNotifications === true,
				failedMessageNotifications: body.failedMessageNotifications !== false,
				largePayloadSupport: body.largePayloadSupport === true,
				createdAt: Date.now(),
			});
			sandbox.store.changed();
			return ok({ message: 'Station created successfully', stationId });
		},
	},
	{
		name: 'partners',
		method: 'GET',
		path: /^\/partner$/,
		auth: true,
		async handle({ sandbox, query }) {
			requireService(query, false);
			return ok({ partners: sandbox.store.state.partners.map(partnerJson) });
		},
	},
	{
		name: 'createPartner',
		method: 'POST',
		path: /^\/partner$/,
		auth: true,
		async handle({ sandbox, req, query }) {
			requireService(query, false);
			const body = await readJson(req);
			const errors: Errors = [];
			if (!isString(body.name)) errors.push({ name: 'name is required' });
			if (!isString(body.as2Identifier) || !AS2_ID.test(body.as2Identifier))
				errors.push({
					as2Identifier: 'as2Identifier is required: 1 to 128 printable characters without spaces',
				});
			else if (sandbox.store.state.partners.some((p) => p.as2Identifier === body.as2Identifier))
				errors.push({
					as2Identifier: `Partner already exists with AS2 identifier: ${body.as2Identifier}`,
				});
			if (!isString(body.url) || !/^https?:\/\/\S+$/i.test(body.url))
				errors.push({ url: 'url is required: the partner AS2 endpoint (http or https)' });
			if (!isString(body.encryptionCertificate))
				errors.push({
					encryptionCertificate: 'encryptionCertificate is required (Base64 encoded certificate)',
				});
			const settings = partnerSettings(body, errors);
			if (errors.length) throw validationFailed(errors);
			const now = Date.now();
			const partner: StoredPartner = {
				partnerId: sandbox.store.nextNumber(),
				name: body.name as string,
				as2Identifier: body.as2Identifier as string,
				url: body.url as string,
				settings,
				behaviour: 'accept',
				createdAt: now,
				updatedAt: now,
			};
			sandbox.store.state.partners.push(partner);
			if (sandbox.config.realAs2ForNewPartners) partner.behaviour = 'as2';
			keepPartnerCertificates(sandbox.store, partner);
			sandbox.store.changed();
			return ok({ message: 'Partner created successfully', partnerId: partner.partnerId });
		},
	},
	{
		name: 'updatePartner',
		method: 'PUT',
		path: /^\/partner$/,
		auth: true,
		async handle({ sandbox, req, query }) {
			requireService(query, true);
			const body = await readJson(req);
			if (!isString(body.identifier))
				throw new ApiError(
					400,
					'identifier is required: the AS2 identifier of the partner to update',
				);
			const partner = sandbox.store.state.partners.find((p) => p.as2Identifier === body.identifier);
			if (!partner)
				throw new ApiError(404, `Unable to find partner with AS2 identifier: ${body.identifier}`);
			const errors: Errors = [];
			if (body.as2Identifier !== undefined && body.as2Identifier !== partner.as2Identifier)
				errors.push({
					as2Identifier:
						'Changing the AS2 identifier of a partner is not supported through the REST API',
				});
			if (body.name !== undefined && !isString(body.name))
				errors.push({ name: 'name must not be empty' });
			if (body.url !== undefined && !(isString(body.url) && /^https?:\/\/\S+$/i.test(body.url)))
				errors.push({ url: 'url must be an http or https URL' });
			const settings = partnerSettings(body, errors);
			if (errors.length) throw validationFailed(errors);
			if (isString(body.name)) partner.name = body.name;
			if (isString(body.url)) partner.url = body.url;
			Object.assign(partner.settings, settings);
			keepPartnerCertificates(sandbox.store, partner);
			partner.updatedAt = Date.now();
			sandbox.store.changed();
			return ok({ message: 'Partner updated successfully', partnerId: partner.partnerId });
		},
	},
];
