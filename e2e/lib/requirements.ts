/* eslint-disable @n8n/community-nodes/no-restricted-globals -- dev tooling, not part of the published package */

/**
 * Whether a test that needs Debian packages runs. Outside CI a missing package skips it with one line
 * naming the package; in CI (`CI=true`) it always runs, so a missing package fails instead of hiding.
 */
export function debianPackagesPresent(what: string, packages: Record<string, boolean>): boolean {
	const missing = Object.keys(packages).filter((name) => !packages[name]);
	if (missing.length === 0 || process.env.CI === 'true') return true;
	process.stdout.write(
		`skipped: ${what}: needs Debian's ${missing.join(' and ')} (apt-get install ${missing.join(' ')})\n`,
	);
	return false;
}
