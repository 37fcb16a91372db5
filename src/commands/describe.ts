/**
 * `kfake describe`: kubectl's describers over the store (staging/src/k8s.io/kubectl/pkg/cmd/describe).
 * A name that matches nothing exactly describes every object whose name starts with it.
 */
import { CliError, MultiError, notFound } from '../api/errors.ts';
import { infoForObject, type ResourceInfo } from '../api/registry.ts';
import type { Event, KObject } from '../api/types.ts';
import { isExpiredEvent } from '../cluster/session.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { EMPTY_NAME, mapManifestObjects } from '../cli/manifests.ts';
import { checkNames, parseResourceArgs } from '../cli/resources.ts';
import { describeObject, type DescribeContext } from '../printers/describe/index.ts';
import { parseSelector, SelectorParseError } from '../selectors/labels.ts';
import type { ClusterState } from '../store/state.ts';
import { FILENAME_FLAGS, listObjects, selectorError } from './get.ts';

export const describeCommand: CommandDef = {
  name: 'describe',
  short: 'Show details of a specific resource or group of resources',
  group: 'Troubleshooting and Debugging Commands:',
  long: `Show details of a specific resource or group of resources.

 Print a detailed description of the selected resources, including related resources such as events or controllers. You may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:

        $ kfake describe TYPE NAME_PREFIX
        
 will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for every resource that has a name prefixed with NAME_PREFIX.

Use "kfake api-resources" for a complete list of supported resources.`,
  example: `  # Describe a node
  kfake describe nodes kfake-worker
  
  # Describe a pod
  kfake describe pods/nginx
  
  # Describe a pod identified by type and name in "pod.json"
  kfake describe -f pod.json
  
  # Describe all pods
  kfake describe pods
  
  # Describe pods by label name=myLabel
  kfake describe pods -l name=myLabel
  
  # Describe all pods managed by the 'frontend' replication controller
  # (rc-created pods get the name of the rc as a prefix in the pod name)
  kfake describe pods frontend`,
  usage: 'describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [flags] [options]',
  flags: [
    flag.bool('all-namespaces', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.', { short: 'A' }),
    flag.int('chunk-size', 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.', { default: 500 }),
    ...FILENAME_FLAGS,
    flag.string('selector', 'Selector (label query) to filter on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.', { short: 'l' }),
    flag.bool('show-events', 'If true, display events related to the described object.', { default: true }),
  ],
  run: runDescribe,
};

/** The store seen the way kubectl's describers query the API server. */
export function describeContext(state: ClusterState, now: Date, showEvents = true): DescribeContext {
  return {
    now,
    showEvents,
    get: (resource, namespace, name) => state.get(resource, namespace, name),
    list: (resource, namespace, selector) =>
      selector && selector.length ? state.select(resource, namespace, selector) : state.list(resource, namespace),
    events: (ref) => {
      if (!showEvents) return [];
      const ns = ref.namespace || undefined;
      return state
        .where<Event>('events', ns, (s) => !!s.i && s.i[1] === ref.name && (ref.kind === undefined || s.i[0] === ref.kind) && (ref.uid === undefined || s.i[2] === ref.uid))
        .filter((e) => (e.involvedObject.namespace ?? '') === (ref.namespace ?? '') || !ref.namespace)
        .filter((e) => !isExpiredEvent(state, e, now));
    },
  };
}

async function runDescribe(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const ctx = commandContext(inv);
  const filenames = f.filename as string[];
  if (inv.args.length === 0 && filenames.length === 0) {
    throw new CliError(
      `You must specify the type of resource to describe. Use "${inv.program} api-resources" for a complete list of supported resources.`,
    );
  }
  const allNamespaces = f['all-namespaces'] as boolean;
  const state = await ctx.session.read();
  const now = ctx.session.now();
  const dctx = describeContext(state, now, f['show-events'] as boolean);
  const errors: Error[] = [];
  const targets: { info: ResourceInfo; obj: KObject }[] = [];

  if (filenames.length) {
    // Reading errors are the builder's aggregate inside the command's (printed without `error: `);
    // what the describer meets is added on its own.
    const visitErrors: Error[] = [];
    for (const m of mapManifestObjects(inv.io, filenames, f.recursive as boolean, ctx.namespace, ctx.namespaceExplicit)) {
      if (m.error || !m.info) {
        visitErrors.push(m.error!);
        continue;
      }
      const obj = m.object;
      const info = m.info;
      if (!obj.metadata.name) {
        errors.push(new CliError(EMPTY_NAME));
        continue;
      }
      const live = state.get(info.resource, info.namespaced ? obj.metadata.namespace || ctx.namespace : '', obj.metadata.name);
      if (live) targets.push({ info, obj: live });
      else errors.push(notFound(info, obj.metadata.name));
    }
    if (visitErrors.length) errors.unshift(new MultiError(visitErrors));
  } else {
    const parsed = parseResourceArgs(inv.args, inv.program);
    const { requests } = parsed;
    const labelText = f.selector as string;
    checkNames(parsed, { selector: !!labelText?.trim(), allNamespaces });
    for (const req of requests) {
      const ns = req.info.namespaced ? ctx.namespace : '';
      if (req.names.length === 0) {
        let sel;
        try {
          sel = parseSelector(labelText);
        } catch (e) {
          if (e instanceof SelectorParseError) throw selectorError(req.info, labelText, '', e.message);
          throw e;
        }
        for (const obj of listObjects(state, req.info, allNamespaces ? undefined : ctx.namespace, sel, [], now)) {
          targets.push({ info: req.info, obj });
        }
        continue;
      }
      for (const name of req.names) {
        const live = state.get(req.info.resource, ns, name);
        if (live) {
          targets.push({ info: req.info, obj: live });
          continue;
        }
        // `describe TYPE NAME` with no exact match describes every object whose name starts with
        // NAME, each followed by a newline (DescribeMatchingResources).
        if (inv.args.length === 2 && requests.length === 1) {
          const prefixed = state
            .list(req.info.resource, req.info.namespaced ? ctx.namespace : undefined)
            .filter((o) => o.metadata.name!.startsWith(name));
          if (prefixed.length === 0) throw notFound(req.info, name);
          inv.io.out(prefixed.map((o) => `${describeObject(req.info.resource, o, dctx)}\n`).join(''));
          return;
        }
        errors.push(notFound(req.info, name));
      }
    }
  }

  const texts = targets.map((t) => describeObject(t.info.resource, t.obj, dctx));
  // Consecutive descriptions are separated by two blank lines.
  inv.io.out(texts.map((t, i) => (i === 0 ? t : `\n\n${t}`)).join(''));
  if (texts.length === 0 && errors.length === 0) {
    inv.io.err(allNamespaces ? 'No resources found\n' : `No resources found in ${ctx.namespace} namespace.\n`);
  }
  if (errors.length) throw new MultiError(errors);
}
