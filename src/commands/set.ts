/** `kfake set`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const setCommand: CommandDef = {
  name: 'set',
  short: 'Set specific features on objects',
  group: 'Basic Commands (Beginner):',
  run: () => {
    throw new CliError('set is not available yet');
  },
};
