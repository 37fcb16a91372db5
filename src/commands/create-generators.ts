/** `kfake create <kind> NAME ...` generators (service, deployment, namespace, configmap). */
import type { CommandDef } from '../cli/command.ts';

export const createSubcommands: CommandDef[] = [];
