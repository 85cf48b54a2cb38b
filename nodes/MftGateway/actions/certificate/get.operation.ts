import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { withIsoTimestamps } from '../../helpers/output';
import { apiRequest } from '../../transport/request';
import { item, show } from '../common';
import { locatorField, locatorValue, versioned } from '../locators';

const aliasField: INodeProperties = {
	displayName: 'Alias',
	name: 'alias',
	type: 'string',
	required: true,
	default: '',
	placeholder: 'f54967f4-23fb-4b1a-9759-ba6b94cd7922',
	description: 'The certificate alias, as listed by Get Many',
	displayOptions: show('certificate', ['get']),
};

export const description: INodeProperties[] = versioned(
	aliasField,
	locatorField('certificate', aliasField),
);

export async function execute(this: IExecuteFunctions, i: number): Promise<INodeExecutionData[]> {
	const alias = locatorValue(this.getNodeParameter('alias', i));
	if (!alias)
		throw new NodeOperationError(this.getNode(), 'Alias is empty', {
			itemIndex: i,
			description: 'Give a certificate alias; Certificate → Get Many lists them.',
		});
	const certificate = await apiRequest.call(this, {
		method: 'GET',
		path: `/certificate/${encodeURIComponent(alias)}`,
		action: `Get certificate ${alias}`,
		notFoundHint: 'No certificate has this alias. Certificate → Get Many lists the aliases.',
		itemIndex: i,
	});
	return [item(withIsoTimestamps(certificate), i)];
}
