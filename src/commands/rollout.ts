/**
 * `kfake rollout status|history|undo|restart|pause|resume` (staging/src/k8s.io/kubectl/pkg/cmd/rollout
 * with the deployment helpers of staging/src/k8s.io/kubectl/pkg/polymorphichelpers: rollout_status.go,
 * history.go, rollback.go, objectrestarter.go, objectpauser.go, objectresumer.go).
 *
 * Deployments are the only kind with rollouts here; everything else fails with the message kubectl's
 * helpers give for it. Each object found is handled in turn and every error is reported at the end.
 */
import { CliError, ExitError, MultiError, notFound, StatusError } from '../api/errors.ts';
import { qualifiedResource, type ResourceInfo } from '../api/registry.ts';
import type { Deployment, KObject, PodTemplateSpec, ReplicaSet } from '../api/types.ts';
import { updateObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type FlagDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { commandHelp } from '../cli/help.ts';
import { EMPTY_NAME, mapManifestObjects } from '../cli/manifests.ts';
import { DRY_RUN_FLAG, dryRunStrategy, MutationPrinter, OUTPUT_FLAGS, type DryRun } from '../cli/mutate.ts';
import { parseOutput, type OutputFormat } from '../cli/output.ts';
import { parseResourceArgs } from '../cli/resources.ts';
import { describePodTemplate } from '../printers/describe/containers.ts';
import { PrefixWriter } from '../printers/describe/writer.ts';
import { DESCRIBE_TABWRITER, tabwrite } from '../printers/tabwriter.ts';
import { matches, parseSelector, selectorFromLabelSelector, SelectorParseError } from '../selectors/labels.ts';
import type { Session } from '../cluster/session.ts';
import type { ClusterState } from '../store/state.ts';
import { selectorError } from './get.ts';
import { parseGoDuration, TIMED_OUT, typedLine, waitFor } from './run.ts';
import { jsonEqual } from '../util/json-equal.ts';

const REVISION = 'deployment.kubernetes.io/revision';
const CHANGE_CAUSE = 'kubernetes.io/change-cause';
const RESTARTED_AT = 'kubectl.kubernetes.io/restartedAt';
const HASH_LABEL = 'pod-template-hash';

/** Deployment annotations a rollback keeps instead of taking them from the ReplicaSet (rollback.go annotationsToSkip). */
const ANNOTATIONS_TO_SKIP = new Set([
  'kubectl.kubernetes.io/last-applied-configuration',
  REVISION,
  'deployment.kubernetes.io/revision-history',
  'deployment.kubernetes.io/desired-replicas',
  'deployment.kubernetes.io/max-replicas',
  'deprecated.deployment.rollback.to',
]);

// ------------------------------------------------------------------ flags and help

const FILE_FLAGS: FlagDef[] = [
  flag.stringSlice('filename', 'Filename, directory, or URL to files identifying the resource to get from a server.', { short: 'f' }),
  flag.string('kustomize', "Process the kustomization directory. This flag can't be used together with -f or -R.", { short: 'k' }),
  flag.bool('recursive', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.', { short: 'R' }),
];
const SELECTOR_FLAG = flag.string(
  'selector',
  "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.",
  { short: 'l' },
);
const FIELD_MANAGER_FLAG = flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: 'kubectl-rollout' });

const statusCommand: CommandDef = {
  name: 'status',
  short: 'Show the status of the rollout',
  long: `Show the status of the rollout.

 By default 'rollout status' will watch the status of the latest rollout until it's done. If you don't want to wait for the rollout to finish then you can use --watch=false. Note that if a new rollout starts in-between, then 'rollout status' will continue watching the latest revision. If you want to pin to a specific revision and abort if it is rolled over by another revision, use --revision=N where N is the revision you need to watch for.`,
  example: `  # Watch the rollout status of a deployment
  kfake rollout status deployment/nginx`,
  usage: 'rollout status (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [
    ...FILE_FLAGS,
    flag.int('revision', 'Pin to a specific revision for showing its status. Defaults to 0 (last revision).'),
    SELECTOR_FLAG,
    { name: 'timeout', kind: 'duration', default: '0s', usage: 'The length of time to wait before ending watch, zero means never. Any other values should contain a corresponding time unit (e.g. 1s, 2m, 3h).' },
    flag.bool('watch', "Watch the status of the rollout until it's done.", { short: 'w', default: true }),
  ],
  run: runStatus,
};

