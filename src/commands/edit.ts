/** `kfake edit`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const editCommand: CommandDef = {
  name: 'edit',
  short: 'Edit a resource on the server',
  group: 'Basic Commands (Intermediate):',
  run: () => {
    throw new CliError('edit is not available yet');
  },
};
