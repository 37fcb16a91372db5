/** kfake's own commands that explain what the cluster does (placeholder). */
import type { CommandDef } from '../cli/command.ts';

export const diagnoseCommands: CommandDef[] = [];
