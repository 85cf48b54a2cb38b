import { useFilesystemBinaryData } from '../harness/n8n';
import { runNode } from '../harness/run';
import { SEED, startTestEnv, type TestEnv } from '../harness/sandbox';

/**
 * Shared setup of the per-operation tests (test/actions/<resource>/<operation>.test.ts, mirroring
 * nodes/MftGateway/actions/): one sandbox per file, faults and stats cleared before each test.
 */
export let env: TestEnv;
/** A received message with two files (ORDERS.edifact, label.pdf), when asked for. */
export let inboxId: string;

export function useActionEnv(
	options: { deliveryDelayMs?: number; retryDelayMs?: number; withInbound?: boolean } = {},
): void {
	const deliveryDelayMs = options.deliveryDelayMs ?? 50;
	beforeAll(async () => {
		await useFilesystemBinaryData();
		env = await startTestEnv({
			config: { deliveryDelayMs, retryDelayMs: options.retryDelayMs ?? 20 },
		});
		if (!options.withInbound) return;
		[inboxId] = await env.running.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'files',
			count: 1,
			files: [
				{
					name: 'ORDERS.edifact',
					contentType: 'application/edifact',
					content: Buffer.from("UNB+UNOC:3+SENDER+RECEIVER'"),
				},
				{
					name: 'label.pdf',
					contentType: 'application/pdf',
					content: Buffer.from('%PDF-1.7 label'),
				},
			],
		});
	});
	afterAll(async () => await env.close());
	beforeEach(() => {
		env.running.sandbox.stats.reset();
		env.running.sandbox.faults.clear();
		env.running.sandbox.config.deliveryDelayMs = deliveryDelayMs;
	});
}

export const run = (
	parameters: Record<string, unknown>,
	extra: Partial<Parameters<typeof runNode>[0]> = {},
) => runNode({ credentials: env.credentials, parameters: parameters as never, ...extra });

/** Requests the sandbox saw on a route since the test started. */
export const count = (route: string) => env.running.sandbox.stats.byRoute()[route] ?? 0;

export const SEND = {
	resource: 'message',
	operation: 'send',
	station: SEED.station,
	partner: 'PARTNER_OK',
	payload: 'binary',
	binaryProperties: 'data',
};
