/** The command tree, in the order kubectl lists its commands; kfake's own commands come last. */
import type { CommandDef } from '../cli/command.ts';
import { annotateCommand } from './annotate.ts';
import { applyCommand } from './apply.ts';
import { clusterCommand } from './cluster.ts';
import { createCommand } from './create.ts';
import { deleteCommand } from './delete.ts';
import { describeCommand } from './describe.ts';
import { diagnoseCommands } from './diagnose.ts';
import { editCommand } from './edit.ts';
import { execCommand } from './exec.ts';
import { exposeCommand } from './expose.ts';
import { getCommand } from './get.ts';
import { apiResourcesCommand, clusterInfoCommand, optionsCommand, versionCommand } from './info.ts';
import { labelCommand } from './label.ts';
import { logsCommand } from './logs.ts';
import { networkCommands } from './network.ts';
import { patchCommand } from './patch.ts';
import { replaceCommand } from './replace.ts';
import { rolloutCommand } from './rollout.ts';
import { runCmd } from './run.ts';
import { scaleCommand } from './scale.ts';
import { setCommand } from './set.ts';

export function rootCommand(): CommandDef {
  return {
    name: 'kfake',
    short: 'kfake controls a simulated Kubernetes cluster',
    long: `kfake controls a simulated Kubernetes cluster with kubectl's commands.

 The cluster lives in a local file (see --store); there is no server, container or VM.`,
    subcommands: [
      createCommand,
      exposeCommand,
      runCmd,
      setCommand,
      getCommand,
      editCommand,
      deleteCommand,
      rolloutCommand,
      scaleCommand,
      clusterInfoCommand,
      describeCommand,
      logsCommand,
      execCommand,
      applyCommand,
      patchCommand,
      replaceCommand,
      labelCommand,
      annotateCommand,
      apiResourcesCommand,
      optionsCommand,
      versionCommand,
      clusterCommand,
      ...networkCommands,
      ...diagnoseCommands,
    ],
  };
}
