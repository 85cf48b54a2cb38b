/** Faults on demand: per route, by script ("the next 2 calls fail with 503") or by seeded random rate. */

export type FaultAction =
	| {
			kind: 'status';
			status: number;
			retryAfter?: number;
			message?: string;
			body?: 'json' | 'html' | 'empty' | 'echo';
	  } // echo: the request's body and Authorization sent back, as some proxies do
	| { kind: 'arrive'; count: number } // before answering, `count` partner messages arrive in the inbox (lists shift between pages)
	| { kind: 'drop' } // destroy the connection without an answer
	| { kind: 'latency'; ms: number }
	| { kind: 'expireToken' }; // the caller's access token expires now (401 on this and later calls)

export interface FaultRule {
	/** Route name (see routes/*.ts, e.g. `submit`, `list`, `get`, `authorize`, `file`) or `*` for all. */
	route: string;
	method?: string;
	action: FaultAction;
	/** `before` the handler runs (nothing happens) or `after` it (the work is done, the answer is lost). */
	when?: 'before' | 'after';
	/** Scripted: fire on the next N matching calls, then disappear. */
	times?: number;
	/** Let this many matching calls through before the rule starts firing. */
	skip?: number;
	/** Random: fire on this share (0..1) of matching calls, drawn from the seeded generator. */
	rate?: number;
}

interface ActiveRule extends FaultRule {
	id: number;
	fired: number;
}

export interface FaultDecision {
	latencyMs: number;
	/** Inbound messages to deliver before the call is handled. */
	arrivals: number;
	action?: Exclude<FaultAction, { kind: 'latency' } | { kind: 'arrive' }>;
	when: 'before' | 'after';
}

/** mulberry32: small, fast, and the same sequence for the same seed. */
function seededRandom(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export class Faults {
	private rules: ActiveRule[] = [];
	private nextId = 1;
	private random: () => number;
	/** Latency added to every API call (not to file downloads unless a rule says so). */
	baseLatencyMs = 0;

	constructor(seed = 1) {
		this.random = seededRandom(seed);
	}

	add(rule: FaultRule): number {
		validateRule(rule);
		const id = this.nextId++;
		this.rules.push({ ...rule, id, fired: 0 });
		return id;
	}

	clear(): void {
		this.rules = [];
	}

	reseed(seed: number): void {
		this.random = seededRandom(seed);
	}

	list(): Array<FaultRule & { id: number; fired: number }> {
		return this.rules.map((r) => ({ ...r }));
	}

	/** Decides what happens to one call. Latency rules add up; the first firing terminal rule wins. */
	decide(route: string, method: string): FaultDecision {
		const decision: FaultDecision = {
			latencyMs: route === 'file' ? 0 : this.baseLatencyMs,
			arrivals: 0,
			when: 'before',
		};
		for (const rule of this.rules) {
			if (rule.route !== '*' && rule.route !== route) continue;
			if (rule.method && rule.method.toUpperCase() !== method) continue;
			if (route === 'file' && rule.action.kind === 'expireToken') continue; // the file host takes no token
			const additive = rule.action.kind === 'latency' || rule.action.kind === 'arrive';
			if (!additive && decision.action) continue;
			if (rule.skip) {
				rule.skip--;
				continue;
			}
			if (rule.rate !== undefined && this.random() >= rule.rate) continue;
			rule.fired++;
			if (rule.times !== undefined) rule.times--;
			if (rule.action.kind === 'latency') decision.latencyMs += rule.action.ms;
			else if (rule.action.kind === 'arrive') decision.arrivals += rule.action.count;
			else {
				decision.action = rule.action;
				decision.when = rule.when ?? 'before';
			}
		}
		this.rules = this.rules.filter((r) => r.times === undefined || r.times > 0);
		return decision;
	}
}

function validateRule(rule: FaultRule): void {
	const problems: string[] = [];
	if (typeof rule.route !== 'string' || rule.route === '')
		problems.push('route must be a route name or "*"');
	const kind = rule.action?.kind;
	if (!['status', 'drop', 'latency', 'expireToken', 'arrive'].includes(kind)) {
		problems.push('action.kind must be status, drop, latency, expireToken or arrive');
	}
	if (
		kind === 'arrive' &&
		!(
			Number.isInteger((rule.action as { count: number }).count) &&
			(rule.action as { count: number }).count > 0
		)
	)
		problems.push('action.count must be a positive integer');
	if (kind === 'status') {
		const status = (rule.action as { status: number }).status;
		if (!Number.isInteger(status) || status < 400 || status > 599)
			problems.push('action.status must be 400..599');
	}
	if (
		kind === 'status' &&
		!['json', 'html', 'empty', 'echo', undefined].includes((rule.action as { body?: string }).body)
	)
		problems.push('action.body must be json, html, empty or echo');
	if (kind === 'latency' && !((rule.action as { ms: number }).ms >= 0))
		problems.push('action.ms must be >= 0');
	if (rule.rate !== undefined && !(rule.rate >= 0 && rule.rate <= 1))
		problems.push('rate must be between 0 and 1');
	if (rule.times !== undefined && !(Number.isInteger(rule.times) && rule.times > 0))
		problems.push('times must be a positive integer');
	if (rule.skip !== undefined && !(Number.isInteger(rule.skip) && rule.skip >= 0))
		problems.push('skip must be a whole number');
	if (rule.when !== undefined && rule.when !== 'before' && rule.when !== 'after')
		problems.push('when must be before or after');
	if (problems.length) throw new Error(`Invalid fault rule: ${problems.join('; ')}`);
}
