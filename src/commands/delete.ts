/**
 * `kfake delete`: by file, by TYPE NAME or TYPE/NAME, by selector or --all
 * (staging/src/k8s.io/kubectl/pkg/cmd/delete/delete.go). Dependents go with their owner
 * (background cascading) unless --cascade=orphan; deletion completes before kfake returns,
 * as `kubectl delete` waits for it.
 */
import { CliError, MultiError, StatusError, notFound } from '../api/errors.ts';
import { kindPrefix, RESOURCES, type ResourceInfo } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';
import { deleteObject, type ApiContext } from '../apiserver/api.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { EMPTY_NAME, mapManifestObjects } from '../cli/manifests.ts';
import { DRY_RUN_FLAG, dryRunStrategy, dryRunSuffix, type DryRun } from '../cli/mutate.ts';
import { objectRef } from '../cli/output.ts';
import { parseResourceArgs } from '../cli/resources.ts';
import { matches, parseSelector, SelectorParseError, type Selector } from '../selectors/labels.ts';
import { FieldSelectorError, matchesFields, parseFieldSelector } from '../selectors/fields.ts';
import { FILENAME_FLAGS, selectorError } from './get.ts';

export const deleteCommand: CommandDef = {
  name: 'delete',
  short: 'Delete resources by file names, stdin, resources and names, or by resources and label selector',
  group: 'Basic Commands (Intermediate):',
  long: `Delete resources by file names, stdin, resources and names, or by resources and label selector.

 JSON and YAML formats are accepted. Only one type of argument may be specified: file names, resources and names, or resources and label selector.

 Note that the delete command does NOT do resource version checks, so if someone submits an update to a resource right when you submit a delete, their update will be lost along with the rest of the resource.`,
  example: `  # Delete a pod using the type and name specified in pod.json
  kfake delete -f ./pod.json
  
  # Delete pods and services with same names "baz" and "foo"
  kfake delete pod,service baz foo
  
  # Delete pods and services with label name=myLabel
  kfake delete pods,services -l name=myLabel
  
  # Delete a pod with minimal delay
  kfake delete pod foo --now
  
  # Delete all pods
  kfake delete pods --all`,
  usage: 'delete ([-f FILENAME] | [-k DIRECTORY] | TYPE [(NAME | -l label | --all)]) [flags] [options]',
  flags: [
    flag.bool('all', 'Delete all resources, in the namespace of the specified resource types.'),
    flag.bool('all-namespaces', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.', { short: 'A' }),
    flag.string('cascade', 'Must be "background", "orphan", or "foreground". Selects the deletion cascading strategy for the dependents (e.g. Pods created by a ReplicationController). Defaults to background.', { default: 'background', noOptDefault: 'background' }),
    DRY_RUN_FLAG,
    flag.string('field-selector', "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
    ...FILENAME_FLAGS,
    flag.bool('force', 'If true, immediately remove resources from API and bypass graceful deletion. Note that immediate deletion of some resources may result in inconsistency or data loss and requires confirmation.'),
    flag.int('grace-period', 'Period of time in seconds given to the resource to terminate gracefully. Ignored if negative. Set to 1 for immediate shutdown. Can only be set to 0 when --force is true (force deletion).', { default: -1 }),
    flag.bool('ignore-not-found', 'Treat "resource not found" as a successful delete. Defaults to "true" when --all is specified.'),
    flag.bool('interactive', 'If true, delete resource only when user confirms.', { short: 'i' }),
    flag.bool('now', 'If true, resources are signaled for immediate shutdown (same as --grace-period=1).'),
    flag.string('output', 'Output mode. Use "-o name" for shorter output (resource/name).', { short: 'o' }),
    flag.string('raw', 'Raw URI to DELETE to the server.  Uses the transport specified by the kubeconfig file.'),
    flag.string('selector', 'Selector (label query) to filter on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.', { short: 'l' }),
    flag.string('timeout', 'The length of time to wait before giving up on a delete, zero means determine a timeout from the size of the object', { default: '0s' }),
    flag.bool('wait', 'If true, wait for resources to be gone before returning. This waits for finalizers.', { default: true }),
  ],
  run: runDelete,
};

const NO_RESOURCES = `You must provide one or more resources by argument or filename.
Example resource specifications include:
   '-f rsrc.yaml'
   '--filename=rsrc.json'
   '<resource> <name>'
   '<resource>'`;

interface Target {
  info: ResourceInfo;
  namespace: string;
  name: string;
  /** `-f` source, for "error when deleting" */
  source?: string;
}

/** `service "x" deleted` (v1.32 form, before the namespace suffix of v1.34). */
function deletedLine(info: ResourceInfo, name: string, verb: string, dryRun: DryRun): string {
  return `${kindPrefix(info)} "${name}" ${verb}${dryRunSuffix(dryRun)}\n`;
}

/** --cascade=orphan: the garbage collector strips the owner reference instead of deleting. */
function orphanDependents(api: ApiContext, owner: KObject): void {
  const uid = owner.metadata.uid!;
  for (const info of RESOURCES) {
    for (const dep of api.state.ownedBy(info.resource, owner.metadata.namespace || undefined, uid)) {
      const next = structuredClone(dep);
      next.metadata.ownerReferences = dep.metadata.ownerReferences!.filter((r) => r.uid !== uid);
      if (next.metadata.ownerReferences.length === 0) delete next.metadata.ownerReferences;
      api.state.put(info.resource, next);
    }
  }
}

async function runDelete(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const ctx = commandContext(inv);
  const filenames = f.filename as string[];
  const all = f.all as boolean;
  const labelText = f.selector as string;
  const fieldText = f['field-selector'] as string;
  const allNamespaces = f['all-namespaces'] as boolean;
  const dryRun = dryRunStrategy(f['dry-run'] as string);
  const cascade = f.cascade as string;
  if (!['background', 'orphan', 'foreground', 'true', 'false'].includes(cascade)) {
    throw new CliError(`invalid cascade value (${cascade}). Must be "background", "foreground", or "orphan".`);
  }
  const output = f.output as string;
  if (output && output !== 'name') throw new CliError(`unexpected -o output mode: ${output}. We only support '-o name'`);
  if (f.interactive) throw new CliError('--interactive is not supported by kfake');
  const force = f.force as boolean;
  const grace = f['grace-period'] as number;
  if (grace === 0 && !force) {
    throw new CliError('--grace-period=0 must have --force specified');
  }
  if (all && labelText) throw new CliError('cannot set --all and --selector at the same time');
  if (inv.args.length === 0 && filenames.length === 0) throw new CliError(NO_RESOURCES);

  const ignoreNotFound = (f['ignore-not-found'] as boolean) || (all && !inv.changed.has('ignore-not-found'));
  const parsed = filenames.length ? undefined : parseResourceArgs(inv.args, inv.program);
  const listing = !!parsed && parsed.requests.every((r) => r.names.length === 0);
  if (listing && !all && !labelText && !fieldText) throw new CliError('resource(s) were provided, but no name was specified');
  if (parsed && !listing && (labelText || all)) throw new CliError('name cannot be provided when a selector is specified');

  const forceWarning =
    'Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.\n';
  if (force && grace === 0 && dryRun === 'none') inv.io.err(forceWarning);
  const verb = force && grace === 0 ? 'force deleted' : 'deleted';

  const work = (api: ApiContext) => {
    const lines: string[] = [];
    const errors: Error[] = [];
    const targets: Target[] = [];
    if (filenames.length) {
      for (const m of mapManifestObjects(inv.io, filenames, f.recursive as boolean, ctx.namespace, ctx.namespaceExplicit)) {
        if (m.error || !m.info) {
          errors.push(m.error!);
          continue;
        }
        if (!m.object.metadata.name) {
          errors.push(new CliError(`error when deleting "${m.source}": ${EMPTY_NAME}`));
          continue;
        }
        targets.push({ info: m.info, namespace: m.object.metadata.namespace ?? '', name: m.object.metadata.name, source: m.source });
      }
    } else {
      for (const req of parsed!.requests) {
        const ns = req.info.namespaced ? ctx.namespace : '';
        if (req.names.length) {
          for (const name of req.names) targets.push({ info: req.info, namespace: ns, name });
          continue;
        }
        let labels: Selector;
        try {
          labels = parseSelector(labelText);
          const fields = parseFieldSelector(fieldText, req.info.resource);
          const objs = api.state
            .list(req.info.resource, req.info.namespaced && !allNamespaces ? ctx.namespace : undefined)
            .filter((o) => matches(labels, o.metadata.labels) && matchesFields(fields, o));
          for (const o of objs) targets.push({ info: req.info, namespace: o.metadata.namespace ?? '', name: o.metadata.name! });
        } catch (e) {
          if (e instanceof SelectorParseError || e instanceof FieldSelectorError) throw selectorError(req.info, labelText, fieldText, e.message);
          throw e;
        }
      }
    }
    for (const t of targets) {
      const existing = api.state.get(t.info.resource, t.info.namespaced ? t.namespace : '', t.name);
      if (!existing) {
        if (ignoreNotFound) continue;
        const nf = notFound(t.info, t.name);
        errors.push(t.source ? nf.withMessagePrefix(`error when deleting "${t.source}": `) : nf);
        continue;
      }
      try {
        if (dryRun === 'none' || dryRun === 'server') {
          if (cascade === 'orphan' || cascade === 'false') orphanDependents(api, existing);
          if (dryRun === 'none') deleteObject(api, t.info, t.namespace, t.name);
          else deleteObject({ ...api }, t.info, t.namespace, t.name);
          api.checkpoint?.();
        }
        lines.push(output === 'name' ? `${objectRef(existing)}\n` : deletedLine(t.info, t.name, verb, dryRun));
      } catch (e) {
        if (e instanceof StatusError && t.source) errors.push(e.withMessagePrefix(`error when deleting "${t.source}": `));
        else errors.push(e as Error);
      }
    }
    return { lines, errors, matched: targets.length };
  };

  const result =
    dryRun === 'client'
      ? work({ state: await ctx.session.read(), now: ctx.session.now(), rng: { next: () => 0, int: () => 0 } })
      : await ctx.session.transaction(work, { dryRun: dryRun === 'server' });
  inv.io.out(result.lines.join(''));
  if (result.matched === 0 && result.errors.length === 0 && listing) inv.io.out('No resources found\n');
  if (result.errors.length) throw new MultiError(result.errors);
}
