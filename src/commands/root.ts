/** The command tree, in the order kubectl lists its commands. */
import type { CommandDef } from '../cli/command.ts';
import { applyCommand } from './apply.ts';
import { clusterCommand } from './cluster.ts';
import { createCommand } from './create.ts';
import { deleteCommand } from './delete.ts';
import { describeCommand } from './describe.ts';
import { getCommand } from './get.ts';
import { apiResourcesCommand, clusterInfoCommand, optionsCommand, versionCommand } from './info.ts';

export function rootCommand(): CommandDef {
  return {
    name: 'kfake',
    short: 'kfake controls a simulated Kubernetes cluster',
    long: `kfake controls a simulated Kubernetes cluster with kubectl's commands.

 The cluster lives in a local file (see --store); there is no server, container or VM.`,
    subcommands: [
      createCommand,
      getCommand,
      deleteCommand,
      clusterInfoCommand,
      describeCommand,
      applyCommand,
      apiResourcesCommand,
      optionsCommand,
      versionCommand,
      clusterCommand,
    ],
  };
}
