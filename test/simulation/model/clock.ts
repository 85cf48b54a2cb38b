/**
 * n8n's clock for a simulation: real time plus an offset the model moves forward ("31 minutes later").
 * Date.now is replaced for the whole process, so the nodes, n8n-core and the in-process sandbox all see
 * it; timers stay real, so nothing waits for virtual time.
 */
export class VirtualClock {
	private offset = 0;
	private readonly realNow = Date.now;

	install(): void {
		const realNow = this.realNow;
		Date.now = () => realNow() + this.offset;
	}

	uninstall(): void {
		Date.now = this.realNow;
	}

	advance(ms: number): void {
		this.offset += ms;
	}

	now(): number {
		return Date.now();
	}
}
