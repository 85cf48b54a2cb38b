/**
 * ASN.1 BER/DER for the AS2 codec (CMS, X.509). No dependencies.
 *
 * Reader: `readDer(bytes)` → {@link DerNode} (definite and indefinite lengths, multi-byte tags; children of
 * constructed nodes parsed; `nodeBytes` gives a node's exact encoding), `octetsOf` (constructed OCTET
 * STRINGs concatenated), `intOf`, `oidOf`, `timeOf`, `textOf`, `bitsOf`, `child`.
 * Writer: `der.seq/set/int/oid/octets/nul/bool/utf8/printable/ia5/utcTime/generalizedTime/bitString/
 * explicit/implicit/raw`, each returning the DER bytes of one element.
 * OIDs: `OID` (name → dotted string) and `oidName` (dotted string → name).
 */

export const TagClass = { universal: 0, application: 1, context: 2, private: 3 } as const;

export const Tag = {
	boolean: 1,
	integer: 2,
	bitString: 3,
	octetString: 4,
	null: 5,
	oid: 6,
	utf8String: 12,
	sequence: 16,
	set: 17,
	printableString: 19,
	t61String: 20,
	ia5String: 22,
	utcTime: 23,
	generalizedTime: 24,
	bmpString: 30,
} as const;

export interface DerNode {
	tagClass: number;
	constructed: boolean;
	tagNumber: number;
	/** Offset of the identifier octet in `source`. */
	start: number;
	headerLength: number;
	contentStart: number;
	/** End of the content (before the end-of-contents octets of an indefinite length). */
	contentEnd: number;
	/** End of the whole element, end-of-contents included. */
	end: number;
	indefinite: boolean;
	content: Buffer;
	children: DerNode[];
	source: Buffer;
}

export class DerError extends Error {}

const MAX_DEPTH = 64;

function parseAt(source: Buffer, offset: number, limit: number, depth: number): DerNode {
	if (depth > MAX_DEPTH) throw new DerError('ASN.1 nesting is too deep');
	let p = offset;
	const need = (n: number) => {
		if (p + n > limit) throw new DerError(`ASN.1 data ends early (at byte ${p})`);
	};
	need(2);
	const first = source[p++];
	const tagClass = first >> 6;
	const constructed = (first & 0x20) !== 0;
	let tagNumber = first & 0x1f;
	if (tagNumber === 0x1f) {
		tagNumber = 0;
		let b: number;
		do {
			need(1);
			b = source[p++];
			tagNumber = tagNumber * 128 + (b & 0x7f);
			if (tagNumber > 0xffffff) throw new DerError('ASN.1 tag number too large');
		} while (b & 0x80);
	}
	need(1);
	const lengthByte = source[p++];
	let indefinite = false;
	let length = 0;
	if (lengthByte === 0x80) {
		if (!constructed) throw new DerError('Indefinite length on a primitive ASN.1 element');
		indefinite = true;
	} else if (lengthByte & 0x80) {
		const count = lengthByte & 0x7f;
		if (count > 4) throw new DerError('ASN.1 length too large');
		need(count);
		for (let k = 0; k < count; k++) length = length * 256 + source[p++];
	} else length = lengthByte;
	const contentStart = p;
	const children: DerNode[] = [];
	let contentEnd: number;
	let end: number;
	if (indefinite) {
		let q = contentStart;
		for (;;) {
			if (q + 2 > limit) throw new DerError('ASN.1 indefinite length without end-of-contents');
			if (source[q] === 0 && source[q + 1] === 0) break;
			const child = parseAt(source, q, limit, depth + 1);
			children.push(child);
			q = child.end;
		}
		contentEnd = q;
		end = q + 2;
	} else {
		contentEnd = contentStart + length;
		if (contentEnd > limit) throw new DerError(`ASN.1 data ends early (at byte ${limit})`);
		end = contentEnd;
		if (constructed) {
			let q = contentStart;
			while (q < contentEnd) {
				const child = parseAt(source, q, contentEnd, depth + 1);
				children.push(child);
				q = child.end;
			}
		}
	}
	return {
		tagClass,
		constructed,
		tagNumber,
		start: offset,
		headerLength: contentStart - offset,
		contentStart,
		contentEnd,
		end,
		indefinite,
		content: source.subarray(contentStart, contentEnd),
		children,
		source,
	};
}

