/**
 * `-o/--output`: which printer, and the rules kubectl applies to each (PrintFlags in
 * staging/src/k8s.io/cli-runtime/pkg/genericclioptions).
 */
import { CliError } from '../api/errors.ts';
import { infoForObject, kindPrefix } from '../api/registry.ts';
import type { KObject } from '../api/types.ts';
import {
  executeJsonPath,
  executeJsonPathAsJson,
  parseJsonPath,
  type JsonPathTemplate,
} from '../printers/jsonpath.ts';
import { parseCustomColumns, parseCustomColumnsFile, type CustomColumn } from '../printers/custom-columns.ts';
import { toJson } from '../printers/json.ts';
import { toYaml } from '../printers/yaml.ts';
import fs from 'node:fs';
import { readFileErrorText } from '../util/errno.ts';

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'name' }
  | { kind: 'yaml' }
  | { kind: 'json' }
  | { kind: 'jsonpath'; template: JsonPathTemplate; asJson: boolean }
  | { kind: 'custom-columns'; columns: CustomColumn[] };

const GET_FORMATS = [
  'custom-columns',
  'custom-columns-file',
  'go-template',
  'go-template-file',
  'json',
  'jsonpath',
  'jsonpath-as-json',
  'jsonpath-file',
  'name',
  'template',
  'templatefile',
  'wide',
  'yaml',
];
const MUTATION_FORMATS = GET_FORMATS.filter((f) => !['custom-columns', 'custom-columns-file', 'wide'].includes(f));

export interface OutputOptions {
  /** get accepts wide and custom-columns; mutating commands do not. */
  forGet: boolean;
  /** --template, the template when -o jsonpath is given without `=`. */
  template?: string;
}

/** Parse `-o`; an empty value means the command's default printer. */
export function parseOutput(value: string, opts: OutputOptions): OutputFormat | undefined {
  if (!value) return opts.forGet ? { kind: 'table', wide: false } : undefined;
  const eq = value.indexOf('=');
  let name = eq < 0 ? value : value.slice(0, eq);
  // The JSON/YAML and name printer flags lower-case the format before matching it; the others do not.
  if (['json', 'yaml', 'name'].includes(name.toLowerCase())) name = name.toLowerCase();
  const arg = eq < 0 ? (opts.template ?? '') : value.slice(eq + 1);
  const allowed = opts.forGet ? GET_FORMATS : MUTATION_FORMATS;
  if (!allowed.includes(name)) {
    throw new CliError(
      `unable to match a printer suitable for the output format "${value}", allowed formats are: ${allowed.join(',')}`,
    );
  }
  switch (name) {
    case 'wide':
      return { kind: 'table', wide: true };
    case 'name':
      return { kind: 'name' };
    case 'yaml':
      return { kind: 'yaml' };
    case 'json':
      return { kind: 'json' };
    case 'jsonpath':
    case 'jsonpath-as-json':
    case 'jsonpath-file': {
      let template = arg;
      if (name === 'jsonpath-file') {
        if (!arg) throw new CliError('template format specified but no template given');
        try {
          template = fs.readFileSync(arg, 'utf8');
        } catch (e) {
          throw new CliError(`error reading --template ${arg}, ${readFileErrorText(arg, e)}`);
        }
      }
      if (!template) throw new CliError('template format specified but no template given');
      return { kind: 'jsonpath', template: parseJsonPath(name, template), asJson: name === 'jsonpath-as-json' };
    }
    case 'custom-columns':
      if (!arg) throw new CliError('custom-columns format specified but no custom columns given');
      return { kind: 'custom-columns', columns: parseCustomColumns(arg) };
    case 'custom-columns-file': {
      if (!arg) throw new CliError('custom-columns format specified but no custom columns given');
      let text: string;
      try {
        text = fs.readFileSync(arg, 'utf8');
      } catch (e) {
        throw new CliError(`error reading template ${arg}, ${readFileErrorText(arg, e)}`);
      }
      return { kind: 'custom-columns', columns: parseCustomColumnsFile(text) };
    }
    default:
      throw new CliError(`output format "${name}" is not supported by kfake (Go templates are not implemented)`);
  }
}

/** `kind[.group]/name`, as `-o name` and the `created` lines print an object. */
export function objectRef(obj: KObject): string {
  const info = infoForObject(obj.apiVersion, obj.kind);
  const prefix = info ? kindPrefix(info) : obj.kind.toLowerCase();
  // NamePrinter prints `<unknown>` for an object without a name (metadata missing, null or nameless).
  return `${prefix}/${obj.metadata?.name || '<unknown>'}`;
}

/** The List wrapper kubectl prints several objects in. */
export function listOf(objects: KObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
}

/** Strip what kubectl hides unless --show-managed-fields. */
export function forDisplay(obj: KObject, showManagedFields = false): KObject {
  if (showManagedFields || !obj.metadata.managedFields) return obj;
  const copy = { ...obj, metadata: { ...obj.metadata } };
  delete copy.metadata.managedFields;
  return copy;
}

/**
 * Print objects with a non-table format. `single` is kubectl's "single item implied": one object
 * named on the command line prints bare; anything else prints as a List.
 */
export function printObjects(objects: KObject[], format: OutputFormat, single: boolean, allowMissingKeys: boolean): string {
  const data: unknown = single && objects.length === 1 ? objects[0] : listOf(objects);
  switch (format.kind) {
    case 'name':
      return objects.map((o) => `${objectRef(o)}\n`).join('');
    case 'yaml':
      return toYaml(data);
    case 'json':
      return toJson(data);
    case 'jsonpath':
      return format.asJson
        ? executeJsonPathAsJson(format.template, data, { allowMissingKeys })
        : executeJsonPath(format.template, data, { allowMissingKeys });
    default:
      throw new Error(`printObjects cannot print ${format.kind}`);
  }
}

/** Mutating commands with -o print each object on its own (yaml documents separated by ---). */
export function printMutated(obj: KObject, format: OutputFormat, first: boolean, allowMissingKeys = true): string {
  switch (format.kind) {
    case 'name':
      return `${objectRef(obj)}\n`;
    case 'yaml':
      return (first ? '' : '---\n') + toYaml(obj);
    case 'json':
      return toJson(obj);
    case 'jsonpath':
      return format.asJson
        ? executeJsonPathAsJson(format.template, obj, { allowMissingKeys })
        : executeJsonPath(format.template, obj, { allowMissingKeys });
    default:
      throw new Error(`cannot print ${format.kind} here`);
  }
}
