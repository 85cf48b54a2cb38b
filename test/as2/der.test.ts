import {
	DerError,
	OID,
	der,
	intOf,
	nodeBytes,
	octetsOf,
	oidName,
	oidOf,
	readDer,
	textOf,
	timeOf,
} from '../../nodes/MftGateway/as2/der';

describe('DER writer and reader', () => {
	test('integers round-trip, including zero, negatives, and a top bit that needs a leading zero', () => {
		for (const value of [0, 1, 127, 128, 255, 256, -1, -128, -129, 65535]) {
			expect(intOf(readDer(der.int(value)))).toBe(BigInt(value));
		}
		expect(der.int(128).toString('hex')).toBe('02020080');
		expect(der.int(Buffer.from('00ff', 'hex')).toString('hex')).toBe('020200ff');
		const big = BigInt('0x' + 'f1'.repeat(20));
		expect(intOf(readDer(der.int(big)))).toBe(big);
	});

	test('OIDs encode as X.690 says and read back; names from the table', () => {
		expect(der.oid(OID.sha256).toString('hex')).toBe('0609608648016503040201');
		expect(der.oid('1.2.840.113549.1.7.2').toString('hex')).toBe('06092a864886f70d010702');
		expect(oidOf(readDer(der.oid(OID.compressedData)))).toBe(OID.compressedData);
		expect(oidName('1.2.840.113549.1.1.11')).toBe('sha256WithRSAEncryption');
	});

	test('long lengths, SET OF sorted, strings and times', () => {
		const long = der.octets(Buffer.alloc(300, 7));
		expect(long.subarray(0, 4).toString('hex')).toBe('0482012c');
		expect(readDer(long).content.length).toBe(300);
		expect(der.set(der.int(2), der.int(1)).toString('hex')).toBe('3106020101020102');
		expect(textOf(readDer(der.utf8('für')))).toBe('für');
		expect(
			timeOf(readDer(der.utcTime(new Date(Date.UTC(2030, 5, 1, 12, 0, 1))))).toISOString(),
		).toBe('2030-06-01T12:00:01.000Z');
		expect(timeOf(readDer(der.time(new Date(Date.UTC(2051, 0, 1))))).toISOString()).toBe(
			'2051-01-01T00:00:00.000Z',
		);
	});

	test('BER: indefinite lengths, constructed OCTET STRING segments, multi-byte tags', () => {
		// SEQUENCE (indefinite) { [0] constructed OCTET STRING (indefinite) { "ab", "cd" } }, EOC
		const ber = Buffer.from('3080' + '2480' + '04026162' + '04026364' + '0000' + '0000', 'hex');
		const root = readDer(ber);
		expect(root.indefinite).toBe(true);
		expect(root.end).toBe(ber.length);
		expect(octetsOf(root.children[0]).toString()).toBe('abcd');
		expect(nodeBytes(root.children[0]).toString('hex')).toBe('24800402616204026364' + '0000');
		const highTag = der.implicit(200, Buffer.from('x'));
		const node = readDer(highTag);
		expect([node.tagClass, node.tagNumber, node.content.toString()]).toEqual([2, 200, 'x']);
	});

	test('truncated or padded input is a DerError, never a wrong value', () => {
		const seq = der.seq(der.int(5), der.octets(Buffer.from('hello')));
		for (let cut = 1; cut < seq.length; cut++)
			expect(() => readDer(seq.subarray(0, cut))).toThrow(DerError);
		expect(() => readDer(Buffer.concat([seq, Buffer.from([1])]))).toThrow(/Trailing bytes/);
		expect(() => readDer(Buffer.from('3080020101', 'hex'))).toThrow(DerError);
	});
});
