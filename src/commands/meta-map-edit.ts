/**
 * What `kfake label` and `kfake annotate` share: changing one string map of metadata on existing
 * objects (staging/src/k8s.io/kubectl/pkg/cmd/label/label.go, annotate/annotate.go). Each object
 * is fetched, changed on the client, and the difference is sent as a JSON merge patch
 * (`{"metadata":{"labels":{...}}}`); `--list` prints the map instead, `--local` works on -f files
 * without a cluster, `--resource-version` makes the patch conditional.
 */
import { CliError, MultiError } from '../api/errors.ts';
import type { KObject } from '../api/types.ts';
import type { ApiContext } from '../apiserver/api.ts';
import { flag, type FlagDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { DRY_RUN_FLAG, dryRunStrategy, MutationPrinter, OUTPUT_FLAGS, type ChangeCauseRecorder, type DryRun } from '../cli/mutate.ts';
import { createJsonMergePatch } from '../patch/merge-patch.ts';
import { toCompactJson } from '../printers/json.ts';
import type { ClusterState } from '../store/state.ts';
import { FILENAME_FLAGS } from './get.ts';
import { patchObject } from './meta-patch.ts';
import { planTargets, splitResourcesAndPairs, visitTargets, type TargetPlan, type Visited } from './meta-targets.ts';

type StringMap = Record<string, string>;

/** The changes asked for on the command line. */
export interface MapChanges {
  set: Map<string, string>;
  remove: string[];
}

/** How label and annotate differ. */
export interface MapEditSpec {
  /** `label` or `annotation`, as the messages say. */
  noun: string;
  field: 'labels' | 'annotations';
  /** The file names the --local messages suggest (`pod.yaml` / `rsrc.yaml`). */
  localExample: string;
  /** Parse the KEY=VALUE and KEY- arguments (errors found while completing the command). */
  parse(pairs: string[]): MapChanges;
  /** Errors Validate finds last (annotate refuses setting and removing one key here). */
  validateLast?(changes: MapChanges): void;
  /** label refuses --list together with --output. */
  listExcludesOutput: boolean;
  /** Without --overwrite: the error for values that would change, if any. */
  overwriteError(current: StringMap, set: Map<string, string>): Error | undefined;
  /** The verb of the success line, from the object's JSON before and after the change. */
  verb(before: string, after: string, overwrite: boolean): string;
  /** label says `label "k" not found.` for each key to remove that the object lacks. */
  reportsMissingKeys: boolean;
  /** annotate prints the object the server returns; label the object it changed itself. */
  printsServerObject: boolean;
}

export function mapEditFlags(spec: { fieldManager: string; overwriteUsage: string; resourceVersionUsage: string; allUsage: string; listUsage: string; localUsage: string; filenameUsage: string }): FlagDef[] {
  return [
    flag.bool('all', spec.allUsage),
    flag.bool('all-namespaces', 'If true, check the specified action in all namespaces.', { short: 'A' }),
    ...OUTPUT_FLAGS,
    DRY_RUN_FLAG,
    flag.string('field-manager', 'Name of the manager used to track field ownership.', { default: spec.fieldManager }),
    flag.string('field-selector', "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
    { ...FILENAME_FLAGS[0], usage: spec.filenameUsage },
    ...FILENAME_FLAGS.slice(1),
    flag.bool('list', spec.listUsage),
    flag.bool('local', spec.localUsage),
    flag.bool('overwrite', spec.overwriteUsage),
    flag.string('resource-version', spec.resourceVersionUsage),
    flag.string('selector', "Selector (label query) to filter on, supports '=', '==', and '!='.(e.g. -l key1=value1,key2=value2). Matching objects must satisfy all of the specified label constraints.", { short: 'l' }),
  ];
}

function mapOf(obj: KObject, field: 'labels' | 'annotations'): StringMap {
  return obj.metadata[field] ?? {};
}

/**
 * labelFunc / updateAnnotations: refuse overwrites unless allowed, set, remove, and pin the
 * resourceVersion when one was given. The map is always set, so an object without one gets `{}`.
 */
function applyChanges(obj: KObject, spec: MapEditSpec, changes: MapChanges, overwrite: boolean, resourceVersion: string): void {
  const current = mapOf(obj, spec.field);
  if (!overwrite) {
    const err = spec.overwriteError(current, changes.set);
    if (err) throw err;
  }
  const next: StringMap = { ...current };
  for (const [k, v] of changes.set) next[k] = v;
  for (const k of changes.remove) delete next[k];
  obj.metadata[spec.field] = next;
  if (resourceVersion) obj.metadata.resourceVersion = resourceVersion;
}

/** `key=value` lines, sorted by key (kubectl ranges over a Go map, in random order; this is one of them). */
function listing(obj: KObject, spec: MapEditSpec, header: string | undefined): string {
  const entries = Object.entries(mapOf(obj, spec.field)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const indent = header === undefined ? '' : ' ';
  return (header ?? '') + entries.map(([k, v]) => `${indent}${k}=${v}\n`).join('');
}

interface Outcome {
  out: string;
  errors: Error[];
}

/**
 * Run label or annotate. With --record the command is recorded on each object before its map
 * changes, in the same merge patch, and only when the change goes to the server (RunLabel,
 * RunAnnotate): the pairs given may still overwrite or remove the change-cause.
 */
export async function runMapEdit(inv: Invocation, spec: MapEditSpec, recorder?: ChangeCauseRecorder): Promise<void> {
  const f = inv.flags;
  const dryRun: DryRun = dryRunStrategy(f['dry-run'] as string);
  const list = f.list as boolean;
  const local = f.local as boolean;
  const overwrite = f.overwrite as boolean;
  const resourceVersion = f['resource-version'] as string;
  const output = f.output as string;
  const filenames = f.filename as string[];
  const selector = f.selector as string;
  const fieldSelector = f['field-selector'] as string;
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');

  const { resources, pairs } = splitResourcesAndPairs(inv.args, spec.noun);
  const changes = spec.parse(pairs);
  if (list && output && spec.listExcludesOutput) throw new CliError('--list and --output may not be specified together');
  if (f.all && selector) throw new CliError('cannot set --all and --selector at the same time');
  if (f.all && fieldSelector) throw new CliError('cannot set --all and --field-selector at the same time');
  if (local) {
    if (dryRun === 'server') throw new CliError('cannot specify --local and --dry-run=server - did you mean --dry-run=client?');
    if (resources.length > 0) {
      throw new CliError(`can only use local files by -f ${spec.localExample}.yaml or --filename=${spec.localExample}.json when --local=true is set`);
    }
    if (filenames.length === 0) {
      throw new CliError(`one or more files must be specified as -f ${spec.localExample}.yaml or --filename=${spec.localExample}.json`);
    }
  } else if (resources.length === 0 && filenames.length === 0) {
    throw new CliError('one or more resources must be specified as <resource> <name> or <resource>/<name>');
  }
  if (changes.set.size === 0 && changes.remove.length === 0 && !list) throw new CliError(`at least one ${spec.noun} update is required`);
  spec.validateLast?.(changes);
  const printer = new MutationPrinter(f, dryRun);

  const ctx = commandContext(inv);
  const plan: TargetPlan = planTargets({
    args: resources,
    filenames,
    recursive: f.recursive as boolean,
    selector: local ? '' : selector,
    fieldSelector: local ? '' : fieldSelector,
    all: f.all as boolean,
    allNamespaces: !local && (f['all-namespaces'] as boolean),
    namespace: ctx.namespace,
    namespaceExplicit: ctx.namespaceExplicit,
    local,
    program: inv.program,
    io: inv.io,
  });
  if (!plan.singleItemImplied && resourceVersion) throw new CliError('--resource-version may only be used with a single resource');

  const clientSide = local || list || dryRun === 'client';
  const visit = (state: ClusterState | undefined) =>
    visitTargets(plan, state, { allNamespaces: f['all-namespaces'] as boolean, namespace: ctx.namespace, latest: !local, now: ctx.session.now() });

  const edit = (visited: Visited[], api: ApiContext | undefined): Outcome => {
    let out = '';
    const errors: Error[] = [];
    for (const v of visited) {
      if ('error' in v) {
        errors.push(v.error);
        continue;
      }
      let obj = structuredClone(v.object);
      // With --resource-version the version always goes into the patch: clear it first.
      if (resourceVersion) delete obj.metadata.resourceVersion;
      const before = structuredClone(obj);
      if (!clientSide && recorder) obj = recorder.record(obj);
      if (!clientSide && spec.reportsMissingKeys) {
        for (const k of changes.remove) if (!(k in mapOf(obj, spec.field))) out += `${spec.noun} "${k}" not found.\n`;
      }
      let shown: KObject = obj;
      try {
        applyChanges(obj, spec, changes, overwrite, resourceVersion);
        if (!clientSide) {
          const patch = createJsonMergePatch(before, obj);
          const result = patchObject(api!, { info: v.ref.info, namespace: v.ref.namespace, name: v.ref.name, type: 'merge', body: toCompactJson(patch) });
          if (spec.printsServerObject) shown = result.object;
        }
      } catch (e) {
        // utilerrors.Flatten: the overwrite errors of one object count one by one.
        errors.push(...(e instanceof MultiError ? e.errors : [e as Error]));
        continue;
      }
      if (list) {
        const header = plan.singleItemImplied
          ? undefined
          : `Listing ${spec.field} for ${v.ref.info.kind}.${v.ref.info.group}/${v.ref.name}:\n`;
        out += listing(shown, spec, header);
      } else {
        out += printer.line(shown, spec.verb(toCompactJson(before), toCompactJson(obj), overwrite));
      }
    }
    return { out, errors };
  };

  let outcome: Outcome;
  if (local) outcome = edit(visit(undefined), undefined);
  else if (clientSide) outcome = edit(visit(await ctx.session.read()), undefined);
  else outcome = await ctx.session.transaction((api) => edit(visit(api.state), api), { dryRun: dryRun === 'server' });
  inv.io.out(outcome.out);
  if (outcome.errors.length) throw new MultiError(outcome.errors);
}
