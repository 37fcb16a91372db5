/**
 * Turning `TYPE[,TYPE] [NAME...]`, `TYPE/NAME...` and `all` into what to fetch, with kubectl's
 * resource builder errors (staging/src/k8s.io/cli-runtime/pkg/resource/builder.go).
 */
import { CliError } from '../api/errors.ts';
import { resolveResourceArg, resourcesInCategory, type ResourceInfo } from '../api/registry.ts';

export interface ResourceRequest {
  info: ResourceInfo;
  /** Names to get; empty means "list". */
  names: string[];
}

export interface ParsedResourceArgs {
  requests: ResourceRequest[];
  /** More than one type was asked for (kubectl's MultipleTypesRequested: prefix NAME with the kind). */
  multipleTypes: boolean;
  /** Exactly one object named (so -o yaml prints it bare instead of in a List). */
  singleItem: boolean;
  /** Given in resource/name form (or as `a,b NAME`, which the builder turns into that form). */
  tuples?: boolean;
}

/**
 * The builder's checks of names against selectors and scope, in its order (visitBySelector,
 * then visitByResource / visitByName): no names with a label or field selector, and no name of
 * a namespaced kind across all namespaces (a cluster-scoped kind is fine).
 */
export function checkNames(parsed: ParsedResourceArgs, opts: { selector: boolean; allNamespaces: boolean }): void {
  const named = parsed.requests.filter((r) => r.names.length > 0);
  if (named.length === 0) return;
  if (opts.selector) {
    throw new CliError(
      parsed.tuples ? 'selectors and the all flag cannot be used when passing resource/name arguments' : 'name cannot be provided when a selector is specified',
    );
  }
  if (opts.allNamespaces && named.some((r) => r.info.namespaced)) throw new CliError('a resource cannot be retrieved by name across all namespaces');
}

/** Resolve one type as the server's discovery would, or fail like kubectl. */
export function resolveType(arg: string): ResourceInfo {
  const info = resolveResourceArg(arg);
  if (!info) {
    const shown = arg.includes('.') ? arg.slice(0, arg.indexOf('.')) : arg;
    throw new CliError(`the server doesn't have a resource type "${shown}"`);
  }
  return info;
}

/**
 * SplitResourceArgument: the comma list as written, repeats dropped; an empty entry stays (and
 * is then no resource type the server has).
 */
function splitTypes(arg: string): string[] {
  return [...new Set(arg.split(','))];
}

function expandTypes(arg: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const t of splitTypes(arg)) {
    // Each type of the list goes through the category expander (builder.ReplaceAliases), so
    // `all,endpoints` is every type of the `all` category, then endpoints.
    const list = t === 'all' ? resourcesInCategory('all') : [resolveType(t)];
    for (const info of list) if (!out.includes(info)) out.push(info);
  }
  return out;
}

export function parseResourceArgs(args: string[], program: string): ParsedResourceArgs {
  if (args.length === 0) return { requests: [], multipleTypes: false, singleItem: false };
  if (args.length >= 2 && splitTypes(args[0]).length > 1) {
    // normalizeMultipleResourcesArgs: `a,b x y` is `a/x a/y b/x b/y`
    args = splitTypes(args[0]).flatMap((t) => args.slice(1).map((name) => `${t}/${name}`));
  }
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) {
      throw new CliError(
        `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${program} get resource/<resource_name>' instead of '${program} get resource resource/<resource_name>'`,
      );
    }
    const requests: ResourceRequest[] = [];
    for (const a of args) {
      // splitResourceTypeName
      const parts = a.split('/');
      if (parts.length !== 2) throw new CliError('arguments in resource/name form may not have more than one slash');
      if (!parts[0] || !parts[1] || splitTypes(parts[0]).length !== 1) {
        throw new CliError('arguments in resource/name form must have a single resource and name');
      }
      const info = resolveType(parts[0]);
      const existing = requests.find((r) => r.info === info);
      if (existing) existing.names.push(parts[1]);
      else requests.push({ info, names: [parts[1]] });
    }
    const kinds = new Set(requests.map((r) => r.info));
    return { requests, multipleTypes: kinds.size > 1, singleItem: args.length === 1, tuples: true };
  }
  const types = expandTypes(args[0]);
  const names = args.slice(1);
  if (args[0] === 'all' && names.length > 0) throw new CliError('you must specify only one resource');
  const multipleTypes = args[0] === 'all' || splitTypes(args[0]).length > 1;
  return {
    requests: types.map((info) => ({ info, names: [...names] })),
    multipleTypes,
    singleItem: types.length === 1 && names.length === 1,
  };
}