/** Parses one element at `offset`; with `whole`, the element must fill the buffer (trailing zero bytes allowed). */
export function readDer(source: Buffer, offset = 0, whole = true): DerNode {
	const node = parseAt(source, offset, source.length, 0);
	if (whole && source.subarray(node.end).some((b) => b !== 0))
		throw new DerError(`Trailing bytes after the ASN.1 element (at byte ${node.end})`);
	return node;
}

/** The exact bytes of an element as they appear in its source (header, content, end-of-contents). */
export function nodeBytes(node: DerNode): Buffer {
	return node.source.subarray(node.start, node.end);
}

export function isUniversal(node: DerNode, tagNumber: number): boolean {
	return node.tagClass === TagClass.universal && node.tagNumber === tagNumber;
}

export function isContext(node: DerNode, tagNumber: number): boolean {
	return node.tagClass === TagClass.context && node.tagNumber === tagNumber;
}

/** The n-th child, or a clear error naming what was expected there. */
export function child(node: DerNode, index: number, what: string): DerNode {
	const found = node.children[index];
	if (!found) throw new DerError(`ASN.1 structure has no ${what}`);
	return found;
}

/** OCTET STRING content; a constructed (BER) OCTET STRING is concatenated from its segments. */
export function octetsOf(node: DerNode): Buffer {
	if (!node.constructed) return node.content;
	return Buffer.concat(node.children.map(octetsOf));
}

export function intOf(node: DerNode): bigint {
	if (!node.content.length) throw new DerError('Empty ASN.1 INTEGER');
	let value = BigInt('0x' + (node.content.toString('hex') || '0'));
	if (node.content[0] & 0x80) value -= BigInt(1) << BigInt(node.content.length * 8);
	return value;
}

export function oidOf(node: DerNode): string {
	if (!isUniversal(node, Tag.oid)) throw new DerError('Expected an ASN.1 OBJECT IDENTIFIER');
	const arcs: number[] = [];
	let value = 0;
	for (const b of node.content) {
		value = value * 128 + (b & 0x7f);
		if (!(b & 0x80)) {
			if (!arcs.length)
				arcs.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
			else arcs.push(value);
			value = 0;
		}
	}
	return arcs.join('.');
}

/** BIT STRING bits (the unused-bits octet dropped). */
export function bitsOf(node: DerNode): Buffer {
	return node.content.subarray(1);
}

/** UTCTime (years 1950–2049 per RFC 5280) or GeneralizedTime. */
export function timeOf(node: DerNode): Date {
	const text = node.content.toString('latin1');
	const yearDigits = isUniversal(node, Tag.utcTime) ? 2 : 4;
	const m = new RegExp(
		`^(\\d{${yearDigits}})(\\d{2})(\\d{2})(\\d{2})(\\d{2})(\\d{2})?(?:[.,](\\d+))?(Z|[+-]\\d{4})?$`,
	).exec(text);
	if (!m) throw new DerError(`Unreadable ASN.1 time "${text}"`);
	let year = Number(m[1]);
	if (isUniversal(node, Tag.utcTime)) year += year < 50 ? 2000 : 1900;
	const ms = m[7] ? Math.round(Number(`0.${m[7]}`) * 1000) : 0;
	let t = Date.UTC(
		year,
		Number(m[2]) - 1,
		Number(m[3]),
		Number(m[4]),
		Number(m[5]),
		Number(m[6] ?? 0),
		ms,
	);
	if (m[8] && m[8] !== 'Z') {
		const sign = m[8][0] === '+' ? -1 : 1;
		t += sign * (Number(m[8].slice(1, 3)) * 60 + Number(m[8].slice(3))) * 60_000;
	}
	return new Date(t);
}

/** The text of a string type (UTF8String, PrintableString, IA5String, T61String as Latin-1, BMPString). */
export function textOf(node: DerNode): string {
	if (isUniversal(node, Tag.bmpString) && node.content.length % 2 === 0)
		return Buffer.from(node.content).swap16().toString('utf16le');
	if (isUniversal(node, Tag.utf8String)) return node.content.toString('utf8');
	return node.content.toString('latin1');
}

// ---- writer ----

