import type { StoredMessage } from '../../../sandbox/model';
import { notificationBody, type NotifiedEvent } from '../../../sandbox/webhooks';
import { SEED, startTestEnv, type TestEnv } from '../../harness/sandbox';

/** One notification MFT Gateway owes a workflow: its body, and how many more times it will be posted. */
export interface Notification {
	key: string;
	workflow: number;
	body: Record<string, unknown>;
	copies: number;
	/** When it was due (n8n's clock); one not posted within NOTIFICATION_TTL_MS is given up. */
	dueAt: number;
}

/** MFT Gateway gives up on a notification it could not post for this long (best effort, never replayed). */
export const NOTIFICATION_TTL_MS = 10 * 60_000;

/** What the model decides for each notification: lost, posted once, or posted twice. */
export type Fate = 'lost' | 'once' | 'twice';

/**
 * The gateway of a simulation: the real sandbox in-process (its API, lists, read flags, files, faults),
 * with its webhook sender replaced by a queue the model drains in any order (so notifications are lost,
 * doubled, late and reordered by the command sequence, not by timers). Gateway time is n8n's virtual
 * time plus `skewMs`.
 */
export class Gateway {
	readonly pending: Notification[] = [];
	/** Fates for the next events, per workflow, consumed in order (default: once). */
	private fates: Fate[][] = [];
	/** Keys (`received:<id>`) of every event that happened. */
	readonly events = new Set<string>();
	readonly deleted = new Set<string>();

	private constructor(
		readonly env: TestEnv,
		readonly workflows: number,
		readonly skewMs: number,
	) {
		const sandbox = env.running.sandbox;
		sandbox.webhooks.notify = (event: NotifiedEvent, message: StoredMessage) =>
			this.notified(event, message);
	}

	static async start(workflows: number, skewMs: number): Promise<Gateway> {
		return new Gateway(await startTestEnv(), workflows, skewMs);
	}

	get sandbox() {
		return this.env.running.sandbox;
	}

	gatewayNow(): number {
		return Date.now() + this.skewMs;
	}

	/** Partner messages arrive; `lateMs`: they become visible that long after their timestamp. */
	async arrive(count: number, lateMs: number, fates: Fate[][]): Promise<string[]> {
		this.fates = fates.map((f) => [...f]); // the command's own arrays stay as generated (replays)
		return await this.sandbox.deliverInbound({
			station: SEED.station,
			partner: 'PARTNER_OK',
			subject: 'simulated',
			count,
			timestamp: this.gatewayNow() - lateMs,
			timestampStepMs: 1,
			files: [{ name: 'in.edi', contentType: 'application/edi-x12', content: Buffer.from('ISA~') }],
		});
	}

	/** Takes the notification at `index` (mod the queue) to post now; undefined when none is owed. */
	take(index: number): Notification | undefined {
		const expired = Date.now() - NOTIFICATION_TTL_MS;
		for (let i = this.pending.length - 1; i >= 0; i--)
			if (this.pending[i].dueAt < expired) this.pending.splice(i, 1);
		if (!this.pending.length) return undefined;
		const at = index % this.pending.length;
		const n = this.pending[at];
		if (--n.copies === 0) this.pending.splice(at, 1);
		return n;
	}

	delete(index: number): string | undefined {
		const inbox = this.sandbox.store.state.messages.filter((m) => m.box === 'inbox');
		if (!inbox.length) return undefined;
		const message = inbox[index % inbox.length];
		this.sandbox.store.deleteMessage(message);
		this.deleted.add(`received:${message.identifier}`);
		return message.identifier;
	}

	/** Received messages whose read flag is set. */
	readIds(): string[] {
		return this.sandbox.store.state.messages
			.filter((m) => m.box === 'inbox' && m.isRead)
			.map((m) => `received:${m.identifier}`);
	}

	async close(): Promise<void> {
		await this.env.close();
	}

	private notified(event: NotifiedEvent, message: StoredMessage): void {
		const key = `${event}:${message.identifier}`;
		this.events.add(key);
		const body = notificationBody(event, message, undefined, undefined, 'both', {
			name: 'sandbox',
			email: 'as2@sandbox.mftgateway.test',
		});
		for (let workflow = 0; workflow < this.workflows; workflow++) {
			const fate = this.fates[workflow]?.shift() ?? 'once';
			if (fate !== 'lost')
				this.pending.push({
					key,
					workflow,
					body,
					copies: fate === 'twice' ? 2 : 1,
					dueAt: Date.now(),
				});
		}
	}
}
