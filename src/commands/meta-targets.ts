/**
 * Which objects a command that changes existing objects acts on, as kubectl's resource builder
 * decides it (kubernetes/kubernetes:staging/src/k8s.io/cli-runtime/pkg/resource/builder.go:
 * FilenameParam, LabelSelectorParam, FieldSelectorParam, AllNamespaces, ResourceTypeOrNameArgs,
 * visitorResult), with its errors, in the order it raises them. Also the argument split that
 * label, annotate and set image share (cmdutil.GetResourcesAndPairs, ParsePairs).
 */
import fs from 'node:fs';
import { CliError, notFound } from '../api/errors.ts';
import { apiVersionOf, type ResourceInfo } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';
import { EMPTY_NAME, mapManifestObjects, readManifestEntries } from '../cli/manifests.ts';
import type { IO } from '../cli/io.ts';
import { parseResourceArgs, resolveType } from '../cli/resources.ts';
import { FieldSelectorError, parseFieldSelector, type FieldRequirement } from '../selectors/fields.ts';
import { parseSelector, SelectorParseError, type Selector } from '../selectors/labels.ts';
import type { ClusterState } from '../store/state.ts';
import { listObjects, selectorError } from './get.ts';

/** builder.go missingResourceError. */
export const MISSING_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

export interface TargetOptions {
  /** TYPE NAME..., TYPE/NAME..., or TYPE alone with a selector or --all. */
  args: string[];
  filenames: string[];
  recursive: boolean;
  /** -l; empty for none. */
  selector: string;
  /** --field-selector; empty for none. */
  fieldSelector: string;
  /** ResourceTypeOrNameArgs(allowEmptySelector): `--all` selects every object of a bare type. */
  all: boolean;
  allNamespaces: boolean;
  namespace: string;
  namespaceExplicit: boolean;
  /** --local: file objects stay as written (the builder fills in no namespace without a server). */
  local?: boolean;
  /** Decode -f into the typed scheme (set does; label, annotate, patch and scale do not). */
  typed?: boolean;
  program: string;
  io: IO;
}

/** One object to act on: named on the command line, listed by a selector, or read from a file. */
export interface TargetRef {
  info: ResourceInfo;
  /** '' for cluster-scoped resources. */
  namespace: string;
  name: string;
  /** The object as the file has it (for -f). */
  fileObject?: KObject;
}

type Step =
  | { kind: 'ref'; ref: TargetRef }
  | { kind: 'error'; error: Error }
  | { kind: 'list'; info: ResourceInfo; labels: Selector; fields: FieldRequirement[] };

/** What the builder resolved from the arguments, before it talks to the server. */
export interface TargetPlan {
  steps: Step[];
  /** IntoSingleItemImplied: one TYPE NAME, one TYPE/NAME or one file. */
  singleItemImplied: boolean;
}

/** A visited item: the object as the server (or the file) has it, or why it cannot be had. */
export type Visited = { ref: TargetRef; object: KObject } | { error: Error };

function isSingleFile(paths: string[], recursive: boolean): boolean {
  if (paths.length !== 1 || paths[0] === '-' || recursive) return false;
  try {
    return fs.statSync(paths[0]).isFile();
  } catch {
    return false;
  }
}

/** `pods/a svc/b` in argument order, with the builder's errors for malformed pairs. */
function resourceTuples(args: string[], program: string): TargetRef[] {
  if (!args.every((a) => a.includes('/'))) {
    throw new CliError(
      `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${program} get resource/<resource_name>' instead of '${program} get resource resource/<resource_name>'`,
    );
  }
  return args.map((a) => {
    const parts = a.split('/');
    if (parts.length !== 2 || !parts[0] || !parts[1]) {
      throw new CliError('arguments in resource/name form must have a single resource and name');
    }
    return { info: resolveType(parts[0]), namespace: '', name: parts[1] };
  });
}

function parseSelectors(info: ResourceInfo, labelText: string, fieldText: string) {
  try {
    return { labels: parseSelector(labelText), fields: parseFieldSelector(fieldText, info.resource) };
  } catch (e) {
    if (e instanceof SelectorParseError || e instanceof FieldSelectorError) {
      return { error: selectorError(info, labelText, fieldText, e.message) };
    }
    throw e;
  }
}

/**
 * Resolve the arguments as the builder does, throwing its errors (CliError) before anything is
 * read from the cluster. Bad documents in -f files become error steps, reported in turn.
 */
