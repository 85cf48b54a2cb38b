/* eslint-disable @n8n/community-nodes/no-restricted-globals -- the sandbox is dev-only tooling, not n8n node code */
import { As2Sender, type ReceivedMdn, type SendOutcome } from './as2/sender';
import type { SandboxConfig } from './config';
import { buildMdn } from './mdn';
import type { StoredMessage, StoredPartner } from './model';
import type { Store } from './store';

/**
 * Moves outbound messages from queued to sent | failed | incomplete, the way the partner configured in the
 * sandbox answers: each attempt is one simulated AS2 POST to the partner, or a real one (behaviour `as2`).
 */
export class Lifecycle {
	private readonly timers = new Map<StoredMessage, NodeJS.Timeout>();
	private closed = false;
	readonly as2: As2Sender;

	constructor(
		private readonly store: Store,
		private readonly config: () => SandboxConfig,
		/** Told when a message reaches sent or failed (the webhook notifications). */
		private readonly onSettled: (
			event: 'sent' | 'failed',
			message: StoredMessage,
		) => void = () => {},
		/** The sandbox's AS2 endpoint, where partners POST asynchronous MDNs. */
		as2Url: () => string = () => '',
	) {
		this.as2 = new As2Sender(
			store,
			as2Url,
			(partner) => Number(partner.settings.transmissionTimeout ?? 120) * 1000,
		);
	}

	/** An asynchronous MDN arrived at the AS2 endpoint; false when no message waits for it. */
	acceptAsyncMdn(headers: Record<string, string | undefined>, body: Buffer): boolean {
		const answered = this.as2.acceptAsyncMdn(headers, body);
		if (!answered || answered.message.box !== 'queued') return false;
		void this.settleReal(answered.message, answered.outcome);
		return true;
	}

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
		for (let round = 0; round < 100; round++) {
			// A message waiting for its asynchronous MDN has no attempt to run: only its timeout.
			const due = [...this.timers.keys()].filter((m) => m.awaitingMdnUntil === undefined);
			if (!due.length) break;
			for (const message of due) await this.attempt(message);
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
		if (message.awaitingMdnUntil !== undefined) return this.mdnTimedOut(message);
		const behaviour = partner?.behaviour ?? 'accept';
		if (behaviour === 'as2' && partner)
			return this.settleReal(message, await this.as2.send(message, partner));
		const attemptNo = message.failures + 1;
		if (behaviour === 'reject') return this.fail(message, 422, 'Received HTTP status code of 422');
		if (behaviour === 'down' || (behaviour === 'flaky' && attemptNo <= this.config().flakyFailures))
			return this.retryOrFail(message, 503, 'Received HTTP status code of 503');
		message.transportStatusReceived = 200;
		if (behaviour === 'noMdn')
			return this.incomplete(
				message,
				'The partner did not send an MDN within the configured timeout',
			);
		await this.deliver(message, partner, now);
	}

	/** A failed attempt that may be retried: another attempt later, or failed when the attempts are used up. */
	private retryOrFail(message: StoredMessage, httpStatus: number, reason: string): void {
		message.failures++;
		message.transportStatusReceived = httpStatus;
		message.failureReason = reason;
		if (message.failures >= this.config().maxAttempts)
			return this.fail(message, httpStatus, reason, false);
		this.schedule(message, Date.now() + this.config().retryDelayMs);
	}

	private incomplete(message: StoredMessage, reason: string): void {
		message.box = 'incomplete';
		message.msgStatus = 'Incomplete';
		message.mdnStatus = 'MDN Not Received';
		message.failureReason = reason;
		message.awaitingMdnUntil = undefined;
		this.store.changed();
	}

	private mdnTimedOut(message: StoredMessage): void {
		this.as2.forget(message.identifier);
		this.incomplete(
			message,
			`MDN timeout: the partner sent no asynchronous MDN within ${this.config().asyncMdnTimeoutMs / 1000} s`,
		);
	}

	/** The outcome of a real AS2 send or of its asynchronous MDN, as the service's lifecycle shows it. */
	private async settleReal(message: StoredMessage, outcome: SendOutcome): Promise<void> {
		if (outcome.kind === 'awaitingMdn') {
			message.transportStatusReceived = 200;
			message.mdnStatus = 'Pending';
			message.awaitingMdnUntil = Date.now() + this.config().asyncMdnTimeoutMs;
			this.schedule(message, message.awaitingMdnUntil);
			return;
		}
		const timer = this.timers.get(message);
		if (timer) clearTimeout(timer);
		this.timers.delete(message);
		message.awaitingMdnUntil = undefined;
		message.nextAttemptAt = undefined;
		if (outcome.mdn) await this.keepPartnerMdn(message, outcome.mdn, outcome.kind === 'sent');
		if (outcome.kind === 'failed') {
			if (outcome.retry) return this.retryOrFail(message, outcome.httpStatus, outcome.reason);
			this.fail(message, outcome.httpStatus, outcome.reason, true);
			if (outcome.mdn) message.mdnStatus = outcome.mdn.signed ? 'Received Signed MDN' : 'Received';
			return;
		}
		message.transportStatusReceived = 200;
		message.box = 'sent';
		message.msgStatus = 'Sent';
		message.failureReason = undefined;
		message.mdnStatus = !outcome.mdn
			? 'MDN Not Requested'
			: outcome.mdn.signed
				? 'Received; MDN Signature Verified'
				: 'Received';
		this.store.changed();
		this.onSettled('sent', message);
	}

	/** The partner's MDN, exactly as received, becomes the message's MDN (MDN Get returns it). */
	private async keepPartnerMdn(
		message: StoredMessage,
		mdn: ReceivedMdn,
		positive: boolean,
	): Promise<void> {
		const rawKey = `AS2/raw-mdn/outgoing/${message.id}/mdn.raw`;
		await this.store.writeFile(rawKey, mdn.raw);
		message.mdn = {
			mdnId: mdn.mdnId,
			disposition: mdn.disposition,
			humanMessage: mdn.humanMessage,
			mic: mdn.mic,
			signed: mdn.signed,
			incoming: true,
			status: positive
				? mdn.signed
					? 'Received; MDN Signature Verified'
					: 'Received'
				: 'Received; Negative',
			statusCode: positive ? 2 : 4,
			timestamp: Date.now(),
			rawKey,
		};
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

	private fail(
		message: StoredMessage,
		httpStatus: number,
		reason: string,
		// A 4xx answer is an attempt the retry loop did not count.
		countAttempt = httpStatus >= 400 && httpStatus < 500,
	): void {
		message.box = 'failed';
		message.msgStatus = 'Failed';
		message.mdnStatus = 'No MDN';
		message.transportStatusReceived = httpStatus;
		message.failureReason = reason;
		if (countAttempt) message.failures++;
		this.store.changed();
		this.onSettled('failed', message);
	}
}
