/* eslint-disable @n8n/community-nodes/no-restricted-globals -- test: dev-only */
import fc from 'fast-check';

/**
 * How many runs and which seed: `SIM_RUNS` (total across the models of a file, default from the caller)
 * and `SIM_SEED` (replays one seed; fast-check prints it, with the shrunk command list, on failure).
 */
export function runSettings(defaultRuns: number): fc.Parameters<unknown> {
	const runs = Number(process.env.SIM_RUNS ?? defaultRuns);
	const seed = process.env.SIM_SEED === undefined ? undefined : Number(process.env.SIM_SEED);
	return {
		numRuns: Number.isInteger(runs) && runs > 0 ? runs : defaultRuns,
		...(seed === undefined || !Number.isFinite(seed) ? {} : { seed }),
		...(process.env.SIM_PATH ? { path: process.env.SIM_PATH } : {}),
		endOnFailure: process.env.SIM_SHRINK === '0',
		verbose: 1,
	};
}
