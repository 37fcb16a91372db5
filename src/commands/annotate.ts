/**
 * `kfake annotate`: set or remove annotations on existing objects
 * (kubernetes/kubernetes:staging/src/k8s.io/kubectl/pkg/cmd/annotate/annotate.go).
 */
import { CliError } from '../api/errors.ts';
import type { CommandDef } from '../cli/command.ts';
import { CHANGE_CAUSE, changeCauseRecorder, recordFlag } from '../cli/mutate.ts';
import { mapEditFlags, runMapEdit, type MapEditSpec } from './meta-map-edit.ts';
import { parsePairs } from './meta-targets.ts';

const ANNOTATION: MapEditSpec = {
  noun: 'annotation',
  field: 'annotations',
  localExample: 'rsrc',
  parse: (pairs) => parsePairs(pairs, 'annotation', true),
  validateLast({ set, remove }) {
    const both = remove.filter((k) => set.has(k));
    if (both.length) {
      throw new CliError(`can not both modify and remove the following annotation(s) in the same command: ${both.join(', ')}`);
    }
  },
  listExcludesOutput: false,
  // validateNoAnnotationOverwrites: one error naming every annotation whose value would change.
  overwriteError(current, set) {
    const found = [...set]
      .filter(([k, v]) => k !== CHANGE_CAUSE && k in current && current[k] !== v)
      .map(([k]) => `'${k}' already has a value (${current[k]})`);
    if (found.length === 0) return undefined;
    return new CliError(`--overwrite is false but found the following declared annotation(s): ${found.join('; ')}`);
  },
  verb: () => 'annotated',
  reportsMissingKeys: false,
  printsServerObject: true,
};

export const annotateCommand: CommandDef = {
  name: 'annotate',
  short: 'Update the annotations on a resource',
  group: 'Settings Commands:',
  long: `Update the annotations on one or more resources.

 All Kubernetes objects support the ability to store additional data with the object as annotations. Annotations are key/value pairs that can be larger than labels and include arbitrary string values such as structured JSON. Tools and system extensions may use annotations to store their own data.

 Attempting to set an annotation that already exists will fail unless --overwrite is set. If --resource-version is specified and does not match the current resource version on the server the command will fail.

Use "kfake api-resources" for a complete list of supported resources.`,
  example: `  # Update pod 'foo' with the annotation 'description' and the value 'my frontend'
  # If the same annotation is set multiple times, only the last value will be applied
  kfake annotate pods foo description='my frontend'
  
  # Update a pod identified by type and name in "pod.json"
  kfake annotate -f pod.json description='my frontend'
  
  # Update pod 'foo' with the annotation 'description' and the value 'my frontend running nginx', overwriting any existing value
  kfake annotate --overwrite pods foo description='my frontend running nginx'
  
  # Update all pods in the namespace
  kfake annotate pods --all description='my frontend running nginx'
  
  # Update pod 'foo' only if the resource is unchanged from version 1
  kfake annotate pods foo description='my frontend running nginx' --resource-version=1
  
  # Update pod 'foo' by removing an annotation named 'description' if it exists
  # Does not require the --overwrite flag
  kfake annotate pods foo description-`,
  usage: 'annotate [--overwrite] (-f FILENAME | TYPE NAME) KEY_1=VAL_1 ... KEY_N=VAL_N [--resource-version=version] [options]',
  flags: mapEditFlags({
    fieldManager: 'kubectl-annotate',
    allUsage: 'Select all resources, in the namespace of the specified resource types.',
    filenameUsage: 'Filename, directory, or URL to files identifying the resource to update the annotation',
    listUsage: 'If true, display the annotations for a given resource.',
    localUsage: 'If true, annotation will NOT contact api-server but run locally.',
    overwriteUsage: 'If true, allow annotations to be overwritten, otherwise reject annotation updates that overwrite existing annotations.',
    resourceVersionUsage:
      'If non-empty, the annotation update will only succeed if this is the current resource-version for the object. Only valid when specifying a single resource.',
  }).concat(recordFlag()),
  run: (inv) => runMapEdit(inv, ANNOTATION, changeCauseRecorder(inv)),
};
