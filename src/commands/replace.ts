/** `kfake replace`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const replaceCommand: CommandDef = {
  name: 'replace',
  short: 'Replace a resource by file name or stdin',
  group: 'Advanced Commands:',
  run: () => {
    throw new CliError('replace is not available yet');
  },
};
