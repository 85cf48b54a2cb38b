/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness: dev-only, never part of the published package */
import { createReadStream } from 'node:fs';

import { ExecutionLifecycleHooks, PollContext, WebhookContext, WorkflowExecute } from 'n8n-core';
import type {
	IBinaryData,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	IRun,
	IWorkflowBase,
} from 'n8n-workflow';
import {
	createDeferredPromise,
	createRunExecutionData,
	NodeConnectionTypes,
	Workflow,
} from 'n8n-workflow';

import {
	ACTION_NODE_TYPE,
	additionalData,
	binaryDataService,
	nodeTypes,
	type TestCredentialsHelper,
	TRIGGER_NODE_TYPE,
} from './n8n';

export const CREDENTIAL_ID = 'cred-1';

export interface InputItem {
	json?: IDataObject;
	/** File contents inline (`data`), or a file on disk streamed into binary storage (`path`). */
	binary?: Record<
		string,
		{ data?: Buffer | string; path?: string; fileName: string; mimeType: string }
	>;
}

export interface RunOptions {
	parameters: INodeParameters;
	credentials: TestCredentialsHelper;
	items?: InputItem[];
	credentialId?: string;
	continueOnFail?: boolean;
	nodeType?: string;
	/** Node settings as the editor saves them, e.g. { retryOnFail: true, maxTries: 3, waitBetweenTries: 0 }; `typeVersion` (default 1). */
	settings?: Partial<INode>;
}

export interface RunResult {
	/** Output items of the node (first output). */
	items: INodeExecutionData[];
	/** The node's error when it failed (n8n's run data keeps it). */
	error?: Error & { description?: string | null; httpCode?: string | null };
	run: IRun;
}

let executionCounter = 0;

function makeNode(
	parameters: INodeParameters,
	type: string,
	credentialId: string,
	continueOnFail = false,
	name = 'MFT Gateway',
	settings: Partial<INode> = {},
): INode {
	return {
		id: name,
		name,
		type,
		typeVersion: 1,
		...settings,
		position: [0, 0],
		parameters,
		credentials: { mftGatewayApi: { id: credentialId, name: 'MFT Gateway sandbox' } },
		...(continueOnFail ? { onError: 'continueRegularOutput' as const } : {}),
	};
}

/** Stores input files in n8n's binary storage (filesystem mode), as an upstream node would. */
async function storeInputs(
	items: InputItem[],
	workflowId: string,
	executionId: string,
): Promise<INodeExecutionData[]> {
	const result: INodeExecutionData[] = [];
	for (const input of items) {
		const binary: Record<string, IBinaryData> = {};
		for (const [key, file] of Object.entries(input.binary ?? {})) {
			const data = file.path
				? createReadStream(file.path)
				: Buffer.isBuffer(file.data)
					? file.data
					: Buffer.from(file.data ?? '');
			binary[key] = await binaryDataService().store(
				{ type: 'execution', workflowId, executionId },
				data,
				{ data: '', fileName: file.fileName, mimeType: file.mimeType } as IBinaryData,
			);
		}
		result.push({ json: input.json ?? {}, ...(input.binary ? { binary } : {}) });
	}
	return result;
}

export interface ChainStep {
	name: string;
	parameters: INodeParameters;
	continueOnFail?: boolean;
	settings?: Partial<INode>;
}

export interface ChainResult {
	/** Output items per node name. */
	outputs: Record<string, INodeExecutionData[]>;
	/** The first node error, if any. */
	error?: RunResult['error'];
	run: IRun;
}

/**
 * Runs a chain of MFT Gateway nodes (each feeding the next) through n8n-core's real WorkflowExecute,
 * as a manual execution does; expressions like {{ $json.messageIdentifier }} are evaluated by n8n.
 */
