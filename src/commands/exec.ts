/** `kfake exec`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const execCommand: CommandDef = {
  name: 'exec',
  short: 'Execute a command in a container',
  group: 'Troubleshooting and Debugging Commands:',
  run: () => {
    throw new CliError('exec is not available yet');
  },
};
