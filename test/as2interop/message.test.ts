import { computeMic } from '../../nodes/MftGateway/as2/cms';
import { parseEntity } from '../../nodes/MftGateway/as2/mime';
import { As2Failure } from '../../sandbox/as2/failure';
import { type As2Profile, buildAs2Message, unwrapAs2Message } from '../../sandbox/as2/message';
import { describeWithOpenssl } from '../as2/openssl';
import { CIPHERS, interopDir, matrixLabel as label, SIGNS } from './peer';

describeWithOpenssl('AS2 messages against openssl cms, every sign × encrypt pair', () => {
	const peer = interopDir();
	const station = peer.keys('station');
	const partner = peer.keys('partner');
	const content = Buffer.from(
		'UNB+UNOA:2+SENDER+RECEIVER\r\n\u00fc\u00f1\u00ee binary \u0000\u00ff end',
		'latin1',
	);
	const contentEntity = Buffer.concat([
		Buffer.from(
			'Content-Type: application/edifact\r\nContent-Transfer-Encoding: binary\r\nContent-Disposition: attachment; filename="order.edi"\r\n\r\n',
		),
		content,
	]);
	afterAll(() => peer.cleanup());

	for (const sign of SIGNS)
		for (const cipher of CIPHERS) {
			it(`${label(sign, cipher)}: the sandbox sends, openssl reads`, () => {
				const profile: As2Profile = { sign, encrypt: cipher, transferEncoding: 'binary' };
				const built = buildAs2Message(
					[{ name: 'order.edi', contentType: 'application/edifact', content }],
					profile,
					{ signer: station, recipient: partner.certificate },
				);
				let entity: Buffer = Buffer.concat([
					Buffer.from(`Content-Type: ${built.headers['Content-Type']}\r\n\r\n`),
					built.body,
				]);
				if (cipher) entity = peer.decrypt(built.body, partner, 'DER');
				let payload: Buffer = entity;
				if (sign) {
					payload = peer.verify(entity, station.certFile);
					expect(built.mic).toBe(computeMic(payload, sign));
				}
				expect(parseEntity(payload).body.equals(content)).toBe(true);
			});

			it(`${label(sign, cipher)}: openssl sends, the sandbox reads (${sign && cipher ? 'SMIME base64' : 'DER binary'})`, () => {
				let smime: Buffer = contentEntity;
				if (sign) smime = peer.sign(contentEntity, partner, sign);
				let headers: Record<string, string | undefined>;
				let body: Buffer;
				if (cipher && sign) {
					// S/MIME output: LF line ends, quoted smime-type, base64 body.
					const out = parseEntity(peer.encrypt(smime, station.certFile, cipher, 'SMIME'));
					headers = Object.fromEntries(out.headers);
					body = out.body;
				} else if (cipher) {
					headers = {
						'content-type': 'application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m',
					};
					body = peer.encrypt(smime, station.certFile, cipher, 'DER');
				} else {
					const out = parseEntity(smime);
					headers = Object.fromEntries(out.headers);
					body = out.body;
				}
				const read = unwrapAs2Message(
					headers,
					body,
					{ ...station, partnerCertificate: partner.certificate },
					{ micDigest: 'sha256', maxSize: 1 << 20 },
				);
				expect(read.files).toHaveLength(1);
				expect(read.files[0].name).toBe('order.edi');
				expect(read.files[0].content.equals(content)).toBe(true);
				expect(read.signed).toBe(!!sign);
				expect(read.encrypted).toBe(!!cipher);
				if (sign) expect(read.mic).toBe(computeMic(contentEntity, sign));
			});
		}

	it('a signature by another key is authentication-failed; changed content is integrity-check-failed', () => {
		const signed = peer.sign(contentEntity, station, 'sha256');
		const out = parseEntity(signed);
		const read = (body: Buffer, partnerCertificate = partner.certificate) =>
			unwrapAs2Message(
				Object.fromEntries(out.headers),
				body,
				{ ...station, partnerCertificate },
				{ micDigest: 'sha256', maxSize: 1 << 20 },
			);
		expect(() => read(out.body)).toThrow(
			expect.objectContaining({ modifier: 'error: authentication-failed' }),
		);
		const tampered = Buffer.from(out.body.toString('latin1').replace('SENDER', 'SENDEX'), 'latin1');
		expect(read(out.body, station.certificate).files[0].content.equals(content)).toBe(true);
		let failure: unknown;
		try {
			read(tampered, station.certificate);
		} catch (error) {
			failure = error;
		}
		expect(failure).toBeInstanceOf(As2Failure);
		expect((failure as As2Failure).modifier).toBe('error: integrity-check-failed');
	});
});
