import { renewedLink } from '../../nodes/MftGateway/helpers/attachments';

/** An expired download link is renewed from a fresh attachment list: the file's own link, not its old slot's. */
describe('renewedLink', () => {
	const old = [
		{ name: 'PO.x12', url: 'https://s3/old-po' },
		{ name: 'label.pdf', url: 'https://s3/old-label' },
	];

	test('the fresh list in another order: matched by name', () => {
		const fresh = [
			{ name: 'label.pdf', url: 'https://s3/new-label' },
			{ name: 'PO.x12', url: 'https://s3/new-po' },
		];
		expect(renewedLink(fresh, old[0], 0)).toBe('https://s3/new-po');
		expect(renewedLink(fresh, old[1], 1)).toBe('https://s3/new-label');
	});

	test('a file gained in front of it: still its own link', () => {
		const fresh = [{ name: 'extra.txt', url: 'https://s3/extra' }, ...old];
		expect(renewedLink(fresh, old[1], 1)).toBe('https://s3/old-label');
	});

	test('the file is gone from the list: the old link (its 403/404 is then reported), never another file', () => {
		const fresh = [{ name: 'label.pdf', url: 'https://s3/new-label' }];
		expect(renewedLink(fresh, old[0], 0)).toBe('https://s3/old-po');
	});

	test('names that repeat: by position among the fresh list', () => {
		const twins = [
			{ name: 'a.edi', url: 'https://s3/new-1' },
			{ name: 'a.edi', url: 'https://s3/new-2' },
		];
		expect(renewedLink(twins, { name: 'a.edi', url: 'https://s3/old-2' }, 1)).toBe(
			'https://s3/new-2',
		);
	});
});
