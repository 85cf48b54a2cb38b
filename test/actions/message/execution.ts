import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type { IDataObject, INode, IRun, IRunExecutionData, IWorkflowBase } from 'n8n-workflow';
import { createDeferredPromise, createRunExecutionData, Workflow } from 'n8n-workflow';

import {
	ACTION_NODE_TYPE,
	additionalData,
	nodeTypes,
	type TestCredentialsHelper,
} from '../../harness/n8n';
import { CREDENTIAL_ID } from '../../harness/run';
import { SEED } from '../../harness/sandbox';

/** Send, node version 2, one message per input item `{ partner, text, subject? }`. */
export const SEND_PER_ITEM = {
	resource: 'message',
	operation: 'send',
	station: { __rl: true, mode: 'id', value: SEED.station },
	partner: { __rl: true, mode: 'id', value: '={{ $json.partner }}' },
	payload: 'text',
	text: '={{ $json.text }}',
	fileName: 'po.x12',
	options: { subject: '={{ $json.subject ?? "" }}' },
};

/**
 * One MFT Gateway node in a workflow that can be run, and its failed executions retried as n8n's
 * "Retry" in the executions list does: the saved execution data (run data, custom data, the failed node
 * still on the stack) goes to a new execution with a new id, minus the failed node's error run.
 */
export class NodeWorkflow {
	private readonly node: INode;
	private readonly workflow: Workflow;
	private readonly workflowData: IWorkflowBase;
	private executions = 0;

	constructor(
		private readonly credentials: TestCredentialsHelper,
		parameters: IDataObject,
		settings: Partial<INode> = {},
		readonly workflowId = 'wf-send',
	) {
		this.node = {
			id: 'send',
			name: 'Send',
			type: ACTION_NODE_TYPE,
			typeVersion: 2,
			...settings,
			position: [0, 0],
			parameters: parameters as INode['parameters'],
			credentials: { mftGatewayApi: { id: CREDENTIAL_ID, name: 'sandbox' } },
		};
		this.workflow = new Workflow({
			id: workflowId,
			nodes: [this.node],
			connections: {},
			nodeTypes,
			active: false,
			settings: {},
		});
		this.workflowData = {
			id: workflowId,
			name: workflowId,
			nodes: [this.node],
			connections: {},
		} as unknown as IWorkflowBase;
	}

	/** A new execution with these input items. */
	async run(items: IDataObject[]): Promise<IRun> {
		return await this.execute(
			createRunExecutionData({
				executionData: {
					nodeExecutionStack: [
						{
							node: this.node,
							data: { main: [items.map((json) => ({ json }))] },
							source: null,
						},
					],
				},
			}),
		);
	}

	/** n8n's retry of a failed execution, from the data it saved (a JSON copy, as the database holds it). */
	async retry(failed: IRun): Promise<IRun> {
		const data = JSON.parse(JSON.stringify(failed.data)) as IRunExecutionData;
		delete data.resultData.error;
		const runs = data.resultData.runData[this.node.name];
		if (runs?.at(-1)?.error) runs.pop();
		return await this.execute(data);
	}

	private async execute(data: IRunExecutionData): Promise<IRun> {
		const executionId = `${this.workflowId}-exec-${++this.executions}`;
		const hooks = new ExecutionLifecycleHooks('trigger', executionId, this.workflowData);
		const done = createDeferredPromise<IRun>();
		hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));
		const extra = additionalData(this.credentials, executionId);
		(extra as { hooks?: ExecutionLifecycleHooks }).hooks = hooks;
		await new WorkflowExecute(extra, 'trigger', data).processRunExecutionData(this.workflow);
		return await done.promise;
	}
}

/** The output items of the node's last run, and its error. */
export function lastRun(run: IRun): {
	items: IDataObject[];
	error?: Error & { description?: string };
} {
	const task = run.data.resultData.runData.Send?.at(-1);
	return {
		items: (task?.data?.main?.[0] ?? []).map((item) => item.json),
		error: (task?.error ?? run.data.resultData.error) as
			| (Error & { description?: string })
			| undefined,
	};
}
