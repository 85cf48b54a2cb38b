/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox is dev-only tooling, not n8n node code */
import type { SandboxConfig } from './config';
import { buildMdn } from './mdn';
import type { StoredMessage, StoredPartner } from './model';
import type { Store } from './store';

/**
 * Moves outbound messages from queued to sent | failed | incomplete, the way the partner configured in the
 * sandbox answers: each attempt is one simulated AS2 POST to the partner.
 */
export class Lifecycle {
	private readonly timers = new Map<StoredMessage, NodeJS.Timeout>();
	private closed = false;

	constructor(
		private readonly store: Store,
		private readonly config: () => SandboxConfig,
		/** Told when a message reaches sent or failed (the webhook notifications). */
		private readonly onSettled: (
			event: 'sent' | 'failed',
			message: StoredMessage,
		) => void = () => {},
	) {}

	/** Schedules every queued message (after a restart with a data directory, too). */
	resume(): void {
		for (const message of this.store.messagesIn(['queued']))
			this.schedule(message, message.nextAttemptAt ?? Date.now());
	}

	enqueue(message: StoredMessage): void {
		this.schedule(message, Date.now() + this.config().deliveryDelayMs);
	}

	/** Runs every pending attempt now, repeatedly, until nothing is queued (for tests and the CLI). */
	async settleAll(): Promise<void> {
		for (let round = 0; round < 100 && this.timers.size > 0; round++) {
			for (const message of [...this.timers.keys()]) await this.attempt(message);
		}
	}

	close(): void {
		this.closed = true;
		for (const timer of this.timers.values()) clearTimeout(timer);
		this.timers.clear();
	}

	private schedule(message: StoredMessage, at: number): void {
		if (this.closed) return;
		message.nextAttemptAt = at;
		this.store.changed();
		const existing = this.timers.get(message);
		if (existing) clearTimeout(existing);
		const timer = setTimeout(() => void this.attempt(message), Math.max(0, at - Date.now()));
		timer.unref();
		this.timers.set(message, timer);
	}

	private async attempt(message: StoredMessage): Promise<void> {
		const timer = this.timers.get(message);
		if (timer) clearTimeout(timer);
		this.timers.delete(message);
		if (message.box !== 'queued' || !this.store.findMessage(message.identifier, ['queued'])) return;
		const partner = this.store.state.partners.find((p) => p.as2Identifier === message.partner);
		const now = Date.now();
		message.lastAttemptTime = now;
		message.nextAttemptAt = undefined;
		const behaviour = partner?.behaviour ?? 'accept';
		const attemptNo = message.failures + 1;
		if (behaviour === 'reject') return this.fail(message, 422, 'Received HTTP status code of 422');
		if (
			behaviour === 'down' ||
			(behaviour === 'flaky' && attemptNo <= this.config().flakyFailures)
		) {
			message.failures++;
			message.transportStatusReceived = 503;
			message.failureReason = 'Received HTTP status code of 503';
			if (message.failures >= this.config().maxAttempts)
				return this.fail(message, 503, message.failureReason);
			this.schedule(message, now + this.config().retryDelayMs);
			return;
		}
		message.transportStatusReceived = 200;
		if (behaviour === 'noMdn') {
			message.box = 'incomplete';
			message.msgStatus = 'Incomplete';
			message.mdnStatus = 'MDN Not Received';
			message.failureReason = 'The partner did not send an MDN within the configured timeout';
			this.store.changed();
			return;
		}
		await this.deliver(message, partner, now);
	}

	private async deliver(
		message: StoredMessage,
		partner: StoredPartner | undefined,
		now: number,
	): Promise<void> {
		const signed = partner?.settings.requestSignedMDN !== false;
		const disposition = 'automatic-action/MDN-sent-automatically; processed';
		const mdn = buildMdn({
			originalMessageId: message.identifier,
			reportingAs2Id: message.partner,
			recipientAs2Id: message.station,
			mic: message.mic,
			disposition,
			signed,
			receivedAt: now,
		});
		const rawKey = `AS2/raw-mdn/outgoing/${message.id}/mdn.raw`;
		await this.store.writeFile(rawKey, mdn.raw);
		const status = signed ? 'Received; MDN Signature Verified' : 'Received';
		message.box = 'sent';
		message.msgStatus = 'Sent';
		message.mdnStatus = status;
		message.failureReason = undefined;
		message.mdn = {
			mdnId: mdn.mdnId,
			disposition,
			humanMessage: mdn.humanMessage,
			mic: message.mic,
			signed,
			incoming: true,
			status,
			statusCode: 2,
			timestamp: now + 5,
			rawKey,
		};
		this.store.changed();
		this.onSettled('sent', message);
	}

	private fail(message: StoredMessage, httpStatus: number, reason: string): void {
		message.box = 'failed';
		message.msgStatus = 'Failed';
		message.mdnStatus = 'No MDN';
		message.transportStatusReceived = httpStatus;
		message.failureReason = reason;
		if (httpStatus < 500) message.failures++;
		this.store.changed();
		this.onSettled('failed', message);
	}
}
