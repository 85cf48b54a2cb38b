// The checks `npm test` runs before the tests, in two lanes at once (each tool uses one core): a line per
// check with its time; a failing check's output is shown in full. Lint runs before the build in the same
// lane because ESLint also reads build/, which the build empties and rewrites.
const { spawn } = require('node:child_process');

const lanes = [
	['lint', 'build'],
	['format:check', 'typecheck', 'lint:workflows'],
];

function run(script) {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn('npm', ['run', '--silent', script], { stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		child.stdout.on('data', (chunk) => (output += chunk));
		child.stderr.on('data', (chunk) => (output += chunk));
		child.on('close', (code) => {
			const seconds = Math.round((Date.now() - started) / 1000);
			if (code === 0) process.stdout.write(`check ${script}: ok, ${seconds} s\n`);
			else
				process.stdout.write(
					`${output}\ncheck ${script}: FAILED (exit code ${code}), ${seconds} s\n`,
				);
			resolve(code === 0);
		});
	});
}

async function lane(scripts) {
	let ok = true;
	for (const script of scripts) ok = (await run(script)) && ok;
	return ok;
}

const started = Date.now();
Promise.all(lanes.map(lane)).then((results) => {
	const ok = results.every(Boolean);
	process.stdout.write(
		`checks: ${ok ? 'all passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`,
	);
	process.exit(ok ? 0 : 1);
});
