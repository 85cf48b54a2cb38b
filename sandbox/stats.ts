/** What the sandbox saw: for tests ("one request per quiet poll", "one login") and benchmarks. */
export interface RequestRecord {
	at: number;
	method: string;
	route: string;
	path: string;
	status: number;
	/** Whether the request carried an Authorization header (must be false for pre-signed downloads). */
	authorization: boolean;
	fault?: string;
}

const MAX_RECORDS = 50_000;

export class Stats {
	requests: RequestRecord[] = [];
	logins = { password: 0, apiToken: 0 };
	refreshes = 0;
	rejectedLogins = 0;

	record(entry: RequestRecord): void {
		this.requests.push(entry);
		if (this.requests.length > MAX_RECORDS)
			this.requests.splice(0, this.requests.length - MAX_RECORDS);
	}

	/** Requests per route name, e.g. `{ list: 3, get: 250 }`. */
	byRoute(): Record<string, number> {
		const counts: Record<string, number> = {};
		for (const r of this.requests) counts[r.route] = (counts[r.route] ?? 0) + 1;
		return counts;
	}

	reset(): void {
		this.requests = [];
		this.logins = { password: 0, apiToken: 0 };
		this.refreshes = 0;
		this.rejectedLogins = 0;
	}

	summary() {
		return {
			total: this.requests.length,
			byRoute: this.byRoute(),
			logins: this.logins,
			refreshes: this.refreshes,
			rejectedLogins: this.rejectedLogins,
			fileRequestsWithAuthorization: this.requests.filter(
				(r) => r.route === 'file' && r.authorization,
			).length,
			recent: this.requests.slice(-50),
		};
	}
}
