/**
 * `kfake label`: set or remove labels on existing objects
 * (kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/cmd/label/label.go). Relabelling a pod
 * moves it in or out of the Services that select it, as the endpoints controllers follow.
 */
import { CliError, goQuote, MultiError } from '../api/errors.ts';
import { isValidLabelValue } from '../api/names.ts';
import type { CommandDef } from '../cli/command.ts';
import { changeCauseRecorder, recordFlag } from '../cli/mutate.ts';
import { mapEditFlags, runMapEdit, type MapChanges, type MapEditSpec } from './meta-map-edit.ts';

/** parseLabels: `k=v` (exactly one `=`, a valid label value) or `k-`. */
function parseLabels(pairs: string[]): MapChanges {
  const set = new Map<string, string>();
  const remove: string[] = [];
  for (const spec of pairs) {
    if (spec.includes('=')) {
      const parts = spec.split('=');
      if (parts.length !== 2) throw new CliError(`invalid label spec: ${spec}`);
      const errs = isValidLabelValue(parts[1]);
      if (errs.length) throw new CliError(`invalid label value: ${goQuote(spec)}: ${errs.join(';')}`);
      set.set(parts[0], parts[1]);
    } else {
      remove.push(spec.slice(0, -1));
    }
  }
  if (remove.some((k) => set.has(k))) throw new CliError('can not both modify and remove a label in the same command');
  return { set, remove };
}

const LABEL: MapEditSpec = {
  noun: 'label',
  field: 'labels',
  localExample: 'pod',
  parse: parseLabels,
  listExcludesOutput: true,
  // validateNoOverwrites: one error per label whose value would change.
  overwriteError(current, set) {
    const errs = [...set]
      .filter(([k, v]) => k in current && current[k] !== v)
      .map(([k]) => new CliError(`'${k}' already has a value (${current[k]}), and --overwrite is false`));
    return errs.length ? new MultiError(errs) : undefined;
  },
  // updateDataChangeMsg compares the JSON of the object before and after.
  verb(before, after, overwrite) {
    if (before === after) return 'not labeled';
    return !overwrite && after.length < before.length ? 'unlabeled' : 'labeled';
  },
  reportsMissingKeys: true,
  printsServerObject: false,
};

export const labelCommand: CommandDef = {
  name: 'label',
  short: 'Update the labels on a resource',
  group: 'Settings Commands:',
  long: `Update the labels on a resource.

  *  A label key and value must begin with a letter or number, and may contain letters, numbers, hyphens, dots, and underscores, up to 63 characters each.
  *  Optionally, the key can begin with a DNS subdomain prefix and a single '/', like example.com/my-app.
  *  If --overwrite is true, then existing labels can be overwritten, otherwise attempting to overwrite a label will result in an error.
  *  If --resource-version is specified, then updates will use this resource version, otherwise the existing resource-version will be used.`,
  example: `  # Update pod 'foo' with the label 'unhealthy' and the value 'true'
  kfake label pods foo unhealthy=true
  
  # Update pod 'foo' with the label 'status' and the value 'unhealthy', overwriting any existing value
  kfake label --overwrite pods foo status=unhealthy
  
  # Update all pods in the namespace
  kfake label pods --all status=unhealthy
  
  # Update a pod identified by the type and name in "pod.json"
  kfake label -f pod.json status=unhealthy
  
  # Update pod 'foo' only if the resource is unchanged from version 1
  kfake label pods foo status=unhealthy --resource-version=1
  
  # Update pod 'foo' by removing a label named 'bar' if it exists
  # Does not require the --overwrite flag
  kfake label pods foo bar-`,
  usage: 'label [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: mapEditFlags({
    fieldManager: 'kubectl-label',
    allUsage: 'Select all resources, in the namespace of the specified resource types',
    filenameUsage: 'Filename, directory, or URL to files identifying the resource to update the labels',
    listUsage: 'If true, display the labels for a given resource.',
    localUsage: 'If true, label will NOT contact api-server but run locally.',
    overwriteUsage: 'If true, allow labels to be overwritten, otherwise reject label updates that overwrite existing labels.',
    resourceVersionUsage:
      'If non-empty, the labels update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.',
  }).concat(recordFlag()),
  run: (inv) => runMapEdit(inv, LABEL, changeCauseRecorder(inv)),
};
