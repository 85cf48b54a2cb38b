// Removes the build outputs so a build never ships files of deleted sources.
const { rmSync } = require('node:fs');

for (const dir of ['dist', 'build']) rmSync(dir, { recursive: true, force: true });
