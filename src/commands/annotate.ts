/** `kfake annotate`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const annotateCommand: CommandDef = {
  name: 'annotate',
  short: 'Update the annotations on a resource',
  group: 'Settings Commands:',
  run: () => {
    throw new CliError('annotate is not available yet');
  },
};
