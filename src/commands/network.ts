/** kfake's own commands for running things from nodes and from outside the cluster (placeholder). */
import type { CommandDef } from '../cli/command.ts';

export const networkCommands: CommandDef[] = [];
