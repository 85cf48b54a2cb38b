/** The canvas subtitles are words ("Send message", "Message received"), evaluated by n8n's expression engine. */
import { Workflow, type INode, type INodeParameters } from 'n8n-workflow';

import { MftGateway } from '../../nodes/MftGateway/MftGateway.node';
import { MftGatewayTrigger } from '../../nodes/MftGatewayTrigger/MftGatewayTrigger.node';
import { ACTION_NODE_TYPE, nodeTypes, TRIGGER_NODE_TYPE } from '../harness/n8n';

function subtitle(type: string, expression: string, parameters: INodeParameters): unknown {
	const node: INode = { id: 'n', name: 'N', type, typeVersion: 1, position: [0, 0], parameters };
	const workflow = new Workflow({
		id: 'w',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
	});
	return workflow.expression.getSimpleParameterValue(node, expression, 'internal', {});
}

test.each([
	[{ resource: 'message', operation: 'send' }, 'Send message'],
	[{ resource: 'message', operation: 'getAll' }, 'Get many messages'],
	[{ resource: 'attachment', operation: 'getAll' }, 'Get many attachments'],
	[{ resource: 'mdn', operation: 'get' }, 'Get MDN'],
	[{ resource: 'message', operation: 'deleteMany' }, 'Delete many messages'],
	[{ resource: 'partner', operation: 'update' }, 'Update partner'],
])('action node %j → "%s"', (parameters, expected) => {
	expect(subtitle(ACTION_NODE_TYPE, new MftGateway().description.subtitle!, parameters)).toBe(
		expected,
	);
});

test.each([
	['messageReceived', 'Message received'],
	['messageFailed', 'Message failed'],
])('trigger %s → "%s"', (event, expected) => {
	expect(
		subtitle(TRIGGER_NODE_TYPE, new MftGatewayTrigger().description.subtitle!, { event }),
	).toBe(expected);
});