export async function runChain(
	steps: ChainStep[],
	options: {
		credentials: TestCredentialsHelper;
		items?: InputItem[];
		credentialId?: string;
		nodeType?: string;
	},
): Promise<ChainResult> {
	const executionId = `exec-${++executionCounter}`;
	const nodes = steps.map((step) =>
		makeNode(
			step.parameters,
			options.nodeType ?? ACTION_NODE_TYPE,
			options.credentialId ?? CREDENTIAL_ID,
			step.continueOnFail,
			step.name,
			step.settings,
		),
	);
	const connections: IConnections = {};
	for (let i = 0; i + 1 < nodes.length; i++)
		connections[nodes[i].name] = {
			main: [[{ node: nodes[i + 1].name, type: NodeConnectionTypes.Main, index: 0 }]],
		};
	const workflowData = {
		id: 'wf-1',
		name: 'test',
		active: false,
		isArchived: false,
		nodes,
		connections,
		createdAt: new Date(),
		updatedAt: new Date(),
		activeVersionId: null,
	} as unknown as IWorkflowBase;
	const workflow = new Workflow({
		id: 'wf-1',
		nodes,
		connections,
		nodeTypes,
		active: false,
		settings: {},
	});
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const done = createDeferredPromise<IRun>();
	hooks.addHandler('workflowExecuteAfter', (run) => done.resolve(run));
	const data = additionalData(options.credentials, executionId);
	(data as { hooks?: ExecutionLifecycleHooks }).hooks = hooks;
	const inputs = await storeInputs(options.items ?? [{ json: {} }], 'wf-1', executionId);
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [inputs] }, source: null }],
		},
	});
	await new WorkflowExecute(data, 'manual', runExecutionData).processRunExecutionData(workflow);
	const run = await done.promise;
	const outputs: Record<string, INodeExecutionData[]> = {};
	let error: RunResult['error'];
	for (const node of nodes) {
		const task = run.data.resultData.runData[node.name]?.[0];
		if (!task) continue;
		outputs[node.name] = task.data?.main?.[0] ?? [];
		error ??= task.error as RunResult['error'];
	}
	return { outputs, error: error ?? (run.data.resultData.error as RunResult['error']), run };
}

/** Runs one node through n8n-core's real WorkflowExecute, as a manual execution does. */
export async function runNode(options: RunOptions): Promise<RunResult> {
	const result = await runChain(
		[
			{
				name: 'MFT Gateway',
				parameters: options.parameters,
				continueOnFail: options.continueOnFail,
				settings: options.settings,
			},
		],
		options,
	);
	return { items: result.outputs['MFT Gateway'] ?? [], error: result.error, run: result.run };
}

/** Reads a binary property back as bytes (from filesystem storage or inline base64). */
export async function binaryBytes(binary: IBinaryData): Promise<Buffer> {
	return await binaryDataService().getAsBuffer(binary);
}

export interface PollOptions {
	parameters: INodeParameters;
	credentials: TestCredentialsHelper;
	nodeType: string;
	mode?: 'trigger' | 'manual';
	/** Carried between polls, as n8n keeps it in the workflow's static data. */
	staticData?: IDataObject;
	credentialId?: string;
	/** The trigger's node version (default 1). */
	typeVersion?: number;
	/** The workflow's id (the event ledger is per workflow; default `wf-poll`). */
	workflowId?: string;
	/** The node's name (static data is kept per node name; default `MFT Gateway Trigger`). */
	nodeName?: string;
}

/** Runs one poll through n8n-core's real PollContext; returns the emitted items (null = nothing new). */
export async function runPoll(
	options: PollOptions,
): Promise<{ items: INodeExecutionData[] | null; staticData: IDataObject }> {
	const node = makeNode(
		options.parameters,
		options.nodeType,
		options.credentialId ?? CREDENTIAL_ID,
		false,
		options.nodeName ?? 'MFT Gateway Trigger',
		{ typeVersion: options.typeVersion ?? 1 },
	);
	const staticData = options.staticData ?? {};
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-poll',
		nodes: [node],
		connections: {},
		nodeTypes,
		active: true,
		settings: {},
		staticData,
	});
	const data = additionalData(options.credentials, `poll-${++executionCounter}`);
	const context = new PollContext(workflow, node, data, options.mode ?? 'trigger', 'activate');
	const nodeType = nodeTypes.getByNameAndVersion(options.nodeType, options.typeVersion ?? 1);
	const result = await nodeType.poll!.call(context);
	return { items: result ? result[0] : null, staticData: workflow.staticData as IDataObject };
}

