import type { Throttle } from '../transport/throttle';

/**
 * Runs tasks with at most `limit` in flight, results in the order the tasks were added. Tasks can be
 * added while others run (detail reads start as soon as each list page arrives). After the first
 * failure no queued task starts; `results()` waits for those in flight, then throws that first error.
 */
export class TaskPool<R> {
	private readonly queue: Array<() => void> = [];
	private readonly values: R[] = [];
	private readonly done = new Set<number>();
	private running = 0;
	private count = 0;
	private firstError: { error: unknown } | undefined;
	private idle: (() => void) | undefined;

	/** `throttle` lowers the limit while the account is rate-limited (see transport/throttle.ts). */
	constructor(
		private readonly limit: number,
		private readonly throttle?: Throttle,
	) {}

	private allowed(): number {
		return this.throttle ? this.throttle.limit(this.limit) : Math.max(1, this.limit);
	}

	get failed(): boolean {
		return this.firstError !== undefined;
	}

	add(task: () => Promise<R>): void {
		const index = this.count++;
		const run = () => {
			this.running++;
			task()
				.then((value) => {
					this.values[index] = value;
					this.done.add(index);
				})
				.catch((error: unknown) => {
					if (!this.firstError) {
						this.firstError = { error };
						this.queue.length = 0;
					}
				})
				.finally(() => {
					this.running--;
					this.next();
				});
		};
		if (this.firstError) return;
		if (this.running < this.allowed()) run();
		else this.queue.push(run);
	}

	/** Results of the tasks that succeeded so far, by the order they were added (holes for the rest). */
	succeeded(): Array<{ index: number; value: R }> {
		return [...this.done]
			.sort((a, b) => a - b)
			.map((index) => ({ index, value: this.values[index] }));
	}

	/** Waits until nothing runs; throws the first error, else returns every result in order. */
	async results(): Promise<R[]> {
		if (this.running > 0 || this.queue.length > 0)
			await new Promise<void>((resolve) => (this.idle = resolve));
		if (this.firstError) throw this.firstError.error;
		return this.values;
	}

	private next(): void {
		while (this.queue.length > 0 && this.running < this.allowed()) this.queue.shift()!();
		if (this.running === 0 && this.queue.length === 0) this.idle?.();
	}
}

/** Maps with at most `limit` calls in flight, keeping the input order; stops starting new calls at the first failure. */
export async function mapWithConcurrency<T, R>(
	items: T[],
	limit: number,
	fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
	const pool = new TaskPool<R>(limit);
	items.forEach((item, index) => pool.add(async () => await fn(item, index)));
	return await pool.results();
}
