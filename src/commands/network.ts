/**
 * kfake's own commands for running things from a node and from outside the cluster, and for
 * tracing a request through the simulated network (implemented in src/network/cli.ts, loaded
 * when one of them runs).
 */
import type { CommandDef } from '../cli/command.ts';

const KFAKE = 'kfake Commands:';

async function load(name: string): Promise<CommandDef> {
  const { networkCommandDefs } = await import('../network/cli.ts');
  return networkCommandDefs.find((c) => c.name === name)!;
}

export const networkCommands: CommandDef[] = [
  { name: 'node', short: 'Run commands on the nodes of the simulated cluster (kfake)', group: KFAKE, load: () => load('node') },
  { name: 'outside', short: 'Run a command on a machine outside the cluster (kfake)', group: KFAKE, load: () => load('outside') },
  { name: 'trace', short: 'Show the path of a request through the simulated network (kfake)', group: KFAKE, load: () => load('trace') },
];
