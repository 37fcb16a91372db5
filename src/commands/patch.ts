/** `kfake patch`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const patchCommand: CommandDef = {
  name: 'patch',
  short: 'Update fields of a resource',
  group: 'Advanced Commands:',
  run: () => {
    throw new CliError('patch is not available yet');
  },
};
