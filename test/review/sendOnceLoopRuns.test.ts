/**
 * Review: the "submitted once per execution" record must not swallow a second run of the Send node in
 * the same execution (a loop: Loop Over Items, or a branch that comes back to the node). Retry On Fail
 * repeats a run with the same run index; a loop gives the node a new run index, and its items are new
 * sends even when their content is the same as in the run before.
 */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { INode, IRun, IWorkflowBase } from 'n8n-workflow';
import { createDeferredPromise, createRunExecutionData, Workflow } from 'n8n-workflow';

import { count, env, useActionEnv } from '../actions/setup';
import { SEND_PER_ITEM } from '../actions/message/execution';
import { ACTION_NODE_TYPE, additionalData, nodeTypes } from '../harness/n8n';
import { CREDENTIAL_ID } from '../harness/run';

useActionEnv();

test('the same item sent by two runs of the node in one execution (a loop) is submitted twice', async () => {
	const node: INode = {
		id: 'send',
		name: 'Send',
		type: ACTION_NODE_TYPE,
		typeVersion: 2,
		position: [0, 0],
		parameters: SEND_PER_ITEM as unknown as INode['parameters'],
		credentials: { mftGatewayApi: { id: CREDENTIAL_ID, name: 'sandbox' } },
	};
	const workflow = new Workflow({
		id: 'wf-loop',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: false,
		settings: {},
	});
	const items = [{ json: { partner: 'PARTNER_OK', text: 'ISA*heartbeat~' } }];
	// Two entries on the stack for the same node: n8n runs it twice, with run index 0 and 1.
	const data = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [
				{ node, data: { main: [items] }, source: null },
				{ node, data: { main: [items] }, source: null },
			],
		},
	});
	const hooks = new ExecutionLifecycleHooks('trigger', 'wf-loop-exec-1', {
		id: 'wf-loop',
		name: 'wf-loop',
		nodes: [node],
		connections: {},
	} as unknown as IWorkflowBase);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));
	const extra = additionalData(env.credentials, 'wf-loop-exec-1');
	(extra as { hooks?: ExecutionLifecycleHooks }).hooks = hooks;
	await new WorkflowExecute(extra, 'trigger', data).processRunExecutionData(workflow);
	const run = await done.promise;
	const runs = run.data.resultData.runData.Send;
	expect(runs).toHaveLength(2);
	const outputs = runs.map((task) => task.data?.main?.[0]?.[0]?.json ?? {});
	expect(count('submit')).toBe(2);
	expect(outputs[1].note).toBeUndefined();
	expect(outputs[0].id).not.toEqual(outputs[1].id);
});
