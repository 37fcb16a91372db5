/**
 * Entry point of the bundled CLI (dist/kfake.cjs, started by bin/kfake). Sets process.exitCode
 * rather than calling process.exit, so piped output is never cut short.
 */
import path from 'node:path';
import { runCommand } from './cli/program.ts';
import { realIO } from './cli/io.ts';
import { rootCommand } from './commands/root.ts';

// Invoked through a symlink named kubectl, messages name kubectl, as they would for the real one.
const program = path.basename(process.argv[1] ?? '') === 'kubectl' ? 'kubectl' : 'kfake';

rootCommand()
  .then((root) => runCommand(root, process.argv.slice(2), realIO(), { program }))
  .then((code) => {
    process.exitCode = code;
  });