const historyCommand: CommandDef = {
  name: 'history',
  short: 'View rollout history',
  long: 'View previous rollout revisions and configurations.',
  example: `  # View the rollout history of a deployment
  kfake rollout history deployment/abc
  
  # View the details of daemonset revision 3
  kfake rollout history daemonset/abc --revision=3`,
  usage: 'rollout history (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [...OUTPUT_FLAGS, ...FILE_FLAGS, flag.int('revision', 'See the details, including podTemplate of the revision specified'), SELECTOR_FLAG],
  run: runHistory,
};

const undoCommand: CommandDef = {
  name: 'undo',
  short: 'Undo a previous rollout',
  long: 'Roll back to a previous rollout.',
  example: `  # Roll back to the previous deployment
  kfake rollout undo deployment/abc
  
  # Roll back to daemonset revision 3
  kfake rollout undo daemonset/abc --to-revision=3
  
  # Roll back to the previous deployment with dry-run
  kfake rollout undo --dry-run=server deployment/abc`,
  usage: 'rollout undo (TYPE NAME | TYPE/NAME) [flags] [options]',
  flags: [
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    ...FILE_FLAGS,
    SELECTOR_FLAG,
    flag.int('to-revision', 'The revision to rollback to. Default to 0 (last revision).'),
  ],
  run: runUndo,
};

const restartCommand: CommandDef = {
  name: 'restart',
  short: 'Restart a resource',
  long: `Restart a resource.

        Resource rollout will be restarted.`,
  example: `  # Restart all deployments in the test-namespace namespace
  kfake rollout restart deployment -n test-namespace
  
  # Restart a deployment
  kfake rollout restart deployment/nginx
  
  # Restart a daemon set
  kfake rollout restart daemonset/abc
  
  # Restart deployments with the app=nginx label
  kfake rollout restart deployment --selector=app=nginx`,
  usage: 'rollout restart RESOURCE [options]',
  flags: [...OUTPUT_FLAGS, FIELD_MANAGER_FLAG, ...FILE_FLAGS, SELECTOR_FLAG],
  run: (inv) => runPatching(inv, 'restart'),
};

const pauseCommand: CommandDef = {
  name: 'pause',
  short: 'Mark the provided resource as paused',
  long: `Mark the provided resource as paused.

 Paused resources will not be reconciled by a controller. Use "kfake rollout resume" to resume a paused resource. Currently only deployments support being paused.`,
  example: `  # Mark the nginx deployment as paused
  # Any current state of the deployment will continue its function; new updates
  # to the deployment will not have an effect as long as the deployment is paused
  kfake rollout pause deployment/nginx`,
  usage: 'rollout pause RESOURCE [options]',
  flags: [...OUTPUT_FLAGS, FIELD_MANAGER_FLAG, ...FILE_FLAGS, SELECTOR_FLAG],
  run: (inv) => runPatching(inv, 'pause'),
};

const resumeCommand: CommandDef = {
  name: 'resume',
  short: 'Resume a paused resource',
  long: `Resume a paused resource.

 Paused resources will not be reconciled by a controller. By resuming a resource, we allow it to be reconciled again. Currently only deployments support being resumed.`,
  example: `  # Resume an already paused deployment
  kfake rollout resume deployment/nginx`,
  usage: 'rollout resume RESOURCE [options]',
  flags: [...OUTPUT_FLAGS, FIELD_MANAGER_FLAG, ...FILE_FLAGS, SELECTOR_FLAG],
  run: (inv) => runPatching(inv, 'resume'),
};

