/**
 * `kfake get`: tables, names, YAML/JSON, JSONPath and custom columns, like kubectl get
 * (staging/src/k8s.io/kubectl/pkg/cmd/get/get.go) against a server that returns Tables.
 */
import { badRequest, CliError, MultiError, notFound } from '../api/errors.ts';
import { apiVersionOf, infoForObject, type ResourceInfo } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';
import { isExpiredEvent } from '../cluster/session.ts';
import { flag, type CommandDef, type Invocation } from '../cli/command.ts';
import { commandContext } from '../cli/context.ts';
import { forDisplay, parseOutput, printObjects } from '../cli/output.ts';
import { checkNames, parseResourceArgs, type ResourceRequest } from '../cli/resources.ts';
import { mapManifestObjects, type MappedObject } from '../cli/manifests.ts';
import { findResults, parseJsonPathExpression, relaxedJsonPathExpression } from '../printers/jsonpath.ts';
import { renderCustomColumns } from '../printers/custom-columns.ts';
import { printerFor } from '../printers/columns/index.ts';
import { buildTable, formatTable, type Table, type TableRow } from '../printers/table.ts';
import { matches, parseSelector, SelectorParseError, type Selector } from '../selectors/labels.ts';
import { FieldSelectorError, matchesFields, parseFieldSelector, type FieldRequirement } from '../selectors/fields.ts';
import type { ClusterState } from '../store/state.ts';
import { naturalLess } from '../util/natural.ts';

export const FILENAME_FLAGS = [
  flag.stringSlice('filename', 'Filename, directory, or URL to files identifying the resource to get from a server.', { short: 'f' }),
  flag.bool('recursive', 'Process the directory used in -f, --filename recursively. Useful when you want to manage related manifests organized within the same directory.', { short: 'R' }),
  flag.string('kustomize', 'Process the kustomization directory. This flag can\'t be used together with -f or -R.', { short: 'k' }),
];

