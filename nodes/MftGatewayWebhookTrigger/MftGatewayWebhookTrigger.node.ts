import type {
	IDataObject,
	IHookFunctions,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { locatorField, locatorValue } from '../MftGateway/actions/locators';
import { simplifyField } from '../MftGateway/helpers/simplify';
import { listSearch } from '../MftGateway/methods/listSearch';
import { handleNotification, type WebhookSettings } from './webhook/handle';
import type { WebhookEvent } from './webhook/payload';

const SETUP =
	'Copy the <b>Production URL</b> above and publish (activate) the workflow. In MFT Gateway open <b>Integrations → Webhooks</b>, the <b>AS2</b> tab, pick the station (or All Stations), paste the URL and save. The console calls the URL once to test it: this node answers 200 and ignores anything that is not a message event. MFT Gateway does not resend a lost notification: to get those too, add an <b>MFT Gateway Trigger</b> per event to this workflow with <b>Reconcile Webhook Events</b> on.';

export class MftGatewayWebhookTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'MFT Gateway Webhook Trigger',
		name: 'mftGatewayWebhookTrigger',
		icon: {
			light: 'file:../../icons/mftGateway.svg',
			dark: 'file:../../icons/mftGateway.dark.svg',
		},
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ ($parameter["events"] || []).map(e => ({ messageReceived: "Message received", messageSent: "Message sent", messageFailed: "Message failed" })[e]).join(", ") }}',
		description:
			'Starts the workflow the moment MFT Gateway notifies that a message was received, sent or failed',
		defaults: { name: 'MFT Gateway Webhook Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'mftGatewayApi', required: true }],
		webhooks: [
			{
				name: 'default',
				httpMethod: 'POST',
				// The node answers itself (an empty 200, before any lookup), see webhook().
				responseMode: 'onReceived',
				path: 'events',
			},
		],
		triggerPanel: {
			header: 'Paste the Production URL into the MFT Gateway console',
			executionsHelp: {
				inactive:
					'While building, click "Listen for test event" and paste the <b>Test URL</b> into Integrations → Webhooks in MFT Gateway, then send or receive a message. Publish the workflow and use the <b>Production URL</b> there for real use.',
				active:
					'The workflow is published: MFT Gateway must call the <b>Production URL</b> (Integrations → Webhooks → AS2). Every notification starts one execution.',
			},
			activationHint:
				'Once you have finished building your workflow, publish it and paste the Production URL into MFT Gateway (Integrations → Webhooks).',
		},
		properties: [
			{
				displayName: SETUP,
				name: 'setupNotice',
				type: 'notice',
				default: '',
			},
			{
				displayName: 'Events',
				name: 'events',
				type: 'multiOptions',
				required: true,
				options: [
					{
						name: 'Message Failed',
						value: 'messageFailed',
						description: 'A message you sent could not be delivered (MESSAGE.SEND.FAILED)',
					},
					{
						name: 'Message Received',
						value: 'messageReceived',
						description: "A partner's message arrived (MESSAGE.RECEIVED.SUCCESS)",
					},
					{
						name: 'Message Sent',
						value: 'messageSent',
						description: 'A message you sent was delivered (MESSAGE.SEND.SUCCESS)',
					},
				],
				default: ['messageReceived'],
				description: 'Which notifications start the workflow; others are answered 200 and ignored',
			},
			{
				displayName: 'Include Message Details',
				name: 'includeMessage',
				type: 'boolean',
				default: false,
				description:
					'Whether to look the message up through the API (one request) and output it as the MFT Gateway Trigger does, instead of only what the notification says',
			},
			simplifyField({ includeMessage: [true] }, [1]),
			{
				displayName: 'Download Attachments',
				name: 'downloadAttachments',
				type: 'boolean',
				default: false,
				description:
					"Whether to download the message's files through the API into binary fields (names and MIME types set). A received message's files are waited for a few seconds when they are not in storage yet; if they still are not, the event is left to an MFT Gateway Trigger with Reconcile Webhook Events. A file that is gone is named in downloadError.",
			},
			{
				displayName: 'Options',
				name: 'options',
				type: 'collection',
				placeholder: 'Add Option',
				default: {},
				options: [
					{
						displayName: 'Put Output Files in Fields Starting With',
						name: 'binaryPrefix',
						type: 'string',
						default: 'attachment_',
						description: 'Files go in attachment_0, attachment_1, …',
					},
					locatorField('partner', {
						displayName: 'Partner',
						name: 'partner',
						description:
							'Only events with this trading partner (looked up through the API when the notification does not name it); others are answered 200 and ignored',
					}),
					locatorField('station', {
						displayName: 'Station',
						name: 'station',
						description:
							'Only events of this station of yours, for a URL registered for All Stations; others are answered 200 and ignored',
					}),
					{
						displayName: 'URL Token',
						name: 'urlToken',
						type: 'string',
						typeOptions: { password: true },
						default: '',
						description:
							'An extra secret: when set, paste the URL into MFT Gateway with ?token= and this value at the end; requests without it are ignored. The URL itself is already unguessable.',
					},
				],
			},
		],
	};

	methods = { listSearch };

	// The URL is registered by hand in the MFT Gateway console (there is no API for it).
	webhookMethods = {
		default: {
			async checkExists(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async create(this: IHookFunctions): Promise<boolean> {
				return true;
			},
			async delete(this: IHookFunctions): Promise<boolean> {
				return true;
			},
		},
	};

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		// MFT Gateway wants a quick 2xx with an empty body; anything else may count as a failed delivery.
		this.getResponseObject().status(200).end();
		try {
			const options = this.getNodeParameter('options', {}) as IDataObject;
			const settings: WebhookSettings = {
				events: this.getNodeParameter('events', []) as WebhookEvent[],
				station: locatorValue(options.station),
				partner: locatorValue(options.partner),
				urlToken: String(options.urlToken ?? ''),
				includeMessage: this.getNodeParameter('includeMessage', false) as boolean,
				downloadAttachments: this.getNodeParameter('downloadAttachments', false) as boolean,
				binaryPrefix: String(options.binaryPrefix ?? 'attachment_'),
				simplify: this.getNodeParameter('simplify', true) as boolean,
			};
			const outcome = await handleNotification.call(this, settings);
			if ('item' in outcome) return { noWebhookResponse: true, workflowData: [[outcome.item]] };
			this.logger[outcome.level](
				`MFT Gateway Webhook Trigger ignored a request: ${outcome.ignored}`,
			);
		} catch (error) {
			// Never a 500: the gateway might retry or disable the endpoint. The poller reconciles the event.
			this.logger.warn(
				`MFT Gateway Webhook Trigger could not handle a request: ${(error as Error).message}`,
			);
		}
		return { noWebhookResponse: true };
	}
}