export const WEBHOOK_NODE_TYPE = 'n8n-nodes-mft-gateway.mftGatewayWebhookTrigger';

export interface WebhookCallOptions {
	parameters: INodeParameters;
	credentials: TestCredentialsHelper;
	body: unknown;
	query?: IDataObject;
	headers?: IDataObject;
	mode?: 'webhook' | 'manual';
	/** The workflow's static data as the database holds it now; n8n loads it afresh for every call. */
	staticData?: IDataObject;
	workflowId?: string;
	/** Other MFT Gateway Triggers of the same workflow (name, parameters), e.g. a reconciling poller. */
	otherTriggers?: Array<{ name: string; parameters: INodeParameters }>;
}

export interface WebhookCallResult {
	/** What the node answered: status, and whether a body was written. */
	response: { status?: number; ended: boolean; body?: unknown };
	/** The items that start an execution; undefined when the call is ignored. */
	items?: INodeExecutionData[];
	noWebhookResponse?: boolean;
	/** Static data after the call, and whether n8n would save it. */
	staticData: IDataObject;
	saved: boolean;
}

/** One webhook call through n8n-core's real WebhookContext, with an Express-like request and response. */
export async function runWebhook(options: WebhookCallOptions): Promise<WebhookCallResult> {
	const node = makeNode(
		options.parameters,
		WEBHOOK_NODE_TYPE,
		CREDENTIAL_ID,
		false,
		'MFT Gateway Webhook Trigger',
		{ webhookId: 'b3c1f0b6-6a49-4f5e-9d6f-1a2b3c4d5e6f' },
	);
	const staticData = JSON.parse(JSON.stringify(options.staticData ?? {})) as IDataObject;
	// The other triggers feed the same next node as the webhook, as the README tells users to wire them.
	const others = (options.otherTriggers ?? []).map((t) =>
		makeNode(t.parameters, TRIGGER_NODE_TYPE, CREDENTIAL_ID, false, t.name, { typeVersion: 2 }),
	);
	const next = makeNode({}, ACTION_NODE_TYPE, CREDENTIAL_ID, false, 'Next');
	const connections: IConnections = {};
	for (const from of [node, ...others])
		connections[from.name] = {
			main: [[{ node: next.name, type: NodeConnectionTypes.Main, index: 0 }]],
		};
	const workflow = new Workflow({
		id: options.workflowId ?? 'wf-webhook',
		nodes: [node, ...others, next],
		connections,
		nodeTypes,
		active: true,
		settings: {},
		staticData,
	});
	const response: WebhookCallResult['response'] = { ended: false };
	const res = {
		status(code: number) {
			response.status = code;
			return res;
		},
		end(body?: unknown) {
			response.ended = true;
			if (body !== undefined) response.body = body;
			return res;
		},
		json(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		send(body: unknown) {
			response.body = body;
			response.ended = true;
			return res;
		},
		headersSent: false,
	};
	const data = {
		...additionalData(options.credentials, `webhook-${++executionCounter}`),
		httpRequest: {
			body: options.body,
			headers: options.headers ?? { 'content-type': 'application/json' },
			query: options.query ?? {},
			params: {},
		},
		httpResponse: res,
	} as unknown as ReturnType<typeof additionalData>;
	const webhookData = {
		httpMethod: 'POST',
		node: node.name,
		path: 'events',
		webhookDescription: { name: 'default', httpMethod: 'POST', path: 'events' },
		workflowId: workflow.id,
		workflowExecuteAdditionalData: data,
	} as unknown as ConstructorParameters<typeof WebhookContext>[4];
	const context = new WebhookContext(
		workflow,
		node,
		data,
		options.mode ?? 'webhook',
		webhookData,
		[],
		null,
	);
	const nodeType = nodeTypes.getByNameAndVersion(WEBHOOK_NODE_TYPE, 1);
	const result = await nodeType.webhook!.call(context);
	const after = workflow.staticData as IDataObject & { __dataChanged?: boolean };
	return {
		response,
		items: result.workflowData?.[0],
		noWebhookResponse: result.noWebhookResponse,
		staticData: after,
		saved: after.__dataChanged === true,
	};
}
