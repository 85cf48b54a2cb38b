export { startSandbox, type RunningSandbox, type StartOptions } from './server';
export { Sandbox, type SandboxOptions } from './sandbox';
export type { SandboxConfig } from './config';
export type { FaultRule, FaultAction } from './faults';
export { SEED } from './seed';
export { AS2_LOOP } from './as2/loopSeed';