export const getCommand: CommandDef = {
  name: 'get',
  short: 'Display one or many resources',
  group: 'Basic Commands (Intermediate):',
  long: `Display one or many resources.

 Prints a table of the most important information about the specified resources. You can filter the list using a label selector and the --selector flag. If the desired resource type is namespaced you will only see results in the current namespace if you don't specify any namespace.

Use "kfake api-resources" for a complete list of supported resources.`,
  example: `  # List all pods in ps output format
  kfake get pods
  
  # List all pods in ps output format with more information (such as node name)
  kfake get pods -o wide
  
  # List deployments in JSON output format, in the "v1" version of the "apps" API group
  kfake get deployments.v1.apps -o json
  
  # List a single pod in JSON output format
  kfake get -o json pod web-pod-13je7
  
  # List a pod identified by type and name specified in "pod.yaml" in JSON output format
  kfake get -f pod.yaml -o json
  
  # Return only the cluster IP of a service
  kfake get svc web -o jsonpath='{.spec.clusterIP}'
  
  # List resource information in custom columns
  kfake get pod test-pod -o custom-columns=CONTAINER:.spec.containers[0].name,IMAGE:.spec.containers[0].image
  
  # List all replication controllers and services together in ps output format
  kfake get rc,services
  
  # List one or more resources by their type and names
  kfake get svc/frontend pods/web-pod-13je7
  
  # List all pods existing in all namespaces
  kfake get pods --all-namespaces`,
  usage:
    'get [(-o|--output=)json|yaml|name|go-template|go-template-file|template|templatefile|jsonpath|jsonpath-as-json|jsonpath-file|custom-columns|custom-columns-file|wide] (TYPE[.VERSION][.GROUP] [NAME | -l label] | TYPE[.VERSION][.GROUP]/NAME ...) [flags] [options]',
  flags: [
    flag.bool('all-namespaces', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even if specified with --namespace.', { short: 'A' }),
    flag.bool('allow-missing-template-keys', 'If true, ignore any errors in templates when a field or map key is missing in the template. Only applies to golang and jsonpath output formats.', { default: true }),
    flag.int('chunk-size', 'Return large lists in chunks rather than all at once. Pass 0 to disable. This flag is beta and may change in the future.', { default: 500 }),
    flag.string('field-selector', "Selector (field query) to filter on, supports '=', '==', and '!='.(e.g. --field-selector key1=value1,key2=value2). The server only supports a limited number of field queries per type."),
    ...FILENAME_FLAGS,
    flag.bool('ignore-not-found', 'If the requested object does not exist the command will return exit code 0.'),
    flag.stringSlice('label-columns', 'Accepts a comma separated list of labels that are going to be presented as columns. Names are case-sensitive. You can also use multiple flag options like -L label1 -L label2...', { short: 'L' }),
    flag.bool('no-headers', 'When using the default or custom-column output format, don\'t print headers (default print headers).'),
    flag.string('output', 'Output format. One of: (json, yaml, name, go-template, go-template-file, template, templatefile, jsonpath, jsonpath-as-json, jsonpath-file, custom-columns, custom-columns-file, wide).', { short: 'o' }),
    flag.bool('output-watch-events', 'Output watch event objects when --watch or --watch-only is used. Existing objects are output as initial ADDED events.'),
    flag.string('label-selector', '', { hidden: true }),
    flag.string('selector', 'Selector (label query) to filter on, supports \'=\', \'==\', \'!=\', \'in\', \'notin\'.(e.g. -l key1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label constraints.', { short: 'l' }),
    flag.bool('server-print', 'If true, have the server return the appropriate table output. Supports extension APIs and CRDs.', { default: true }),
    flag.bool('show-kind', 'If present, list the resource type for the requested object(s).'),
    flag.bool('show-labels', 'When printing, show all labels as the last column (default hide labels column)'),
    flag.bool('show-managed-fields', 'If true, keep the managedFields when printing objects in JSON or YAML format.'),
    flag.string('sort-by', "If non-empty, sort list types using this field specification.  The field specification is expressed as a JSONPath expression (e.g. '{.metadata.name}'). The field in the API resource specified by this JSONPath expression must be an integer or a string."),
    flag.string('subresource', 'If specified, gets the subresource of the requested object.'),
    flag.string('template', 'Template string or path to template file to use when -o=go-template, -o=go-template-file. The template format is golang templates [http://golang.org/pkg/text/template/#pkg-overview].'),
    flag.bool('watch', 'After listing/getting the requested object, watch for changes.', { short: 'w' }),
    flag.bool('watch-only', 'Watch for changes to the requested object(s), without listing/getting first.'),
  ],
  run: runGet,
};

/** The group/version/resource text the apiserver puts in selector errors (`/v1, Resource=pods`). */
function gvrText(info: ResourceInfo): string {
  return `${info.group}/${info.version}, Resource=${info.resource}`;
}

export function selectorError(info: ResourceInfo, label: string, field: string, detail: string): Error {
  return badRequest(`Unable to find "${gvrText(info)}" that match label selector "${label}", field selector "${field}": ${detail}`);
}

export interface Fetched {
  info: ResourceInfo;
  objects: KObject[];
  /** The table, already built while the objects were streamed (big listings). */
  table?: Table;
}

/**
 * A listing's table built while the objects stream past in chunks, keeping only each row's
 * cells and the few fields kubectl's decorations read: memory stays bounded by a chunk.
 */
function streamTable(
  state: ClusterState,
  info: ResourceInfo,
  namespace: string | undefined,
  fields: FieldRequirement[],
  now: Date,
): Table {
  const rows: TableRow[] = [];
  const columns = buildTable(info.resource, [], now).columns;
  const printer = printerFor(info.resource);
  const stored = printer.stored;
  if (stored && fields.length === 0) {
    // The store keeps this kind's rows beside the objects: read those, and decode an object
    // only when its line has none (written by an older kfake).
    const apiVersion = apiVersionOf(info);
    state.scanSummaries(info.resource, info.namespaced ? namespace : undefined, (ns, name, summary, object) => {
      const cells = stored.cells(summary.w, name, now) ?? printer.cells(object(), now);
      rows.push({ cells, object: { apiVersion, kind: info.kind, metadata: { name, namespace: ns || undefined, labels: summary.l } } });
    });
    return { resource: info.resource, columns, rows };
  }
  let chunk: KObject[] = [];
  const flush = () => {
    for (const r of buildTable(info.resource, chunk, now).rows) {
      const m = r.object.metadata;
      rows.push({ cells: r.cells, object: { apiVersion: r.object.apiVersion, kind: r.object.kind, metadata: { name: m.name, namespace: m.namespace, labels: m.labels } } });
    }
    chunk = [];
  };
  state.scan(info.resource, info.namespaced ? namespace : undefined, (o) => {
    if (fields.length && !matchesFields(fields, o)) return;
    if (info.resource === 'events' && isExpiredEvent(state, o as never, now)) return;
    chunk.push(withTypeMeta(info, o));
    if (chunk.length >= 512) flush();
  });
  flush();
  return { resource: info.resource, columns, rows };
}

/** Objects of one resource matching the selectors, in etcd order, without expired events. */
export function listObjects(
  state: ClusterState,
  info: ResourceInfo,
  namespace: string | undefined,
  labels: Selector,
  fields: FieldRequirement[],
  now: Date,
): KObject[] {
  const ns = info.namespaced ? namespace : undefined;
  let objs = labels.length ? state.select(info.resource, ns, labels) : state.list(info.resource, ns);
  if (fields.length) objs = objs.filter((o) => matchesFields(fields, o));
  if (info.resource === 'events') objs = objs.filter((o) => !isExpiredEvent(state, o as never, now));
  return objs.map((o) => withTypeMeta(info, o));
}

/** List items come back from the server without apiVersion/kind; kubectl puts them back. */
function withTypeMeta(info: ResourceInfo, o: KObject): KObject {
  return o.apiVersion && o.kind ? o : { ...o, apiVersion: apiVersionOf(info), kind: info.kind };
}

/** kubectl's RuntimeSort: numbers numerically, strings in natural order, missing values first. */
function sortObjects(objects: KObject[], field: string): KObject[] {
  const expr = relaxedJsonPathExpression(field);
  const tpl = parseJsonPathExpression('sorting', expr);
  const keyed = objects.map((o, i) => {
    const results = findResults(tpl, o, { allowMissingKeys: true });
    return { o, i, v: results[0]?.[0] };
  });
  if (objects.length > 0 && keyed.every((k) => k.v === undefined)) {
    throw new CliError(`couldn't find any field with path "${expr}" in the list of objects`);
  }
  const less = (a: unknown, b: unknown): boolean => {
    if (a === undefined) return b !== undefined;
    if (b === undefined) return false;
    if (typeof a === 'number' && typeof b === 'number') return a < b;
    return naturalLess(String(a), String(b));
  };
  return keyed
    .sort((x, y) => (less(x.v, y.v) ? -1 : less(y.v, x.v) ? 1 : x.i - y.i))
    .map((k) => k.o);
}

async function runGet(inv: Invocation): Promise<void> {
  const f = inv.flags;
  const ctx = commandContext(inv);
  if (f.watch || f['watch-only']) {
    throw new CliError('watching is not supported: kfake has no running server to stream changes from');
  }
  if (f.kustomize) throw new CliError('kustomize is not supported by kfake');
  if (f.subresource) throw new CliError('--subresource is not supported by kfake');
  const format = parseOutput(f.output as string, { forGet: true, template: f.template as string })!;
  // GetOptions.Validate: the -o value as given
  if (f['show-labels'] && format.kind !== 'table') {
    throw new CliError(`--show-labels option cannot be used with ${f.output as string} printer`);
  }
  if (f['output-watch-events']) throw new CliError('--output-watch-events option can only be used with --watch or --watch-only');
  const filenames = f.filename as string[];
  if (inv.args.length === 0 && filenames.length === 0) {
    throw new CliError(
      `You must specify the type of resource to get. Use "${inv.program} api-resources" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse "${inv.program} explain <resource>" for a detailed description of that resource (e.g. ${inv.program} explain pods).`,
      { usageCommand: 'get', raw: true },
    );
  }
  const allNamespaces = f['all-namespaces'] as boolean;
  const labelText = (f.selector as string) || (f['label-selector'] as string);
  const fieldText = f['field-selector'] as string;
  const ignoreNotFound = f['ignore-not-found'] as boolean;
  const namespace = allNamespaces ? undefined : ctx.namespace;

  let requests: ResourceRequest[] = [];
  let multipleTypes = false;
  let singleItem = false;
  let fromFiles: MappedObject[] | undefined;
  if (filenames.length) {
    if (inv.args.length) throw new CliError('Unexpected args: ' + JSON.stringify(inv.args).replace(/","/g, ' ').replace(/[[\]"]/g, (c) => (c === '"' ? '' : c)));
    fromFiles = mapManifestObjects(inv.io, filenames, f.recursive as boolean, ctx.namespace, ctx.namespaceExplicit);
  } else {
    const parsed = parseResourceArgs(inv.args, inv.program);
    checkNames(parsed, { selector: !!labelText?.trim() || !!fieldText?.trim(), allNamespaces });
    requests = parsed.requests;
    multipleTypes = parsed.multipleTypes;
    singleItem = parsed.singleItem;
  }

  const state = await ctx.session.read();
  const now = ctx.session.now();
  const errors: Error[] = [];
  const fetched: Fetched[] = [];
  const add = (info: ResourceInfo, o: KObject) => {
    const last = fetched[fetched.length - 1];
    if (last && last.info === info) last.objects.push(o);
    else fetched.push({ info, objects: [o] });
  };

  if (fromFiles) {
    singleItem = fromFiles.length === 1;
    // The builder's visit errors are one aggregate inside the command's (Infos(), then
    // NewAggregate(allErrs)), so even a single one is printed without kubectl's `error: `.
    const visitErrors: Error[] = [];
    for (const m of fromFiles) {
      if (m.error || !m.info) {
        visitErrors.push(m.error!);
        continue;
      }
      const info = m.info;
      const ns = info.namespaced ? m.object.metadata.namespace || ctx.namespace : '';
      const name = m.object.metadata.name;
      if (!name) {
        // Latest() fetches the object by name; with none, the GET goes to the collection, which a
        // real API server answers with every object of the kind in the namespace.
        for (const live of state.list(info.resource, info.namespaced ? ns : undefined)) add(info, withTypeMeta(info, live));
        continue;
      }
      const live = state.get(info.resource, ns, name);
      if (live) add(info, withTypeMeta(info, live));
      else if (!ignoreNotFound) visitErrors.push(notFound(info, name));
    }
    if (visitErrors.length) errors.push(new MultiError(visitErrors));
    multipleTypes = new Set(fetched.map((x) => x.info)).size > 1;
  } else {
    for (const req of requests) {
      if (req.names.length) {
        for (const name of req.names) {
          const live = state.get(req.info.resource, req.info.namespaced ? ctx.namespace : '', name);
          if (live && !(req.info.resource === 'events' && isExpiredEvent(state, live as never, now))) {
            add(req.info, withTypeMeta(req.info, live));
          } else if (!ignoreNotFound) errors.push(notFound(req.info, name));
        }
        continue;
      }
      let labels: Selector;
      let fields: FieldRequirement[];
      try {
        labels = parseSelector(labelText);
        fields = parseFieldSelector(fieldText, req.info.resource);
      } catch (e) {
        if (e instanceof SelectorParseError || e instanceof FieldSelectorError) {
          throw selectorError(req.info, labelText, fieldText, e.message);
        }
        throw e;
      }
      if (format.kind === 'table' && !f['sort-by'] && labels.length === 0) {
        const table = streamTable(state, req.info, namespace, fields, now);
        if (table.rows.length) fetched.push({ info: req.info, objects: [], table });
        continue;
      }
      const objs = listObjects(state, req.info, namespace, labels, fields, now);
      if (objs.length) fetched.push({ info: req.info, objects: objs });
    }
  }

  const sortBy = f['sort-by'] as string;
  let groups = fetched;
  if (sortBy) {
    const all = sortObjects(
      fetched.flatMap((g) => g.objects),
      sortBy,
    );
    groups = [];
    for (const o of all) {
      const info = infoForObject(o.apiVersion, o.kind)!;
      const last = groups[groups.length - 1];
      if (last && last.info === info) last.objects.push(o);
      else groups.push({ info, objects: [o] });
    }
  }
  const objects = groups.flatMap((g) => g.objects).map((o) => forDisplay(o, f['show-managed-fields'] as boolean));
  const allowMissing = f['allow-missing-template-keys'] as boolean;

  if (format.kind === 'table') {
    const showKind = (f['show-kind'] as boolean) || multipleTypes || new Set(groups.map((g) => g.info)).size > 1;
    const tables = groups.map((g) =>
      formatTable(g.table ?? buildTable(g.info.resource, g.objects, now), {
        wide: format.wide,
        noHeaders: f['no-headers'] as boolean,
        showNamespace: allNamespaces,
        showKind,
        showLabels: f['show-labels'] as boolean,
        labelColumns: f['label-columns'] as string[],
      }),
    );
    // One blank line between tables that have headers; none with --no-headers.
    const text = tables.filter(Boolean).join(f['no-headers'] ? '' : '\n');
    inv.io.out(text);
    if (!text && !ignoreNotFound && errors.length === 0) {
      const namespaced = !allNamespaces && (fromFiles ? true : requests.every((r) => r.info.namespaced));
      inv.io.err(namespaced ? `No resources found in ${ctx.namespace} namespace.\n` : 'No resources found\n');
    }
  } else if ((singleItem || ignoreNotFound) && objects.length === 0) {
    // printGeneric prints nothing, not even an empty List or the column headers, when the one
    // object named was not found or when --ignore-not-found left nothing.
  } else if (format.kind === 'custom-columns') {
    const noHeaders = (f['no-headers'] as boolean) && !(f.output as string).startsWith('custom-columns-file');
    const { output, error } = renderCustomColumns(format.columns, objects, { noHeaders });
    inv.io.out(output);
    if (error) errors.push(error);
  } else {
    inv.io.out(printObjects(objects, format, singleItem, allowMissing));
  }
  if (errors.length) throw new MultiError(errors);
}
