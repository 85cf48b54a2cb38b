import type {
	IPollFunctions,
	INodeExecutionData,
	INodeProperties,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { locatorIf, locatorValue, versioned } from '../MftGateway/actions/locators';
import { simplifyField } from '../MftGateway/helpers/simplify';
import { listSearch } from '../MftGateway/methods/listSearch';
import { rejectControlCharacters } from '../MftGateway/transport/ids';
import { pollMessages, type TriggerEvent, type TriggerSettings } from './poll/poller';

/** The Options collection; from version 2 on, Station and Partner are picked from the account's lists. */
function optionsField(locators: boolean): INodeProperties {
	const pick = (kind: 'station' | 'partner', field: INodeProperties) =>
		locatorIf(locators, kind, field);
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: false,
				description:
					"Whether to download each message's files into binary properties (names and MIME types set). A file MFT Gateway no longer has is named in downloadError; the message is emitted all the same.",
			},
			{
				displayName: 'Emit Existing Messages on First Activation',
				name: 'emitExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether the first activation also emits the messages already there (oldest first, up to Max Messages per Poll each time). Off: only messages that arrive after activation.',
			},
			{
				displayName: 'IDs Only',
				name: 'idsOnly',
				type: 'boolean',
				default: false,
				description:
					'Whether to emit only the message ID and timestamp instead of the full message object',
			},
			{
				displayName: 'Look-Back Window (Minutes)',
				name: 'lookBackMinutes',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 1440 },
				default: 5,
				description:
					'MFT Gateway stamps a message when it arrives, but it can become visible in the lists a little later (decryption, storage). Each poll looks this far below the newest message already emitted, remembering what it emitted there, so such a late message is still emitted once. Messages that become visible later than this behind newer ones are missed. Not used when tracking by the API read flag, where every unread message is emitted.',
			},
			{
				displayName: 'Max Messages per Poll',
				name: 'maxPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: 1000 },
				default: 100,
				description: 'The rest come on the next poll, oldest first; none is skipped',
			},
			{
				displayName: 'Put Output Files in Fields Starting With',
				name: 'binaryPrefix',
				type: 'string',
				default: 'attachment_',
				description: 'Files go in attachment_0, attachment_1, …',
				displayOptions: { show: { downloadAttachments: [true] } },
			},
			pick('partner', {
				displayName: 'Partner',
				name: 'partner',
				type: 'string',
				default: '',
				description: 'Only messages with this trading partner',
			}),
			{
				displayName: 'Reconcile After (Seconds)',
				name: 'reconcileAfterSeconds',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: 3600 },
				default: 60,
				description:
					'How old an event must be before this trigger emits it in place of a lost notification. Notifications later than this may be emitted twice across processes; inside one n8n process never.',
				displayOptions: { show: { reconcileWebhook: [true] } },
			},
			{
				displayName: 'Reconcile Webhook Events',
				name: 'reconcileWebhook',
				type: 'boolean',
				default: false,
				description:
					'Whether this trigger only catches up on events an MFT Gateway Webhook Trigger in this workflow did not get (MFT Gateway does not resend lost notifications). Each event then starts the workflow once, from one of the two.',
			},
			pick('station', {
				displayName: 'Station',
				name: 'station',
				type: 'string',
				default: '',
				description: 'Only messages of this station of yours',
			}),
		],
	};
}