export function planTargets(o: TargetOptions): TargetPlan {
  const namespaceOf = (info: ResourceInfo) => (info.namespaced ? o.namespace : '');
  if (o.filenames.length > 0) {
    if (o.args.length > 0) {
      throw new CliError('when paths, URLs, or stdin is provided as input, you may not specify resource arguments as well');
    }
    // Standard input can be read once; both readings below see the same text.
    let stdin: string | undefined;
    const io: IO = { ...o.io, readStdin: () => (stdin ??= o.io.readStdin()) };
    const written = o.local ? readManifestEntries(io, o.filenames, o.recursive) : [];
    const steps: Step[] = mapManifestObjects(io, o.filenames, o.recursive, o.namespace, o.namespaceExplicit, { typed: o.typed }).map((m, i) => {
      if (m.error || !m.info) return { kind: 'error', error: m.error! };
      const ns = m.info.namespaced ? m.object.metadata.namespace ?? o.namespace : '';
      const entry = written[i];
      if (entry && 'object' in entry && !(entry.object.metadata as { namespace?: string } | undefined)?.namespace) {
        delete m.object.metadata.namespace;
      }
      return { kind: 'ref', ref: { info: m.info, namespace: ns, name: m.object.metadata.name ?? '', fileObject: m.object } };
    });
    return { steps, singleItemImplied: isSingleFile(o.filenames, o.recursive) };
  }

  const slashForm = o.args.some((a) => a.includes('/'));
  const tuples = slashForm ? resourceTuples(o.args, o.program) : [];
  const parsed = slashForm ? undefined : parseResourceArgs(o.args, o.program);
  const bareTypes = !!parsed && parsed.requests.length > 0 && parsed.requests.every((r) => r.names.length === 0);
  const selecting = o.selector !== '' || o.fieldSelector !== '' || (bareTypes && o.all);

  if (selecting) {
    if (parsed?.requests.some((r) => r.names.length > 0)) throw new CliError('name cannot be provided when a selector is specified');
    if (slashForm) throw new CliError('selectors and the all flag cannot be used when passing resource/name arguments');
    if (!parsed || parsed.requests.length === 0) throw new CliError('at least one resource must be specified to use a selector');
    const steps: Step[] = parsed.requests.map((r) => {
      const s = parseSelectors(r.info, o.selector, o.fieldSelector);
      return 'error' in s ? { kind: 'error', error: s.error! } : { kind: 'list', info: r.info, labels: s.labels, fields: s.fields };
    });
    return { steps, singleItemImplied: false };
  }
  if (slashForm || parsed!.requests.some((r) => r.names.length > 0)) {
    if (o.allNamespaces) throw new CliError('a resource cannot be retrieved by name across all namespaces');
    const refs = slashForm
      ? tuples.map((t) => ({ ...t, namespace: namespaceOf(t.info) }))
      : parsed!.requests.flatMap((r) => r.names.map((name) => ({ info: r.info, namespace: namespaceOf(r.info), name })));
    return {
      steps: refs.map((ref) => ({ kind: 'ref', ref })),
      singleItemImplied: slashForm ? tuples.length === 1 : parsed!.singleItem,
    };
  }
  if (bareTypes) throw new CliError('resource(s) were provided, but no name was specified');
  throw new CliError(MISSING_RESOURCES);
}

/**
 * Visit the plan against the cluster: named objects are fetched (NotFound when missing), selectors
 * list, -f objects are fetched when `latest` (the builder's Latest()) or used as the file has them.
 * Without a cluster (`--local`) only file objects can be visited.
 */
export function visitTargets(
  plan: TargetPlan,
  state: ClusterState | undefined,
  o: { allNamespaces: boolean; namespace: string; latest: boolean; now: Date },
): Visited[] {
  const out: Visited[] = [];
  for (const step of plan.steps) {
    if (step.kind === 'error') {
      out.push({ error: step.error });
    } else if (step.kind === 'ref' && step.ref.fileObject && !o.latest) {
      out.push({ ref: step.ref, object: step.ref.fileObject });
    } else if (!state) {
      throw new Error('visiting objects on the server needs the cluster state');
    } else if (step.kind === 'list') {
      const ns = o.allNamespaces ? undefined : o.namespace;
      for (const object of listObjects(state, step.info, ns, step.labels, step.fields, o.now)) {
        out.push({ ref: { info: step.info, namespace: object.metadata.namespace ?? '', name: object.metadata.name! }, object });
      }
    } else {
      const { info, namespace, name } = step.ref;
      if (!name) {
        // An object from -f without a name: client-go refuses to fetch it.
        out.push({ error: new CliError(EMPTY_NAME) });
        continue;
      }
      const live = state.get(info.resource, namespace, name);
      out.push(live ? { ref: step.ref, object: withTypeMeta(info, live) } : { error: notFound(info, name) });
    }
  }
  return out;
}

function withTypeMeta(info: ResourceInfo, o: KObject): KObject {
  return o.apiVersion && o.kind ? o : { ...o, apiVersion: apiVersionOf(info), kind: info.kind };
}

// ------------------------------------------------------------------ KEY=VALUE arguments

/**
 * cmdutil.GetResourcesAndPairs: arguments up to the first `k=v` or `k-` name resources; the rest
 * must all be pairs.
 */
export function splitResourcesAndPairs(args: string[], pairType: string): { resources: string[]; pairs: string[] } {
  const resources: string[] = [];
  const pairs: string[] = [];
  for (const s of args) {
    const isPair = (s.includes('=') && s[0] !== '=') || (s.endsWith('-') && s !== '-');
    if (isPair) pairs.push(s);
    else if (pairs.length > 0) throw new CliError(`all resources must be specified before ${pairType} changes: ${s}`);
    else resources.push(s);
  }
  return { resources, pairs };
}

/**
 * cmdutil.ParsePairs: `k=v` (split at the first `=`) to set, `k-` to remove when supported.
 * Keys keep the order of the command line (Go's map order is random; this is one of its orders).
 */
export function parsePairs(pairs: string[], pairType: string, supportRemove: boolean): { set: Map<string, string>; remove: string[] } {
  const set = new Map<string, string>();
  const remove: string[] = [];
  const invalid: string[] = [];
  for (const p of pairs) {
    if (p.includes('=') && p[0] !== '=') {
      const eq = p.indexOf('=');
      set.set(p.slice(0, eq), p.slice(eq + 1));
    } else if (supportRemove && p.endsWith('-') && p !== '-') {
      remove.push(p.slice(0, -1));
    } else {
      invalid.push(p);
    }
  }
  if (invalid.length > 0) throw new CliError(`invalid ${pairType} format: ${invalid.join(', ')}`);
  return { set, remove };
}
