/** `kfake rollout`: placeholder until this command is implemented. */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';

export const rolloutCommand: CommandDef = {
  name: 'rollout',
  short: 'Manage the rollout of a resource',
  group: 'Deploy Commands:',
  run: () => {
    throw new CliError('rollout is not available yet');
  },
};
