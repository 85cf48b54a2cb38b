import { directoryGetOperation } from '../directoryEntry';

export const { description, execute } = directoryGetOperation(
	'station',
	'MYSTATION',
	'The AS2 identifier of one of your stations (case-sensitive)',
);
