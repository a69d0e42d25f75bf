import { runCli } from './cli.js';
import { processIo } from '../core/io.js';

process.exitCode = await runCli(process.argv.slice(2), processIo);
