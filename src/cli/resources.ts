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

function expandTypes(arg: string): ResourceInfo[] {
  const out: ResourceInfo[] = [];
  for (const t of arg.split(',')) {
    if (t === '') continue;
    // Each type of the list goes through the category expander (builder.ReplaceAliases), so
    // `all,endpoints` is every type of the `all` category, then endpoints.
    const list = t === 'all' ? resourcesInCategory('all') : [resolveType(t)];
    for (const info of list) if (!out.includes(info)) out.push(info);
  }
  return out;
}

export function parseResourceArgs(args: string[], program: string): ParsedResourceArgs {
  if (args.length === 0) return { requests: [], multipleTypes: false, singleItem: false };
  if (args.some((a) => a.includes('/'))) {
    if (!args.every((a) => a.includes('/'))) {
      throw new CliError(
        `there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. '${program} get resource/<resource_name>' instead of '${program} get resource resource/<resource_name>'`,
      );
    }
    const requests: ResourceRequest[] = [];
    for (const a of args) {
      const parts = a.split('/');
      if (parts.length !== 2 || !parts[0] || !parts[1]) {
        throw new CliError('arguments in resource/name form must have a single resource and name');
      }
      const info = resolveType(parts[0]);
      const existing = requests.find((r) => r.info === info);
      if (existing) existing.names.push(parts[1]);
      else requests.push({ info, names: [parts[1]] });
    }
    const kinds = new Set(requests.map((r) => r.info));
    return { requests, multipleTypes: kinds.size > 1, singleItem: args.length === 1 };
  }
  const types = expandTypes(args[0]);
  const names = args.slice(1);
  if (args[0] === 'all' && names.length > 0) throw new CliError('you must specify only one resource');
  const multipleTypes = args[0] === 'all' || args[0].split(',').filter(Boolean).length > 1;
  return {
    requests: types.map((info) => ({ info, names: [...names] })),
    multipleTypes,
    singleItem: types.length === 1 && names.length === 1,
  };
}
