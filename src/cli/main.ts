import { provenance } from '../formats/provenance.js';

// `--version` alone answers before the commands (and the solvers and problems they import) load
const argv = process.argv.slice(2);
if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
  process.stdout.write(`${provenance().version}\n`);
} else {
  const [{ runCli }, { processIo, stopQuietlyOnClosedPipe }] = await Promise.all([import('./cli.js'), import('../core/io.js')]);
  for (const stream of [process.stdout, process.stderr]) stopQuietlyOnClosedPipe(stream, (code) => process.exit(code));
  process.exitCode = await runCli(argv, processIo);
}
