import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { SEED, startSandbox, type RunningSandbox, type StartOptions } from '../../sandbox';
import { TestCredentialsHelper } from './n8n';
import { CREDENTIAL_ID } from './run';

export interface TestEnv {
	running: RunningSandbox;
	credentials: TestCredentialsHelper;
	close(): Promise<void>;
}

export type LoginMode = 'apiToken' | 'password';

export function credentialData(
	url: string,
	mode: LoginMode = 'apiToken',
): ICredentialDataDecryptedObject {
	return mode === 'apiToken'
		? {
				authentication: 'apiToken',
				tokenId: SEED.tokenId,
				tokenSecret: SEED.tokenSecret,
				baseUrl: url,
			}
		: {
				authentication: 'password',
				username: SEED.username,
				password: SEED.password,
				baseUrl: url,
			};
}

/** A sandbox on a free port (fast lifecycle by default) and a credential pointing at it. */
export async function startTestEnv(
	options: StartOptions & { login?: LoginMode } = {},
): Promise<TestEnv> {
	const running = await startSandbox({
		...options,
		config: { deliveryDelayMs: 30, retryDelayMs: 30, ...options.config },
	});
	const credentials = new TestCredentialsHelper();
	credentials.set(CREDENTIAL_ID, credentialData(running.url, options.login));
	return { running, credentials, close: () => running.close() };
}

export { SEED };
