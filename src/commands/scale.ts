/**
 * `kfake scale`: set the replicas of deployments and replica sets through their /scale
 * subresource (kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/cmd/scale/scale.go and
 * staging/src/k8s.io/kubectl/pkg/scale/scale.go). Without preconditions the scale is a merge
 * patch of `{"spec":{"replicas":N}}`; with --current-replicas or --resource-version the Scale is
 * read, checked and written back. The controllers then create or delete pods at once, and the
 * Services' endpoints follow.
 */
import { CliError, MultiError, StatusError } from '../api/errors.ts';
import { EMPTY_NAME } from '../cli/manifests.ts';
import type { KObject } from '../api/types.ts';
import { getObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type FlagDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { changeCauseRecorder, DRY_RUN_FLAG, dryRunStrategy, MutationPrinter, OUTPUT_FLAGS, recordFlag, type ChangeCauseRecorder } from '../cli/mutate.ts';
import { FILENAME_FLAGS } from './get.ts';
import { hasScaleSubresource, patchObject, scaleOf, unknownPath, updateScale } from './meta-patch.ts';
import { planTargets, visitTargets, type TargetRef, type Visited } from './meta-targets.ts';

const TIMEOUT_FLAG: FlagDef = {
  name: 'timeout',
  kind: 'duration',
  default: '0s',
  usage:
    "The length of time to wait before giving up on a scale operation, zero means don't wait. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).",
};

export const scaleCommand: CommandDef = {
  name: 'scale',
  short: 'Set a new size for a deployment, replica set, or replication controller',
  group: 'Deploy Commands:',
  long: `Set a new size for a deployment, replica set, replication controller, or stateful set.

 Scale also allows users to specify one or more preconditions for the scale action.

 If --current-replicas or --resource-version is specified, it is validated before the scale is attempted, and it is guaranteed that the precondition holds true when the scale is sent to the server.`,
  example: `  # Scale a replica set named 'foo' to 3
  kfake scale --replicas=3 rs/foo
  
  # Scale a resource identified by type and name specified in "foo.yaml" to 3
  kfake scale --replicas=3 -f foo.yaml
  
  # If the deployment named mysql's current size is 2, scale mysql to 3
  kfake scale --current-replicas=2 --replicas=3 deployment/mysql
  
  # Scale multiple replication controllers
  kfake scale --replicas=5 rc/example1 rc/example2 rc/example3
  
  # Scale stateful set named 'web' to 3
  kfake scale --replicas=3 statefulset/web`,
  usage: 'scale [--resource-version=version] [--current-replicas=count] --replicas=COUNT (-f FILENAME | TYPE NAME) [options]',
  flags: [
    flag.bool('all', 'Select all resources in the namespace of the specified resource types'),
    ...OUTPUT_FLAGS,
    flag.int(
      'current-replicas',
      'Precondition for current size. Requires that the current size of the resource match this value in order to scale. -1 (default) for no condition.',
      { default: -1 },
    ),
    DRY_RUN_FLAG,
    { ...FILENAME_FLAGS[0], usage: 'Filename, directory, or URL to files identifying the resource to set a new size' },
    ...FILENAME_FLAGS.slice(1),
    flag.int('replicas', 'The new desired number of replicas. Required.'),
    recordFlag(),
    flag.string('resource-version', 'Precondition for resource version. Requires that the current resource version match this value in order to scale.'),
    flag.string('selector', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.", { short: 'l' }),
    TIMEOUT_FLAG,
  ],
  run: runScale,
};

/** scale.PreconditionError. */
function preconditionError(what: string, expected: string, actual: string): CliError {
  return new CliError(`Expected ${what} to be ${expected}, was ${actual}`);
}

/** ScaleSimple: one object's scale, checked against the preconditions when there are any. */
function scaleOne(api: ApiContext, ref: TargetRef, replicas: number, currentReplicas: number, resourceVersion: string): void {
  // An object from -f without a name: client-go refuses the request before sending it.
  if (!ref.name) throw new CliError(EMPTY_NAME);
  if (currentReplicas === -1 && !resourceVersion) {
    patchObject(api, { ...ref, type: 'merge', body: `{"spec":{"replicas":${replicas}}}`, subresource: 'scale' });
    return;
  }
  // GET .../scale: a kind without the subresource is an unknown path.
  if (!hasScaleSubresource(ref.info)) throw unknownPath();
  const scale = scaleOf(getObject(api, ref.info, ref.namespace, ref.name));
  const actual = (scale.spec as { replicas?: number }).replicas ?? 0;
  if (currentReplicas !== -1 && actual !== currentReplicas) throw preconditionError('replicas', String(currentReplicas), String(actual));
  if (resourceVersion && scale.metadata.resourceVersion !== resourceVersion) {
    throw preconditionError('resource version', resourceVersion, scale.metadata.resourceVersion ?? '');
  }
  (scale.spec as { replicas?: number }).replicas = replicas;
  updateScale(api, ref.info, ref.namespace, ref.name, scale);
}

/**
 * --record after a scale: a merge patch of its own on the object itself (not its /scale), made
 * from the object as it was read; scale.go only logs a failure.
 */
function recordScaled(api: ApiContext, recorder: ChangeCauseRecorder, v: { ref: TargetRef; object: KObject }): void {
  try {
    patchObject(api, { ...v.ref, type: 'merge', body: recorder.mergePatch(v.object) });
  } catch (e) {
    if (!(e instanceof StatusError)) throw e;
  }
}

/** utilerrors.Aggregate's text: the error itself, or `[a, b]`. */
function aggregateText(errors: Error[]): string {
  return errors.length === 1 ? errors[0].message : `[${errors.map((e) => e.message).join(', ')}]`;
}

async function runScale(inv: Invocation): Promise<void> {
  const f = inv.flags;
  if (!inv.changed.has('replicas')) throw new CliError('required flag(s) "replicas" not set');
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  const printer = new MutationPrinter(f, dryRun);
  const replicas = f.replicas as number;
  const currentReplicas = f['current-replicas'] as number;
  const resourceVersion = f['resource-version'] as string;
  const recorder = changeCauseRecorder(inv);
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  if (replicas < 0) throw new CliError('The --replicas=COUNT flag is required, and COUNT must be greater than or equal to 0');
  if (currentReplicas < -1) throw new CliError('The --current-replicas must specify an integer of -1 or greater');

  const ctx = commandContext(inv);
  const plan = planTargets({
    args: inv.args,
    filenames: f.filename as string[],
    recursive: f.recursive as boolean,
    selector: f.selector as string,
    fieldSelector: '',
    all: f.all as boolean,
    allNamespaces: false,
    namespace: ctx.namespace,
    namespaceExplicit: ctx.namespaceExplicit,
    program: inv.program,
    io: inv.io,
  });

  // The scaler honours a server dry run, but the request that records the change-cause does
  // not (scale.go builds its helper without DryRun): those are sent for real afterwards.
  const toRecord: { ref: TargetRef; object: KObject }[] = [];
  const run = (visited: Visited[], api: ApiContext | undefined) => {
    const infos = visited.flatMap((v) => ('error' in v ? [] : [v]));
    const infoErrors = visited.flatMap((v) => ('error' in v ? [v.error] : []));
    if (resourceVersion && infos.length > 1) return { out: '', errors: [new CliError('cannot use --resource-version with multiple resources')] };
    if (infos.length === 0) {
      const detail = infoErrors.length ? ` ${aggregateText(infoErrors)}` : '';
      return { out: '', errors: [new CliError(`no objects passed to scale${detail}`)] };
    }
    let out = '';
    for (const v of infos) {
      if (api) {
        try {
          scaleOne(api, v.ref, replicas, currentReplicas, resourceVersion);
        } catch (e) {
          if (e instanceof StatusError || e instanceof CliError) return { out, errors: [e] };
          throw e;
        }
        if (recorder && dryRun === 'server') toRecord.push(v);
        else if (recorder) recordScaled(api, recorder, v);
      }
      // kubectl prints the object as it read it, before the scale.
      out += printer.line(v.object, 'scaled');
    }
    return { out, errors: infoErrors };
  };

  const visit = (api: ApiContext | undefined, state = api?.state) =>
    run(visitTargets(plan, state, { allNamespaces: false, namespace: ctx.namespace, latest: false, now: ctx.session.now() }), api);
  const result =
    dryRun === 'client'
      ? visit(undefined, await ctx.session.read())
      : await ctx.session.transaction((api) => visit(api), { dryRun: dryRun === 'server' });
  if (recorder && toRecord.length > 0) await ctx.session.transaction((api) => toRecord.forEach((v) => recordScaled(api, recorder, v)));
  inv.io.out(result.out);
  if (result.errors.length) throw new MultiError(result.errors);
}
