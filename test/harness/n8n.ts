/* eslint-disable @n8n/community-nodes/no-restricted-imports -- test harness: dev-only, never part of the published package */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Container } from '@n8n/di';
import { BinaryDataService } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestHelper,
	IHttpRequestOptions,
	INode,
	INodeCredentialsDetails,
	INodeParameters,
	INodeProperties,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
	IWorkflowExecuteAdditionalData,
	Workflow,
} from 'n8n-workflow';
import { ICredentialsHelper, NodeHelpers } from 'n8n-workflow';

import { MftGatewayApi } from '../../credentials/MftGatewayApi.credentials';
import { MftGateway } from '../../nodes/MftGateway/MftGateway.node';
import { MftGatewayTrigger } from '../../nodes/MftGatewayTrigger/MftGatewayTrigger.node';
import { MftGatewayWebhookTrigger } from '../../nodes/MftGatewayWebhookTrigger/MftGatewayWebhookTrigger.node';

export const PACKAGE = 'n8n-nodes-mft-gateway';
export const ACTION_NODE_TYPE = `${PACKAGE}.mftGateway`;
export const TRIGGER_NODE_TYPE = `${PACKAGE}.mftGatewayTrigger`;

const NODE_CLASSES: Record<string, INodeType | IVersionedNodeType> = {
	[ACTION_NODE_TYPE]: new MftGateway(),
	[TRIGGER_NODE_TYPE]: new MftGatewayTrigger(),
	[`${PACKAGE}.mftGatewayWebhookTrigger`]: new MftGatewayWebhookTrigger(),
};

/** Registers node classes (the trigger adds itself here). */
export function registerNodeType(name: string, nodeType: INodeType): void {
	NODE_CLASSES[name] = nodeType;
}

export const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_CLASSES[type],
	getByNameAndVersion: (type, version) =>
		NodeHelpers.getVersionedNodeType(NODE_CLASSES[type], version),
	getKnownTypes: () => ({}),
};

const CREDENTIAL_TYPES: Record<string, ICredentialType> = { mftGatewayApi: new MftGatewayApi() };

/**
 * Credentials as the n8n CLI handles them (credentials-helper.ts in n8n 2.8.4): defaults applied and
 * undeclared fields dropped on read, preAuthentication run when the expirable field is empty or after a
 * 401, and its output persisted. Counts what it did, so tests can assert "one login".
 */
export class TestCredentialsHelper extends ICredentialsHelper {
	private readonly store = new Map<string, ICredentialDataDecryptedObject>();
	preAuthCalls = 0;
	persisted = 0;

	set(id: string, data: ICredentialDataDecryptedObject): void {
		this.store.set(id, { ...data });
	}

	get(id: string): ICredentialDataDecryptedObject {
		return { ...this.store.get(id) };
	}

	getParentTypes(): string[] {
		return [];
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> {
		const authenticate = CREDENTIAL_TYPES[typeName].authenticate;
		if (typeof authenticate !== 'function')
			throw new Error('the harness supports function authenticate only');
		return await authenticate(credentials, requestOptions);
	}

	async preAuthentication(
		helpers: IHttpRequestHelper,
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		node: INode,
		credentialsExpired: boolean,
	): Promise<ICredentialDataDecryptedObject | undefined> {
		const type = CREDENTIAL_TYPES[typeName];
		const expirable = type.properties.find(
			(p) => p.type === 'hidden' && p.typeOptions?.expirable === true,
		);
		if (!expirable || typeof type.preAuthentication !== 'function') return undefined;
		if (credentials[expirable.name] !== '' && !credentialsExpired) return undefined;
		this.preAuthCalls++;
		const output = await type.preAuthentication.call(helpers, credentials);
		if (output[expirable.name] === undefined) return undefined;
		const merged = Object.assign(credentials, output);
		const details = node.credentials?.[typeName];
		if (details?.id) {
			this.store.set(details.id, { ...merged });
			this.persisted++;
		}
		return merged;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('not used by the harness');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const data = this.store.get(nodeCredentials.id ?? '');
		if (!data) throw new Error(`No credential with id ${nodeCredentials.id}`);
		const withDefaults = NodeHelpers.getNodeParameters(
			CREDENTIAL_TYPES[type].properties,
			data as INodeParameters,
			true,
			false,
			null,
			null,
		);
		return { ...(withDefaults as ICredentialDataDecryptedObject) };
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		_type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.store.set(nodeCredentials.id ?? '', { ...data });
	}

	async updateCredentialsOauthTokenData(): Promise<void> {}

	getCredentialsProperties(type: string): INodeProperties[] {
		return CREDENTIAL_TYPES[type].properties;
	}
}

const quietLogger = {
	debug() {},
	info() {},
	warn() {},
	error() {},
	scoped() {
		return quietLogger;
	},
};

let binaryRoot: string | undefined;

/** n8n 2.x default binary mode: files on disk. Returns the storage folder. */
export async function useFilesystemBinaryData(): Promise<string> {
	if (binaryRoot) return binaryRoot;
	binaryRoot = mkdtempSync(join(tmpdir(), 'mftg-binary-'));
	const service = new BinaryDataService(
		{ mode: 'filesystem', availableModes: ['filesystem'], localStoragePath: binaryRoot } as never,
		{ error() {}, warn() {}, info() {} } as never,
		quietLogger as never,
	);
	await service.init();
	Container.set(BinaryDataService, service);
	return binaryRoot;
}

export function binaryDataService(): BinaryDataService {
	return Container.get(BinaryDataService);
}

export function additionalData(
	credentialsHelper: TestCredentialsHelper,
	executionId: string,
): IWorkflowExecuteAdditionalData {
	return {
		credentialsHelper,
		executionId,
		restApiUrl: 'http://127.0.0.1/rest',
		instanceBaseUrl: 'http://127.0.0.1/',
		formWaitingBaseUrl: 'http://127.0.0.1/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1/webhook-test',
		currentNodeExecutionIndex: 0,
		variables: {},
		logAiEvent: () => {},
	} as unknown as IWorkflowExecuteAdditionalData;
}

export type { Workflow };
