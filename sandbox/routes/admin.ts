/* eslint-disable @n8n/community-nodes/require-node-api-error -- the sandbox is dev-only tooling, not n8n node code */
import { mergeConfig } from '../config';
import type { FaultRule } from '../faults';
import { ApiError, readJson } from '../http';
import type { PartnerBehaviour } from '../model';
import { SEED } from '../seed';
import { validateEndpoint, validateFaults } from '../webhooks';
import { ok, type Route } from './types';

const BEHAVIOURS: PartnerBehaviour[] = ['accept', 'reject', 'flaky', 'down', 'noMdn', 'as2'];

interface InboundAttachment {
	name?: unknown;
	contentType?: unknown;
	text?: unknown;
	base64?: unknown;
}

/** Sandbox-only controls under /_sandbox (no token needed; the sandbox listens on 127.0.0.1 only). */
export const adminRoutes: Route[] = [
	{
		name: 'admin',
		method: 'POST',
		path: /^\/_sandbox\/inbound$/,
		auth: false,
		async handle({ sandbox, req }) {
			const body = await readJson(req, 256 * 1024 * 1024);
			const count = body.count === undefined ? 1 : Number(body.count);
			if (!Number.isInteger(count) || count < 1 || count > 10000)
				throw new ApiError(400, 'count must be an integer from 1 to 10000');
			const list = (body.attachments ?? [
				{ name: 'order.edi', contentType: 'application/edi-x12', text: 'ISA*00*~' },
			]) as InboundAttachment[];
			if (!Array.isArray(list) || list.length === 0)
				throw new ApiError(
					400,
					'attachments must be a non-empty list of {name, contentType, text | base64}',
				);
			const files = list.map((a, i) => {
				if (typeof a.text !== 'string' && typeof a.base64 !== 'string')
					throw new ApiError(400, `attachments[${i}] needs text or base64 content`);
				return {
					name: typeof a.name === 'string' ? a.name : `attachment-${i + 1}.dat`,
					contentType:
						typeof a.contentType === 'string' ? a.contentType : 'application/octet-stream',
					content:
						typeof a.text === 'string'
							? Buffer.from(a.text, 'utf8')
							: Buffer.from(a.base64 as string, 'base64'),
				};
			});
			const ids = await sandbox.deliverInbound({
				station: typeof body.station === 'string' ? body.station : SEED.station,
				partner: typeof body.partner === 'string' ? body.partner : 'PARTNER_OK',
				subject: typeof body.subject === 'string' ? body.subject : 'Inbound EDI',
				messageId: typeof body.messageId === 'string' ? body.messageId : undefined,
				timestamp: typeof body.timestamp === 'number' ? body.timestamp : undefined,
				timestampStepMs:
					typeof body.timestampStepMs === 'number' ? body.timestampStepMs : undefined,
				count,
				files,
			});
			return ok({ messages: ids }, 201);
		},
	},
	{
		name: 'admin',
		method: 'GET',
		path: /^\/_sandbox\/faults$/,
		auth: false,
		handle: async ({ sandbox }) =>
			ok({ faults: sandbox.faults.list(), latencyMs: sandbox.faults.baseLatencyMs }),
	},
	{
		name: 'admin',
		method: 'POST',
		path: /^\/_sandbox\/faults$/,
		auth: false,
		async handle({ sandbox, req }) {
			const body = await readJson(req);
			try {
				if (body.seed !== undefined) sandbox.faults.reseed(Number(body.seed));
				if (body.latencyMs !== undefined) sandbox.faults.baseLatencyMs = Number(body.latencyMs);
				const rules = (body.rules ?? (body.route ? [body] : [])) as FaultRule[];
				return ok(
					{
						ids: rules.map((r) =>
							sandbox.faults.add({
								route: r.route,
								method: r.method,
								action: r.action,
								when: r.when,
								times: r.times,
								skip: r.skip,
								rate: r.rate,
							}),
						),
					},
					201,
				);
			} catch (error) {
				throw new ApiError(400, (error as Error).message);
			}
		},
	},
	{
		name: 'admin',
		method: 'DELETE',
		path: /^\/_sandbox\/faults$/,
		auth: false,
		async handle({ sandbox }) {
			sandbox.faults.clear();
			sandbox.faults.baseLatencyMs = 0;
			return ok({ cleared: true });
		},
	},
	{
		name: 'admin',
		method: 'GET',
		path: /^\/_sandbox\/stats$/,
		auth: false,
		handle: async ({ sandbox }) => ok(sandbox.stats.summary()),
	},
	{
		name: 'admin',
		method: 'DELETE',
		path: /^\/_sandbox\/stats$/,
		auth: false,
		async handle({ sandbox }) {
			sandbox.stats.reset();
			return ok({ reset: true });
		},
	},
	{
		name: 'admin',
		method: 'GET',
		path: /^\/_sandbox\/config$/,
		auth: false,
		handle: async ({ sandbox }) => ok(sandbox.config),
	},
	{
		name: 'admin',
		method: 'PUT',
		path: /^\/_sandbox\/config$/,
		auth: false,
		async handle({ sandbox, req }) {
			try {
				sandbox.config = mergeConfig(sandbox.config, await readJson(req));
			} catch (error) {
				if (error instanceof ApiError) throw error;
				throw new ApiError(400, (error as Error).message);
			}
			return ok(sandbox.config);
		},
	},
	{
		name: 'admin',
		method: 'PUT',
		path: /^\/_sandbox\/partners\/([^/]+)\/behaviour$/,
		auth: false,
		async handle({ sandbox, req, params }) {
			const { behaviour } = await readJson(req);
			const partner = sandbox.store.state.partners.find((p) => p.as2Identifier === params[0]);
			if (!partner)
				throw new ApiError(404, `Unable to find partner with AS2 identifier: ${params[0]}`);
			if (!BEHAVIOURS.includes(behaviour as PartnerBehaviour))
				throw new ApiError(400, `behaviour must be one of ${BEHAVIOURS.join(', ')}`);
			partner.behaviour = behaviour as PartnerBehaviour;
			sandbox.store.changed();
			return ok({ partner: partner.as2Identifier, behaviour });
		},
	},
	{
		name: 'admin',
		method: 'GET',
		path: /^\/_sandbox\/as2$/,
		auth: false,
		handle: async ({ sandbox }) => ok({ url: sandbox.as2Url, received: sandbox.as2Receiver.log }),
	},
	{
		name: 'admin',
		method: 'POST',
		path: /^\/_sandbox\/as2\/idle$/,
		auth: false,
		async handle({ sandbox }) {
			await sandbox.as2Receiver.idle();
			return ok({ idle: true });
		},
	},
	{
		name: 'admin',
		method: 'POST',
		path: /^\/_sandbox\/lifecycle\/settle$/,
		auth: false,
		async handle({ sandbox }) {
			await sandbox.lifecycle.settleAll();
			return ok({ settled: true });
		},
	},
	// Webhooks: what the console's Integrations → Webhooks page does, plus faults and a wait.
	{
		name: 'admin',
		method: 'GET',
		path: /^\/_sandbox\/webhooks$/,
		auth: false,
		handle: async ({ sandbox }) =>
			ok({ ...sandbox.webhooks.summary(), deliveries: sandbox.webhooks.records.slice(-1000) }),
	},
	{
		name: 'admin',
		method: 'PUT',
		path: /^\/_sandbox\/webhooks$/,
		auth: false,
		async handle({ sandbox, req }) {
			const body = await readJson(req);
			let endpoint;
			try {
				endpoint = validateEndpoint(body);
			} catch (error) {
				throw new ApiError(400, (error as Error).message);
			}
			if (
				endpoint.station !== '*' &&
				!sandbox.store.state.stations.some((s) => s.as2Identifier === endpoint.station)
			)
				throw new ApiError(404, `Unable to find station with AS2 identifier: ${endpoint.station}`);
			// The console tests the URL before it saves it; `test: false` skips that.
			if (body.test !== false) {
				const answer = await sandbox.webhooks.test(endpoint.url);
				if (answer !== '2xx')
					throw new ApiError(
						422,
						`The webhook URL did not answer 2xx to the test call (${answer})`,
					);
			}
			sandbox.webhooks.register(endpoint);
			return ok(endpoint);
		},
	},
	{
		name: 'admin',
		method: 'DELETE',
		path: /^\/_sandbox\/webhooks$/,
		auth: false,
		async handle({ sandbox, query }) {
			sandbox.webhooks.unregister(query.get('station') ?? undefined);
			return ok({ endpoints: sandbox.webhooks.list() });
		},
	},
	{
		name: 'admin',
		method: 'PUT',
		path: /^\/_sandbox\/webhooks\/faults$/,
		auth: false,
		async handle({ sandbox, req }) {
			const body = await readJson(req);
			try {
				sandbox.webhooks.faults = validateFaults(body);
				if (body.seed !== undefined) sandbox.webhooks.reseed(Number(body.seed));
			} catch (error) {
				throw new ApiError(400, (error as Error).message);
			}
			return ok({ faults: sandbox.webhooks.faults });
		},
	},
	{
		name: 'admin',
		method: 'POST',
		path: /^\/_sandbox\/webhooks\/idle$/,
		auth: false,
		async handle({ sandbox }) {
			await sandbox.webhooks.idle();
			return ok(sandbox.webhooks.summary());
		},
	},
	{
		name: 'admin',
		method: 'POST',
		path: /^\/_sandbox\/tokens\/expire$/,
		auth: false,
		async handle({ sandbox }) {
			return ok({ revoked: sandbox.expireAllTokens() });
		},
	},
];
