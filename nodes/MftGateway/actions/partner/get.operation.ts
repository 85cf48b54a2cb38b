import { directoryGetOperation } from '../directoryEntry';

export const { description, execute } = directoryGetOperation(
	'partner',
	'PARTNER_AS2_ID',
	'The AS2 identifier of the trading partner (case-sensitive)',
);
