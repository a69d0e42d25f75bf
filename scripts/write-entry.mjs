// tsc mirrors the source tree (dist/src/cli/main.js); the package's documented entry point is
// dist/cli.js, so write a two-line shim there and make it executable.
import { writeFileSync, chmodSync } from 'node:fs';
const entry = new URL('../dist/cli.js', import.meta.url);
writeFileSync(entry, "#!/usr/bin/env node\nimport './src/cli/main.js';\n");
chmodSync(entry, 0o755);
