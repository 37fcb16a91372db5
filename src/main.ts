/**
 * Entry point of the bundled CLI. Sets process.exitCode rather than calling process.exit, so
 * piped output is never cut short.
 */
import path from 'node:path';
import { runCommand } from './cli/program.ts';
import { realIO } from './cli/io.ts';
import { rootCommand } from './commands/root.ts';

// Invoked through a symlink named kubectl, messages name kubectl, as they would for the real one.
const program = path.basename(process.argv[1] ?? '') === 'kubectl' ? 'kubectl' : 'kfake';
process.exitCode = await runCommand(rootCommand(), process.argv.slice(2), realIO(), { program });
