/** `kfake label`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const labelCommand: CommandDef = {
  name: 'label',
  short: 'Update the labels on a resource',
  group: 'Settings Commands:',
  run: () => {
    throw new CliError('label is not available yet');
  },
};
