/**
 * `kfake set image`: change container images of pods and pod templates
 * (kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/cmd/set/set_image.go, helper.go). The
 * change is sent as the two-way strategic merge patch between the object before and after, so
 * on a Deployment it changes the pod template and the deployment controller rolls out a new
 * ReplicaSet. `kfake set` alone lists the subcommands, as kubectl does.
 */
import { CliError, ExitError, MultiError, StatusError } from '../api/errors.ts';
import type { KObject, PodSpec } from '../api/types.ts';
import type { ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { commandHelp } from '../cli/help.ts';
import { changeCauseRecorder, DRY_RUN_FLAG, dryRunStrategy, MutationPrinter, OUTPUT_FLAGS, recordFlag } from '../cli/mutate.ts';
import { createTwoWayMergePatch } from '../patch/strategic.ts';
import { toCompactJson } from '../printers/json.ts';
import type { ClusterState } from '../store/state.ts';
import { FILENAME_FLAGS } from './get.ts';
import { groupKind, patchObject } from './meta-patch.ts';
import { parsePairs, planTargets, splitResourcesAndPairs, visitTargets, type TargetRef, type Visited } from './meta-targets.ts';

const LOCAL_RESOURCE_ERROR = `error: you must specify resources by --filename when --local is set.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'`;

export const setImageCommand: CommandDef = {
  name: 'image',
  short: 'Update the image of a pod template',
  long: `Update existing container image(s) of resources.

 Possible resources include (case insensitive):

        pod (po), replicationcontroller (rc), deployment (deploy), daemonset (ds), statefulset (sts), cronjob (cj), replicaset (rs)`,
  example: `  # Set a deployment's nginx container image to 'nginx:1.9.1', and its busybox container image to 'busybox'
  kfake set image deployment/nginx busybox=busybox nginx=nginx:1.9.1
  
  # Update all deployments' and rc's nginx container's image to 'nginx:1.9.1'
  kfake set image deployments,rc nginx=nginx:1.9.1 --all
  
  # Update image of all containers of daemonset abc to 'nginx:1.9.1'
  kfake set image daemonset abc *=nginx:1.9.1
  
  # Print result (in yaml format) of updating nginx container image from local file, without hitting the server
  kfake set image -f path/to/file.yaml nginx=nginx:1.9.1 --local -o yaml`,
  usage: 'set image (-f FILENAME | TYPE NAME) CONTAINER_NAME_1=CONTAINER_IMAGE_1 ... CONTAINER_NAME_N=CONTAINER_IMAGE_N [options]',
  flags: [
    flag.bool('all', 'Select all resources, in the namespace of the specified resource types'),
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-set' }),
    ...FILENAME_FLAGS,
    flag.bool('local', 'If true, set image will NOT contact api-server but run locally.'),
    recordFlag(),
    flag.string('selector', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.", { short: 'l' }),
  ],
  run: runSetImage,
};

export const setCommand: CommandDef = {
  name: 'set',
  short: 'Set specific features on objects',
  group: 'Basic Commands (Beginner):',
  long: `Configure application resources.

 These commands help you make changes to existing application resources.`,
  usage: 'set SUBCOMMAND [options]',
  subcommands: [setImageCommand],
  run: runSet,
};

/** cmdutil.DefaultSubCommandRun: help on stderr and exit 1, or an unknown-command error. */
function runSet(inv: Invocation): void {
  if (inv.args.length > 0) throw new CliError(`unknown command "${inv.args.join(' ')}"`, { usageCommand: 'set' });
  inv.io.err(commandHelp(setCommand, `${inv.program} set`, inv.program, []));
  throw new ExitError(1);
}

/**
 * polymorphichelpers.updatePodSpecForObject: the pod spec of a pod or of a workload's template,
 * or the error for kinds without one (named by resource and Go type, as kubectl names them).
 */
function podSpecOf(obj: KObject, resource: string): PodSpec {
  if (obj.kind === 'Pod') return obj.spec as PodSpec;
  if (obj.kind === 'Deployment' || obj.kind === 'ReplicaSet') return (obj.spec as { template: { spec: PodSpec } }).template.spec;
  throw new CliError(`error: ${resource}/${obj.metadata.name} the object is not a pod or does not have a pod template: *v1.${obj.kind}\n`);
}

/**
 * The object as kubectl re-encodes it from its Go type (set image decodes objects with the
 * scheme): structs that are empty still appear, as `creationTimestamp: null`, `resources: {}`,
 * `strategy: {}` and `status: {}` (a ReplicaSet's status always has `replicas`). Objects from
 * the server have all of these already; files given with --local may not.
 */
function typedForm(obj: KObject): KObject {
  const out = structuredClone(obj);
  if (out.metadata.creationTimestamp === undefined) out.metadata.creationTimestamp = null;
  const spec = out.spec as { strategy?: object; template?: { metadata?: { creationTimestamp?: null } } };
  if (out.kind === 'Deployment') spec.strategy ??= {};
  if (spec.template) {
    const meta = (spec.template.metadata ??= {});
    if (meta.creationTimestamp === undefined) meta.creationTimestamp = null;
  }
  const pod = podSpecOf(out, '');
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) c.resources ??= {};
  out.status ??= out.kind === 'ReplicaSet' ? { replicas: 0 } : {};
  return out;
}

/** One object's change: the patch to send, or why there is none. */
interface PendingPatch {
  v: { ref: TargetRef; object: KObject };
  after: KObject;
  patch?: Record<string, unknown>;
  error?: Error;
}

async function runSetImage(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  const printer = new MutationPrinter(f, dryRun);
  const local = f.local as boolean;
  const selector = f.selector as string;
  const filenames = f.filename as string[];
  const recorder = changeCauseRecorder(inv);
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  const { resources, pairs } = splitResourcesAndPairs(inv.args, 'image');
  const images = parsePairs(pairs, 'image', false).set;
  if (local && resources.length > 0) throw new CliError(LOCAL_RESOURCE_ERROR);

  const ctx = commandContext(inv);
  const plan = planTargets({
    typed: true,
    args: resources,
    filenames,
    recursive: f.recursive as boolean,
    selector: local ? '' : selector,
    fieldSelector: '',
    all: f.all as boolean,
    allNamespaces: false,
    namespace: ctx.namespace,
    namespaceExplicit: ctx.namespaceExplicit,
    local,
    program: inv.program,
    io: inv.io,
  });

  const run = (state: ClusterState | undefined, api: ApiContext | undefined) => {
    // Infos(): every object is read before anything changes; any failure stops the command.
    const visited: Visited[] = visitTargets(plan, state, { allNamespaces: false, namespace: ctx.namespace, latest: !local, now: ctx.session.now() });
    const readErrors = visited.flatMap((v) => ('error' in v ? [v.error] : []));
    if (readErrors.length) throw new MultiError(readErrors);
    validate();
    // CalculatePatches first (missing containers are reported as they are found), then each
    // object's patch is sent in turn.
    const errors: Error[] = [];
    const patches = visited.flatMap((v): PendingPatch[] => {
      if ('error' in v) return [];
      let after = structuredClone(v.object);
      try {
        const spec = podSpecOf(after, v.ref.info.resource);
        for (const [name, image] of images) {
          let found = false;
          for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
            if (c.name === name || name === '*') {
              c.image = image;
              found = true;
            }
          }
          if (!found) errors.push(new CliError(`error: unable to find container named "${name}"`));
        }
      } catch (e) {
        return [{ v, after, error: e as Error }];
      }
      // --record: the change-cause goes into the same patch (and into what --local and a client
      // dry run print), so `rollout history` can show it.
      if (recorder) after = recorder.record(after);
      return [{ v, after, patch: createTwoWayMergePatch(v.object, after, groupKind(v.ref.info)) }];
    });
    let out = '';
    for (const { v, after, patch, error } of patches) {
      if (error) {
        errors.push(error);
        continue;
      }
      if (Object.keys(patch!).length === 0) continue;
      if (!api) {
        out += printer.line(local ? typedForm(after) : after, 'image updated');
        continue;
      }
      try {
        const result = patchObject(api, { ...v.ref, type: 'strategic', body: toCompactJson(patch) });
        out += printer.line(result.object, 'image updated');
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        errors.push(new CliError(`failed to patch image update to pod template: ${e.message}`));
      }
    }
    return { out, errors };
  };

  /** Validate: every problem with the arguments at once. */
  const validate = () => {
    const errs: CliError[] = [];
    if (f.all && selector) errs.push(new CliError('cannot set --all and --selector at the same time'));
    if (resources.length === 0 && filenames.length === 0) {
      errs.push(new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>'));
    }
    if (images.size === 0) errs.push(new CliError('at least one image update is required'));
    else if (images.size > 1 && images.has('*')) {
      errs.push(new CliError('all containers are already specified by *, but saw more than one container_name=container_image pairs'));
    }
    if (local && dryRun === 'server') errs.push(new CliError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?'));
    if (errs.length) throw new MultiError(errs);
  };

  let result: ReturnType<typeof run>;
  if (local) result = run(undefined, undefined);
  else if (dryRun === 'client') result = run(await ctx.session.read(), undefined);
  else result = await ctx.session.transaction((api) => run(api.state, api), { dryRun: dryRun === 'server' });
  inv.io.out(result.out);
  if (result.errors.length) throw new MultiError(result.errors);
}