export class MftGatewayTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MFT Gateway Trigger',
		name: 'mftGatewayTrigger',
		icon: {
			light: 'file:../../icons/mftGateway.svg',
			dark: 'file:../../icons/mftGateway.dark.svg',
		},
		group: ['trigger'],
		// Version 2: Station and Partner are picked from the account's lists.
		version: [1, 2],
		defaultVersion: 2,
		subtitle:
			'={{ { messageReceived: "Message received", messageSent: "Message sent", messageFailed: "Message failed", messageIncomplete: "Message incomplete" }[$parameter["event"]] }}',
		description:
			"Starts the workflow when a partner's AS2 message arrives, or when a message you sent is delivered, fails or gets no MDN",
		defaults: { name: 'MFT Gateway Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mftGatewayApi', required: true }],
		properties: [
			{
				displayName: 'Trigger On',
				description: 'Which event starts the workflow',
				name: 'event',
				type: 'options',
				noDataExpression: true,
				options: [
					{
						name: 'Message Failed',
						value: 'messageFailed',
						description: 'A message you sent could not be delivered (it reached the Failed folder)',
					},
					{
						name: 'Message Incomplete',
						value: 'messageIncomplete',
						description: 'A message you sent got no MDN in time',
					},
					{
						name: 'Message Received',
						value: 'messageReceived',
						description: "A partner's message arrived in the inbox",
					},
					{
						name: 'Message Sent',
						value: 'messageSent',
						description: 'A message you sent was delivered (it reached the Sent folder)',
					},
				],
				default: 'messageReceived',
			},
			{
				displayName: 'Track New Messages By',
				name: 'trackBy',
				type: 'options',
				options: [
					{
						name: 'API Read Flag',
						value: 'readFlag',
						description:
							"Lists unread messages and marks each emitted one read (MFT Gateway's one-time processing pattern). Messages another API client reads first are not emitted here.",
					},
					{
						// Not "Tracked in n8n": the verification scan's title-case rule (no inline disables there) wants "N8n".
						name: 'Tracked by This Trigger',
						value: 'n8n',
						description:
							'Leaves the read flag alone, for accounts where other systems also read the inbox through the API',
					},
				],
				default: 'readFlag',
				description:
					"How to know which received messages are new. Either way each message is emitted once; the read flag also keeps them from being processed twice if this workflow is recreated, but changes the account's API state.",
				displayOptions: { show: { event: ['messageReceived'] } },
			},
			{
				displayName:
					'Each emitted message is marked read in the MFT Gateway API (not in the web app): other API clients that list unread messages will no longer see it',
				name: 'readFlagNotice',
				type: 'notice',
				default: '',
				displayOptions: { show: { event: ['messageReceived'], trackBy: ['readFlag'] } },
			},
			simplifyField({}),
			...versioned(optionsField(false), optionsField(true)),
		],
	};

	methods = { listSearch };

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		const options = this.getNodeParameter('options', {}) as Record<string, unknown>;
		const event = this.getNodeParameter('event') as TriggerEvent;
		const maxPerPoll = Number(options.maxPerPoll ?? 100);
		if (!Number.isInteger(maxPerPoll) || maxPerPoll < 1 || maxPerPoll > 1000) {
			throw new NodeOperationError(
				this.getNode(),
				`Max Messages per Poll must be a whole number from 1 to 1000 (got ${JSON.stringify(options.maxPerPoll)})`,
			);
		}
		const lookBackMinutes = Number(options.lookBackMinutes ?? 5);
		if (!Number.isFinite(lookBackMinutes) || lookBackMinutes < 0 || lookBackMinutes > 1440) {
			throw new NodeOperationError(
				this.getNode(),
				`Look-Back Window (Minutes) must be a number from 0 to 1440 (got ${JSON.stringify(options.lookBackMinutes)})`,
			);
		}
		const reconcileAfter = Number(options.reconcileAfterSeconds ?? 60);
		if (!Number.isFinite(reconcileAfter) || reconcileAfter < 0 || reconcileAfter > 3600) {
			throw new NodeOperationError(
				this.getNode(),
				`Reconcile After (Seconds) must be a number from 0 to 3600 (got ${JSON.stringify(options.reconcileAfterSeconds)})`,
			);
		}
		const reconcileGraceMs =
			options.reconcileWebhook === true && event !== 'messageIncomplete'
				? Math.round(reconcileAfter * 1000)
				: undefined;
		const settings: TriggerSettings = {
			// Events that wait for their webhook must stay inside the window.
			lookBackMs: Math.max(Math.round(lookBackMinutes * 60_000), 2 * (reconcileGraceMs ?? 0)),
			reconcileGraceMs,
			event,
			trackBy:
				event === 'messageReceived'
					? (this.getNodeParameter('trackBy', 'readFlag') as 'readFlag' | 'n8n')
					: 'n8n',
			station: locatorValue(options.station),
			partner: locatorValue(options.partner),
			maxPerPoll,
			emitExisting: options.emitExisting === true,
			idsOnly: options.idsOnly === true,
			downloadAttachments: options.downloadAttachments === true,
			binaryPrefix: String(options.binaryPrefix ?? 'attachment_'),
			typeVersion: this.getNode().typeVersion,
			simplify: this.getNodeParameter('simplify', true) as boolean,
		};
		rejectControlCharacters(this.getNode(), settings.station, 'Station', 0);
		rejectControlCharacters(this.getNode(), settings.partner, 'Partner', 0);
		return await pollMessages.call(this, settings);
	}
}