export const rolloutCommand: CommandDef = {
  name: 'rollout',
  short: 'Manage the rollout of a resource',
  group: 'Deploy Commands:',
  long: `Manage the rollout of one or many resources.
        
 Valid resource types include:

  *  deployments
  *  daemonsets
  *  statefulsets`,
  example: `  # Rollback to the previous deployment
  kfake rollout undo deployment/abc
  
  # Check the rollout status of a daemonset
  kfake rollout status daemonset/foo
  
  # Restart a deployment
  kfake rollout restart deployment/abc
  
  # Restart deployments with the 'app=nginx' label
  kfake rollout restart deployment --selector=app=nginx`,
  usage: 'rollout SUBCOMMAND [options]',
  subcommands: [historyCommand, pauseCommand, restartCommand, resumeCommand, statusCommand, undoCommand],
  run: runRollout,
};

/** cmdutil.DefaultSubCommandRun: help and exit 1, or an unknown subcommand. */
function runRollout(inv: Invocation): void {
  if (inv.args.length > 0) throw new CliError(`unknown command "${inv.args.join(' ')}"`, { usageCommand: 'rollout' });
  inv.io.out(commandHelp(rolloutCommand, `${inv.program} rollout`, inv.program, []));
  throw new ExitError(1);
}

// ------------------------------------------------------------------ finding the objects

export interface Target {
  info: ResourceInfo;
  obj: KObject;
}

/**
 * The resource builder as these commands use it (ResourceTypeOrNameArgs, FilenameParam,
 * LabelSelectorParam, ContinueOnError, Latest): in argument order, each object found or the
 * error for one that was not. An unknown type or a bad selector is thrown (nothing is visited).
 */
export function findObjects(
  inv: Invocation,
  state: ClusterState,
  namespace: string,
  namespaceExplicit: boolean,
  /** rollout decodes -f into the typed scheme; edit does not. */
  typed = true,
): (Target | Error)[] {
  const f = inv.flags;
  const filenames = (f.filename as string[] | undefined) ?? [];
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  const found: (Target | Error)[] = [];
  const lookup = (info: ResourceInfo, ns: string, name: string) => {
    const obj = state.get(info.resource, info.namespaced ? ns : '', name);
    found.push(obj ? { info, obj } : notFound(info, name));
  };
  if (filenames.length > 0) {
    for (const m of mapManifestObjects(inv.io, filenames, f.recursive as boolean, namespace, namespaceExplicit, { typed })) {
      if (m.error || !m.info) found.push(m.error!);
      else if (!m.object.metadata.name) found.push(new CliError(EMPTY_NAME));
      else lookup(m.info, m.object.metadata.namespace ?? '', m.object.metadata.name ?? '');
    }
    return found;
  }
  const labelText = (f.selector as string | undefined) ?? '';
  for (const req of parseResourceArgs(inv.args, inv.program).requests) {
    if (req.names.length > 0) {
      for (const name of req.names) lookup(req.info, namespace, name);
      continue;
    }
    try {
      const selector = parseSelector(labelText);
      for (const obj of state.list(req.info.resource, req.info.namespaced ? namespace : undefined)) {
        if (matches(selector, obj.metadata.labels)) found.push({ info: req.info, obj });
      }
    } catch (e) {
      if (e instanceof SelectorParseError) throw selectorError(req.info, labelText, '', e.message);
      throw e;
    }
  }
  return found;
}

/** Every rollout subcommand needs a resource, by argument or file. */
function requireResource(inv: Invocation): void {
  if (inv.args.length === 0 && ((inv.flags.filename as string[] | undefined) ?? []).length === 0) {
    throw new CliError('required resource not specified');
  }
}

/** schema.GroupKind.String(): `Service`, `ReplicaSet.apps`. */
function groupKind(info: ResourceInfo): string {
  return info.group ? `${info.kind}.${info.group}` : info.kind;
}

