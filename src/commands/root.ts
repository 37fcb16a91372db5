/**
 * The command tree, in the order kubectl lists its commands; kfake's own commands come last.
 * Each command's code is loaded only when that command runs, which keeps start-up fast.
 */
import type { CommandDef } from '../cli/command.ts';

type Loader = () => Promise<CommandDef>;

function lazy(name: string, short: string, group: string, load: Loader, aliases?: string[]): CommandDef {
  return { name, short, group, load, ...(aliases ? { aliases } : {}) };
}

const BEGINNER = 'Basic Commands (Beginner):';
const INTERMEDIATE = 'Basic Commands (Intermediate):';
const DEPLOY = 'Deploy Commands:';
const CLUSTER = 'Cluster Management Commands:';
const DEBUG = 'Troubleshooting and Debugging Commands:';
const ADVANCED = 'Advanced Commands:';
const SETTINGS = 'Settings Commands:';
const OTHER = 'Other Commands:';
const KFAKE = 'kfake Commands:';

export async function rootCommand(): Promise<CommandDef> {
  const own = [
    ...(await import('./network.ts')).networkCommands,
    ...(await import('./diagnose.ts')).diagnoseCommands,
  ];
  return {
    name: 'kfake',
    short: 'kfake controls a simulated Kubernetes cluster',
    long: `kfake controls a simulated Kubernetes cluster with kubectl's commands.

 The cluster lives in a local file (see --store); there is no server, container or VM.`,
    subcommands: [
      lazy('create', 'Create a resource from a file or from stdin', BEGINNER, async () => (await import('./create.ts')).createCommand),
      lazy('expose', 'Take a replication controller, service, deployment or pod and expose it as a new Kubernetes service', BEGINNER, async () => (await import('./expose.ts')).exposeCommand),
      lazy('run', 'Run a particular image on the cluster', BEGINNER, async () => (await import('./run.ts')).runCmd),
      lazy('set', 'Set specific features on objects', BEGINNER, async () => (await import('./set.ts')).setCommand),
      lazy('get', 'Display one or many resources', INTERMEDIATE, async () => (await import('./get.ts')).getCommand),
      lazy('edit', 'Edit a resource on the server', INTERMEDIATE, async () => (await import('./edit.ts')).editCommand),
      lazy('delete', 'Delete resources by file names, stdin, resources and names, or by resources and label selector', INTERMEDIATE, async () => (await import('./delete.ts')).deleteCommand),
      lazy('rollout', 'Manage the rollout of a resource', DEPLOY, async () => (await import('./rollout.ts')).rolloutCommand),
      lazy('scale', 'Set a new size for a deployment, replica set, or replication controller', DEPLOY, async () => (await import('./scale.ts')).scaleCommand),
      lazy('cluster-info', 'Display cluster information', CLUSTER, async () => (await import('./info.ts')).clusterInfoCommand),
      lazy('describe', 'Show details of a specific resource or group of resources', DEBUG, async () => (await import('./describe.ts')).describeCommand),
      lazy('logs', 'Print the logs for a container in a pod', DEBUG, async () => (await import('./logs.ts')).logsCommand),
      lazy('exec', 'Execute a command in a container', DEBUG, async () => (await import('./exec.ts')).execCommand),
      lazy('apply', 'Apply a configuration to a resource by file name or stdin', ADVANCED, async () => (await import('./apply.ts')).applyCommand),
      lazy('patch', 'Update fields of a resource', ADVANCED, async () => (await import('./patch.ts')).patchCommand),
      lazy('replace', 'Replace a resource by file name or stdin', ADVANCED, async () => (await import('./replace.ts')).replaceCommand),
      lazy('label', 'Update the labels on a resource', SETTINGS, async () => (await import('./label.ts')).labelCommand),
      lazy('annotate', 'Update the annotations on a resource', SETTINGS, async () => (await import('./annotate.ts')).annotateCommand),
      lazy('api-resources', 'Print the supported API resources on the server', OTHER, async () => (await import('./info.ts')).apiResourcesCommand),
      lazy('options', 'Print the list of flags inherited by all commands', OTHER, async () => (await import('./info.ts')).optionsCommand),
      lazy('version', 'Print the client and server version information', OTHER, async () => (await import('./info.ts')).versionCommand),
      lazy('cluster', 'Reset or inspect the simulated cluster (kfake)', KFAKE, async () => (await import('./cluster.ts')).clusterCommand),
      ...own.map((c) => ({ ...c, group: c.group ?? KFAKE })),
    ],
  };
}
