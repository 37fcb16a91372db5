/** `kfake run`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const runCmd: CommandDef = {
  name: 'run',
  short: 'Run a particular image on the cluster',
  group: 'Basic Commands (Beginner):',
  run: () => {
    throw new CliError('run is not available yet');
  },
};