/**
 * apps.GroupKindElement.Accept: the kinds kubectl's rollout helpers know at all. Others fail with
 * `no visitor method exists for {<group> <kind>}` before any helper is chosen.
 */
function visitable(info: ResourceInfo): boolean {
  return ['/Pod', 'apps/Deployment', 'apps/ReplicaSet'].includes(`${info.group}/${info.kind}`);
}

function visitorError(info: ResourceInfo): string {
  return `no visitor method exists for {${info.group} ${info.kind}}`;
}

const isDeployment = (info: ResourceInfo) => info.group === 'apps' && info.kind === 'Deployment';

// ------------------------------------------------------------------ deployment helpers

/** deploymentutil.Revision: the revision annotation as a number (a missing one is 0). */
function revisionOf(obj: KObject): number | undefined {
  const text = obj.metadata.annotations?.[REVISION] ?? '0';
  return /^[-+]?\d+$/.test(text) ? Number(text) : undefined;
}

function isEmptyValue(v: unknown): boolean {
  if (v === undefined || v === null || v === '' || v === 0 || v === false) return true;
  if (Array.isArray(v)) return v.length === 0;
  return typeof v === 'object' && Object.keys(v as object).length === 0;
}

/** apiequality.Semantic.DeepEqual on decoded objects: absent equals the zero value, nil equals empty. */
function semanticEqual(a: unknown, b: unknown): boolean {
  if (isEmptyValue(a) && isEmptyValue(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => semanticEqual(x, b[i]));
  if (a && b && typeof a === 'object' && typeof b === 'object' && !Array.isArray(a) && !Array.isArray(b)) {
    const x = a as Record<string, unknown>;
    const y = b as Record<string, unknown>;
    return [...new Set([...Object.keys(x), ...Object.keys(y)])].every((k) => semanticEqual(x[k], y[k]));
  }
  return jsonEqual(a, b);
}

function withoutHash(t: PodTemplateSpec | undefined): PodTemplateSpec | undefined {
  if (!t) return t;
  const copy = structuredClone(t);
  if (copy.metadata?.labels) delete copy.metadata.labels[HASH_LABEL];
  return copy;
}

/** EqualIgnoreHash: the same template apart from the pod-template-hash label. */
function equalIgnoreHash(a: PodTemplateSpec | undefined, b: PodTemplateSpec | undefined): boolean {
  return semanticEqual(withoutHash(a), withoutHash(b));
}

/**
 * deploymentutil.GetAllReplicaSets: the ReplicaSets the deployment's selector matches and that
 * it controls, the new one (oldest with the deployment's template) last.
 */
function replicaSetsOf(state: ClusterState, d: Deployment): ReplicaSet[] {
  const selector = selectorFromLabelSelector(d.spec.selector ?? {});
  const owned = state
    .list<ReplicaSet>('replicasets', d.metadata.namespace)
    .filter((rs) => matches(selector, rs.metadata.labels))
    .filter((rs) => rs.metadata.ownerReferences?.some((r) => r.controller && r.uid === d.metadata.uid))
    .sort(
      (a, b) =>
        (Date.parse(a.metadata.creationTimestamp ?? '') || 0) - (Date.parse(b.metadata.creationTimestamp ?? '') || 0) ||
        (a.metadata.name! < b.metadata.name! ? -1 : a.metadata.name! > b.metadata.name! ? 1 : 0),
    );
  const newRS = owned.find((rs) => equalIgnoreHash(rs.spec.template, d.spec.template));
  return newRS ? [...owned.filter((rs) => rs !== newRS), newRS] : owned;
}

/** Revision -> ReplicaSet, later ReplicaSets winning a shared revision as the map assignment does. */
function historyOf(state: ClusterState, d: Deployment): Map<number, ReplicaSet> {
  const history = new Map<number, ReplicaSet>();
  for (const rs of replicaSetsOf(state, d)) {
    const v = revisionOf(rs);
    if (v !== undefined) history.set(v, rs);
  }
  return history;
}

/** A describe PrefixWriter on a plain buffer: printTemplate's text is not tab-aligned. */
class PlainWriter extends PrefixWriter {
  text = '';
  override write(level: number, text: string): void {
    this.text += ('  '.repeat(level) + text).replace(/\x1b/g, '^[').replace(/\r/g, '\\r');
  }
}

/** history.go printTemplate: DescribePodTemplate written without a tabwriter. */
export function printTemplate(template: PodTemplateSpec | undefined): string {
  const w = new PlainWriter();
  describePodTemplate(w, template);
  return w.text;
}

/** DeploymentHistoryViewer.ViewHistory. */
export function viewHistory(state: ClusterState, d: Deployment, revision: number): string {
  const history = historyOf(state, d);
  if (history.size === 0) return 'No rollout history found.';
  if (revision > 0) {
    const rs = history.get(revision);
    if (!rs) throw new CliError('unable to find the specified revision');
    // The viewer records the ReplicaSet's change-cause in the template it describes.
    const template = structuredClone(rs.spec.template ?? { spec: { containers: [] } });
    const cause = rs.metadata.annotations?.[CHANGE_CAUSE];
    if (cause) {
      const meta = (template.metadata ??= {});
      meta.annotations = { ...(meta.annotations ?? {}), [CHANGE_CAUSE]: cause };
    }
    return printTemplate(template);
  }
  const rows = [...history.keys()]
    .sort((a, b) => a - b)
    .map((r) => `${r}\t${history.get(r)!.metadata.annotations?.[CHANGE_CAUSE] || '<none>'}\n`);
  return tabwrite(`REVISION\tCHANGE-CAUSE\n${rows.join('')}`, DESCRIBE_TABWRITER);
}

/** DeploymentStatusViewer.Status: the message to print and whether the rollout is done. */
export function deploymentStatus(d: Deployment, revision: number): { message: string; done: boolean } {
  const name = d.metadata.name;
  if (revision > 0) {
    const current = revisionOf(d);
    if (current === undefined) throw new CliError(`cannot get the revision of deployment "${name}"`);
    if (revision !== current) throw new CliError(`desired revision (${revision}) is different from the running revision (${current})`);
  }
  const status = d.status ?? {};
  if ((d.metadata.generation ?? 0) <= (status.observedGeneration ?? 0)) {
    const progressing = status.conditions?.find((c) => c.type === 'Progressing');
    if (progressing?.reason === 'ProgressDeadlineExceeded') throw new CliError(`deployment "${name}" exceeded its progress deadline`);
    const replicas = d.spec.replicas;
    const updated = status.updatedReplicas ?? 0;
    const waiting = `Waiting for deployment "${name}" rollout to finish: `;
    if (replicas !== undefined && updated < replicas) {
      return { message: `${waiting}${updated} out of ${replicas} new replicas have been updated...\n`, done: false };
    }
    if ((status.replicas ?? 0) > updated) {
      return { message: `${waiting}${(status.replicas ?? 0) - updated} old replicas are pending termination...\n`, done: false };
    }
    if ((status.availableReplicas ?? 0) < updated) {
      return { message: `${waiting}${status.availableReplicas ?? 0} of ${updated} updated replicas are available...\n`, done: false };
    }
    return { message: `deployment "${name}" successfully rolled out\n`, done: true };
  }
  return { message: 'Waiting for deployment spec update to be observed...\n', done: false };
}

// ------------------------------------------------------------------ status

async function runStatus(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const revision = f.revision as number;
  requireResource(inv);
  if (revision < 0) throw new CliError(`revision must be a positive integer: ${revision}`);
  const ctx = commandContext(inv);
  const found = findObjects(inv, await ctx.session.read(), ctx.namespace, ctx.namespaceExplicit);
  // A negative timeout is ignored (watchtools logs it and waits without one).
  const timeoutMs = Math.max(0, parseGoDuration(f.timeout as string));
  const errors: Error[] = [];
  for (const item of found) {
    if (item instanceof Error) {
      errors.push(item);
      continue;
    }
    const { info, obj } = item;
    if (!isDeployment(info)) {
      errors.push(new CliError(`no status viewer has been implemented for ${groupKind(info)}`));
      continue;
    }
    try {
      await watchRollout(inv, ctx.session, obj, revision, f.watch as boolean, timeoutMs);
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      errors.push(e);
    }
  }
  if (found.length === 0) inv.io.err(`No resources found in ${ctx.namespace} namespace.\n`);
  if (errors.length) throw new MultiError(errors);
}

/**
 * The watch loop of rollout status: the status is printed for the deployment as found and again
 * on every change to it, until the rollout is done (or at once with --watch=false).
 */
async function watchRollout(inv: Invocation, session: Session, d: KObject, revision: number, watch: boolean, timeoutMs: number): Promise<void> {
  let seen: string | undefined;
  let failure: Error | undefined;
  const finished = await waitFor(
    session,
    (state) => {
      const live = state.get<Deployment>('deployments', d.metadata.namespace!, d.metadata.name!);
      if (!live || live.metadata.uid !== d.metadata.uid) {
        failure = new CliError('object has been deleted');
        return true;
      }
      if (live.metadata.resourceVersion === seen) return undefined;
      seen = live.metadata.resourceVersion;
      try {
        const { message, done } = deploymentStatus(live, revision);
        inv.io.out(message);
        return done || !watch ? true : undefined;
      } catch (e) {
        failure = e as Error;
        return true;
      }
    },
    timeoutMs,
  );
  if (failure) throw failure;
  if (!finished) throw new CliError(TIMED_OUT);
}

// ------------------------------------------------------------------ history

async function runHistory(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const revision = f.revision as number;
  requireResource(inv);
  if (revision < 0) throw new CliError(`revision must be a positive integer: ${revision}`);
  const ctx = commandContext(inv);
  const format = parseOutput((f.output as string) ?? '', { forGet: false, template: f.template as string });
  const printer = new MutationPrinter(f, 'none');
  const state = await ctx.session.read();
  const errors: Error[] = [];
  for (const item of findObjects(inv, state, ctx.namespace, ctx.namespaceExplicit)) {
    if (item instanceof Error) {
      errors.push(item);
      continue;
    }
    const { info, obj } = item;
    if (!visitable(info)) {
      errors.push(new CliError(`error retrieving history for "${groupKind(info)}", ${visitorError(info)}`));
      continue;
    }
    if (!isDeployment(info)) {
      errors.push(new CliError(`no history viewer has been implemented for "${groupKind(info)}"`));
      continue;
    }
    const d = obj as Deployment;
    try {
      if (format) {
        // With -o the ReplicaSets behind the revisions are printed instead.
        const history = historyOf(state, d);
        const revisions = revision > 0 ? [revision] : [...history.keys()].sort((a, b) => a - b);
        if (revision > 0 && !history.has(revision)) throw new CliError('unable to find the specified revision');
        for (const r of revisions) inv.io.out(typedLine(printer, format, history.get(r)!, 'ReplicaSet', ''));
        continue;
      }
      const text = viewHistory(state, d, revision);
      const withRevision = revision > 0 ? `with revision #${revision}` : '';
      inv.io.out(printer.line(d, `${withRevision}\n${text}`));
    } catch (e) {
      if (!(e instanceof CliError)) throw e;
      errors.push(e);
    }
  }
  if (errors.length) throw new MultiError(errors);
}

// ------------------------------------------------------------------ undo

async function runUndo(inv: Invocation): Promise<void> {
  const f = inv.flags;
  requireResource(inv);
  const ctx = commandContext(inv);
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  const format = parseOutput((f.output as string) ?? '', { forGet: false, template: f.template as string });
  const printer = new MutationPrinter(f, dryRun);
  const toRevision = f['to-revision'] as number;

  const work = (api: ApiContext) => {
    const lines: string[] = [];
    const errors: Error[] = [];
    for (const item of findObjects(inv, api.state, ctx.namespace, ctx.namespaceExplicit)) {
      if (item instanceof Error) {
        errors.push(item);
        continue;
      }
      const { info, obj } = item;
      if (!visitable(info)) {
        errors.push(new CliError(`error retrieving rollbacker for "${groupKind(info)}", ${visitorError(info)}`));
        continue;
      }
      if (!isDeployment(info)) {
        errors.push(new CliError(`no rollbacker has been implemented for "${groupKind(info)}"`));
        continue;
      }
      try {
        const result = rollback(api, obj as Deployment, toRevision, dryRun, inv.program);
        lines.push(typedLine(printer, format, obj, 'Deployment', result));
      } catch (e) {
        if (!(e instanceof CliError) && !(e instanceof StatusError)) throw e;
        errors.push(e);
      }
    }
    return { lines, errors };
  };
  const result =
    dryRun === 'client'
      ? work({ state: await ctx.session.read(), now: ctx.session.now(), rng: { next: () => 0, int: () => 0 } })
      : await ctx.session.transaction(work, { dryRun: dryRun === 'server' });
  inv.io.out(result.lines.join(''));
  if (result.errors.length) throw new MultiError(result.errors);
}

/**
 * DeploymentRollbacker.Rollback: put the template of the wanted revision (the previous one by
 * default) back into the deployment, with the ReplicaSet's annotations. Returns the printed
 * operation.
 */
function rollback(api: ApiContext, d: Deployment, toRevision: number, dryRun: DryRun, program: string): string {
  const missing = () => new CliError(`unable to find specified revision ${toRevision} in history`);
  if (toRevision < 0) throw missing();
  const all = replicaSetsOf(api.state, d);
  let target: ReplicaSet | undefined;
  if (toRevision > 0) {
    target = all.find((rs) => revisionOf(rs) === toRevision);
    if (!target) throw missing();
  } else {
    // The second-highest revision, as deploymentRevision picks it.
    let latest = -1;
    let previous = -1;
    let latestRS: ReplicaSet | undefined;
    for (const rs of all) {
      const v = revisionOf(rs);
      if (v === undefined) continue;
      if (latest < v) {
        previous = latest;
        target = latestRS;
        latest = v;
        latestRS = rs;
      } else if (previous < v) {
        previous = v;
        target = rs;
      }
    }
    if (!target) throw new CliError(`no rollout history found for deployment "${d.metadata.name}"`);
  }
  if (dryRun === 'client') return printTemplate(target.spec.template);
  if (d.spec.paused) {
    throw new CliError(`you cannot rollback a paused deployment; resume it first with '${program} rollout resume' and try again`);
  }
  if (equalIgnoreHash(target.spec.template, d.spec.template)) {
    return `skipped rollback (current template already matches revision ${toRevision})`;
  }
  // The JSON patch kubectl sends replaces the template and the annotations.
  const template = structuredClone(target.spec.template!);
  if (template.metadata?.labels) delete template.metadata.labels[HASH_LABEL];
  const annotations: Record<string, string> = {};
  for (const [k, v] of Object.entries(d.metadata.annotations ?? {})) if (ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  for (const [k, v] of Object.entries(target.metadata.annotations ?? {})) if (!ANNOTATIONS_TO_SKIP.has(k)) annotations[k] = v;
  const live = api.state.get<Deployment>('deployments', d.metadata.namespace!, d.metadata.name!)!;
  const next = structuredClone(live);
  next.spec.template = template;
  next.metadata.annotations = annotations;
  if (Object.keys(annotations).length === 0) delete next.metadata.annotations;
  delete next.metadata.resourceVersion;
  try {
    updateObject(api, next);
  } catch (e) {
    if (e instanceof StatusError) throw new CliError(`failed restoring revision ${toRevision}: ${e.message}`);
    throw e;
  }
  return 'rolled back';
}

// ------------------------------------------------------------------ restart, pause, resume

type PatchVerb = 'restart' | 'pause' | 'resume';

/** time.Now().Format(time.RFC3339) in the local zone, as the restart annotation records it. */
function localRfc3339(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const offset = -d.getTimezoneOffset();
  const zone = offset === 0 ? 'Z' : `${offset > 0 ? '+' : '-'}${pad(Math.trunc(Math.abs(offset) / 60))}:${pad(Math.abs(offset) % 60)}`;
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T` +
    `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}${zone}`
  );
}

/**
 * The object restarter, pauser and resumer: the changed deployment, or undefined when nothing
 * changed (the patch would be empty). Throws the helper's own error text.
 */
function changeFor(verb: PatchVerb, d: Deployment, now: Date): Deployment | undefined {
  const next = structuredClone(d);
  if (verb === 'restart') {
    if (d.spec.paused) throw new Error("can't restart paused deployment (run rollout resume first)");
    const meta = (next.spec.template.metadata ??= {});
    meta.annotations = { ...(meta.annotations ?? {}), [RESTARTED_AT]: localRfc3339(now) };
  } else if (verb === 'pause') {
    if (d.spec.paused) throw new Error('is already paused');
    next.spec.paused = true;
  } else {
    if (!d.spec.paused) throw new Error('is not paused');
    delete next.spec.paused;
  }
  return jsonEqual(next, d) ? undefined : next;
}

const VERB_TEXT: Record<PatchVerb, { done: string; unsupported: string }> = {
  restart: { done: 'restarted', unsupported: 'restarting is not supported' },
  pause: { done: 'paused', unsupported: 'pausing is not supported' },
  resume: { done: 'resumed', unsupported: 'resuming is not supported' },
};

/** RestartOptions / PauseOptions / ResumeOptions.Run: compute each patch, send it, report. */
async function runPatching(inv: Invocation, verb: PatchVerb): Promise<void> {
  const f = inv.flags;
  requireResource(inv);
  const ctx = commandContext(inv);
  const format: OutputFormat | undefined = parseOutput((f.output as string) ?? '', { forGet: false, template: f.template as string });
  const printer = new MutationPrinter(f, 'none');
  const text = VERB_TEXT[verb];
  const result = await ctx.session.transaction((api) => {
    // r.Infos() comes first: the objects that could not be found are reported before any patch.
    const found = findObjects(inv, api.state, ctx.namespace, ctx.namespaceExplicit);
    const errors = found.filter((x): x is Error => x instanceof Error);
    const targets = found.filter((x): x is Target => !(x instanceof Error));
    const lines: string[] = [];
    for (const { info, obj } of targets) {
      const label = `${qualifiedResource(info)} "${obj.metadata.name}"`;
      let next: Deployment | undefined;
      try {
        if (!isDeployment(info)) throw new Error(text.unsupported);
        next = changeFor(verb, obj as Deployment, api.now);
      } catch (e) {
        errors.push(new CliError(`error: ${label} ${(e as Error).message}`));
        continue;
      }
      if (!next) {
        // Only a second restart within the same second changes nothing.
        errors.push(
          new CliError(
            `failed to create patch for ${obj.metadata.name}: if restart has already been triggered within the past second, please wait before attempting to trigger another`,
          ),
        );
        continue;
      }
      delete next.metadata.resourceVersion;
      try {
        const { object } = updateObject(api, next);
        lines.push(typedLine(printer, format, object, 'Deployment', text.done));
      } catch (e) {
        if (!(e instanceof StatusError)) throw e;
        errors.push(new CliError(`failed to patch: ${e.message}`));
      }
    }
    return { lines, errors, found: found.length };
  });
  inv.io.out(result.lines.join(''));
  if (result.found === 0) inv.io.err(`No resources found in ${ctx.namespace} namespace.\n`);
  if (result.errors.length) throw new MultiError(result.errors);
}