function lengthBytes(length: number): Buffer {
	if (length < 0x80) return Buffer.from([length]);
	const bytes: number[] = [];
	for (let n = length; n > 0; n = Math.floor(n / 256)) bytes.unshift(n & 0xff);
	return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function identifier(tagClass: number, constructed: boolean, tagNumber: number): Buffer {
	const lead = (tagClass << 6) | (constructed ? 0x20 : 0);
	if (tagNumber < 31) return Buffer.from([lead | tagNumber]);
	const bytes: number[] = [tagNumber & 0x7f];
	for (let n = Math.floor(tagNumber / 128); n > 0; n = Math.floor(n / 128))
		bytes.unshift(0x80 | (n & 0x7f));
	return Buffer.from([lead | 0x1f, ...bytes]);
}

function tlv(tagClass: number, constructed: boolean, tagNumber: number, content: Buffer): Buffer {
	return Buffer.concat([
		identifier(tagClass, constructed, tagNumber),
		lengthBytes(content.length),
		content,
	]);
}

function universal(tagNumber: number, content: Buffer, constructed = false): Buffer {
	return tlv(TagClass.universal, constructed, tagNumber, content);
}

function integerContent(value: bigint | number | Buffer): Buffer {
	if (Buffer.isBuffer(value)) {
		// Unsigned magnitude (e.g. a serial number): strip leading zeros, add one if the top bit is set.
		let start = 0;
		while (start < value.length - 1 && value[start] === 0) start++;
		const magnitude = value.subarray(start);
		return magnitude.length && magnitude[0] & 0x80
			? Buffer.concat([Buffer.from([0]), magnitude])
			: Buffer.from(magnitude.length ? magnitude : [0]);
	}
	let v = BigInt(value);
	const zero = BigInt(0);
	if (v >= zero) {
		let hex = v.toString(16);
		if (hex.length % 2) hex = '0' + hex;
		if (parseInt(hex[0], 16) >= 8) hex = '00' + hex;
		return Buffer.from(hex, 'hex');
	}
	// Two's complement for negatives.
	let bytes = 1;
	while (v < -(BigInt(1) << BigInt(bytes * 8 - 1))) bytes++;
	v += BigInt(1) << BigInt(bytes * 8);
	return Buffer.from(v.toString(16).padStart(bytes * 2, '0'), 'hex');
}

function oidContent(dotted: string): Buffer {
	const arcs = dotted.split('.').map(Number);
	if (arcs.length < 2 || arcs.some((a) => !Number.isInteger(a) || a < 0))
		throw new DerError(`Not an OID: ${dotted}`);
	const out: number[] = [];
	for (const arc of [arcs[0] * 40 + arcs[1], ...arcs.slice(2)]) {
		const bytes = [arc & 0x7f];
		for (let n = Math.floor(arc / 128); n > 0; n = Math.floor(n / 128))
			bytes.unshift(0x80 | (n & 0x7f));
		out.push(...bytes);
	}
	return Buffer.from(out);
}

function pad(n: number, width = 2): string {
	return String(n).padStart(width, '0');
}

export const der = {
	seq: (...items: Buffer[]) => universal(Tag.sequence, Buffer.concat(items), true),
	/** SET OF in DER order (elements sorted by their encoding). */
	set: (...items: Buffer[]) =>
		universal(Tag.set, Buffer.concat([...items].sort(Buffer.compare)), true),
	int: (value: bigint | number | Buffer) => universal(Tag.integer, integerContent(value)),
	oid: (dotted: string) => universal(Tag.oid, oidContent(dotted)),
	octets: (bytes: Buffer) => universal(Tag.octetString, bytes),
	nul: () => universal(Tag.null, Buffer.alloc(0)),
	bool: (value: boolean) => universal(Tag.boolean, Buffer.from([value ? 0xff : 0])),
	utf8: (text: string) => universal(Tag.utf8String, Buffer.from(text, 'utf8')),
	printable: (text: string) => universal(Tag.printableString, Buffer.from(text, 'latin1')),
	ia5: (text: string) => universal(Tag.ia5String, Buffer.from(text, 'latin1')),
	utcTime: (date: Date) => {
		const d = date;
		const text = `${pad(d.getUTCFullYear() % 100)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
		return universal(Tag.utcTime, Buffer.from(text, 'latin1'));
	},
	generalizedTime: (date: Date) => {
		const d = date;
		const text = `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())}Z`;
		return universal(Tag.generalizedTime, Buffer.from(text, 'latin1'));
	},
	/** X.509 Time: UTCTime through 2049, GeneralizedTime after (RFC 5280 §4.1.2.5). */
	time: (date: Date) =>
		date.getUTCFullYear() < 2050 ? der.utcTime(date) : der.generalizedTime(date),
	bitString: (bits: Buffer, unusedBits = 0) =>
		universal(Tag.bitString, Buffer.concat([Buffer.from([unusedBits]), bits])),
	/** [n] EXPLICIT: a constructed context tag around one complete element. */
	explicit: (tagNumber: number, inner: Buffer) => tlv(TagClass.context, true, tagNumber, inner),
	/** [n] IMPLICIT: the content bytes under a context tag (constructed for SEQUENCE/SET contents). */
	implicit: (tagNumber: number, content: Buffer, constructed = false) =>
		tlv(TagClass.context, constructed, tagNumber, content),
	/** An already encoded element, inserted as it is. */
	raw: (encoded: Buffer) => encoded,
};

/** The object identifiers AS2 needs, by name. */
export const OID = {
	sha1: '1.3.14.3.2.26',
	sha224: '2.16.840.1.101.3.4.2.4',
	sha256: '2.16.840.1.101.3.4.2.1',
	sha384: '2.16.840.1.101.3.4.2.2',
	sha512: '2.16.840.1.101.3.4.2.3',
	md5: '1.2.840.113549.2.5',
	rsaEncryption: '1.2.840.113549.1.1.1',
	md5WithRSAEncryption: '1.2.840.113549.1.1.4',
	sha1WithRSAEncryption: '1.2.840.113549.1.1.5',
	sha224WithRSAEncryption: '1.2.840.113549.1.1.14',
	sha256WithRSAEncryption: '1.2.840.113549.1.1.11',
	sha384WithRSAEncryption: '1.2.840.113549.1.1.12',
	sha512WithRSAEncryption: '1.2.840.113549.1.1.13',
	rsassaPss: '1.2.840.113549.1.1.10',
	rsaesOaep: '1.2.840.113549.1.1.7',
	mgf1: '1.2.840.113549.1.1.8',
	ecPublicKey: '1.2.840.10045.2.1',
	ecdsaWithSha256: '1.2.840.10045.4.3.2',
	data: '1.2.840.113549.1.7.1',
	signedData: '1.2.840.113549.1.7.2',
	envelopedData: '1.2.840.113549.1.7.3',
	compressedData: '1.2.840.113549.1.9.16.1.9',
	zlibCompress: '1.2.840.113549.1.9.16.3.8',
	contentType: '1.2.840.113549.1.9.3',
	messageDigest: '1.2.840.113549.1.9.4',
	signingTime: '1.2.840.113549.1.9.5',
	smimeCapabilities: '1.2.840.113549.1.9.15',
	desEde3Cbc: '1.2.840.113549.3.7',
	rc2Cbc: '1.2.840.113549.3.2',
	aes128Cbc: '2.16.840.1.101.3.4.1.2',
	aes192Cbc: '2.16.840.1.101.3.4.1.22',
	aes256Cbc: '2.16.840.1.101.3.4.1.42',
	commonName: '2.5.4.3',
	countryName: '2.5.4.6',
	localityName: '2.5.4.7',
	stateOrProvinceName: '2.5.4.8',
	organizationName: '2.5.4.10',
	organizationalUnitName: '2.5.4.11',
	emailAddress: '1.2.840.113549.1.9.1',
	subjectKeyIdentifier: '2.5.29.14',
	keyUsage: '2.5.29.15',
	basicConstraints: '2.5.29.19',
	authorityKeyIdentifier: '2.5.29.35',
} as const;

export type OidName = keyof typeof OID;

const NAMES = new Map<string, OidName>(
	Object.entries(OID).map(([name, dotted]) => [dotted, name as OidName]),
);

/** The name of a known OID, or undefined. */
export function oidName(dotted: string): OidName | undefined {
	return NAMES.get(dotted);
}
