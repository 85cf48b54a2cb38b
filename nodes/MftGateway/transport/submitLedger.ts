import { createHash } from 'crypto';
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

/**
 * What the Send operation submitted in one execution: n8n's Retry On Fail runs the node again with every
 * item, and a retry of a failed execution runs it again with the same items, so an item MFT Gateway
 * already took must be answered from here, never submitted again (the API takes no client message id to
 * deduplicate on).
 *
 * An execution is named by the id of the execution that first ran a Send in it, kept in the execution's
 * custom data: n8n carries an execution's data (custom data included) into its retry, so the retry finds
 * the records of the execution it repeats. The records live in the memory of this n8n process.
 */

/** The custom-data key holding the id of the execution that first ran a Send (n8n allows 50 characters). */
export const RUN_KEY = 'mftgatewaySendRun';
/** Records are kept this long: past any Retry On Fail, and the days a failed execution waits for a retry. */
const KEEP_MS = 7 * 24 * 3600_000;
/** Executions remembered at most (the oldest is dropped first). */
const MAX_RUNS = 5_000;

interface RunRecord {
	startedAt: number;
	/** By submit key: the outcome the item got (queued, sent, …, or unknown when the answer was lost). */
	outcomes: Map<string, { itemIndex: number; outcome: IDataObject }>;
}

const runs = new Map<string, RunRecord>();

interface CustomData {
	get(key: string): string | undefined;
	set(key: string, value: string): void;
}

/** The execution whose records this run uses: the first one that ran a Send in this chain of retries. */
function runName(ctx: IExecuteFunctions): string {
	const current = ctx.getExecutionId();
	const customData = (ctx.getWorkflowDataProxy(0).$execution as { customData?: CustomData })
		.customData;
	try {
		const first = customData?.get(RUN_KEY);
		if (first) return first;
		customData?.set(RUN_KEY, current);
	} catch {
		// Custom data full (n8n allows 10 keys): Retry On Fail still finds this execution's records.
	}
	return current;
}

function dropOld(now: number): void {
	for (const [name, run] of runs) {
		if (runs.size <= MAX_RUNS && now - run.startedAt < KEEP_MS) break;
		runs.delete(name);
	}
}

/** What identifies one submit: the item, where it goes, and its content (binary storage id or bytes hash). */
export function submitKey(itemIndex: number, parts: unknown[]): string {
	return createHash('sha256')
		.update(JSON.stringify([itemIndex, ...parts]))
		.digest('hex');
}

export interface SubmitLedger {
	/** The outcome an earlier try of this execution got for this submit, if it was accepted (or may have been). */
	earlier(key: string): IDataObject | undefined;
	record(key: string, itemIndex: number, outcome: IDataObject): void;
	/** Items accepted so far in this execution, with their message ids (for the error of a later item). */
	accepted(): Array<{ itemIndex: number; id: unknown; status: unknown }>;
}

/**
 * The submit records of this execution, node and run of the node. Retry On Fail and a retried execution
 * repeat the run with its run index; a loop back to the node is a new run, whose items are new sends.
 */
export function submitLedger(ctx: IExecuteFunctions): SubmitLedger {
	const runIndex = ctx.getWorkflowDataProxy(0).$runIndex ?? 0;
	const name = JSON.stringify([
		ctx.getWorkflow().id ?? '',
		ctx.getNode().name,
		runName(ctx),
		runIndex,
	]);
	const now = Date.now();
	dropOld(now);
	const run = (): RunRecord => {
		let record = runs.get(name);
		if (!record) {
			record = { startedAt: now, outcomes: new Map() };
			runs.set(name, record);
		}
		return record;
	};
	return {
		earlier: (key) => runs.get(name)?.outcomes.get(key)?.outcome,
		record: (key, itemIndex, outcome) => run().outcomes.set(key, { itemIndex, outcome }),
		accepted: () =>
			[...(runs.get(name)?.outcomes.values() ?? [])]
				.map(({ itemIndex, outcome }) => ({
					itemIndex,
					id: outcome.messageIdentifier,
					status: outcome.deliveryStatus,
				}))
				.sort((a, b) => a.itemIndex - b.itemIndex),
	};
}
