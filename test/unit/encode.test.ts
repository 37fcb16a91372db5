import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CliError } from '../../src/api/errors.ts';
import { formatGoFloat, toCompactJson, toJson } from '../../src/printers/json.ts';
import { toYaml, toYamlDocuments } from '../../src/printers/yaml.ts';

const PRINT = fileURLToPath(new URL('../fixtures/manifests/print/', import.meta.url));
const golden = (file: string) => fs.readFileSync(path.join(PRINT, file), 'utf8');

// Each <name>.json under print/ is what `kubectl -o json` printed for an object and <name>.yaml
// what `kubectl -o yaml` printed for the same object (kubectl v1.32; server objects, lists,
// and strings chosen to exercise quoting, escaping, folding and key order).
const SERVER_OBJECTS = fs
  .readdirSync(PRINT)
  .filter((f) => f.endsWith('.json') && fs.existsSync(path.join(PRINT, f.replace(/\.json$/, '.yaml'))))
  .filter((f) => !f.endsWith('-dry-run.json'))
  .map((f) => f.replace(/\.json$/, ''));

describe('objects from the server', () => {
  it('covers the captured goldens', () => {
    expect(SERVER_OBJECTS.length).toBeGreaterThanOrEqual(15);
  });

  it.each(SERVER_OBJECTS)('%s prints as kubectl -o json', (name) => {
    const json = golden(`${name}.json`);
    expect(toJson(JSON.parse(json))).toBe(json);
  });

  it.each(SERVER_OBJECTS)('%s prints as kubectl -o yaml', (name) => {
    expect(toYaml(JSON.parse(golden(`${name}.json`)))).toBe(golden(`${name}.yaml`));
  });
});

describe('toJson', () => {
  it('escapes like encoding/json: HTML characters, controls, \\b and \\f, U+2028/9; DEL and C1 stay raw', () => {
    const json = golden('escapes.json');
    expect(toJson(JSON.parse(json))).toBe(json);
    expect(toJson({ s: '<&>\b\f\u0000\u001b\u2028\u007f\u0085' })).toBe(
      '{\n    "s": "\\u003c\\u0026\\u003e\\b\\f\\u0000\\u001b\\u2028\u007f\u0085"\n}\n',
    );
  });

  it('keeps struct order for objects kubectl builds itself (create deployment --dry-run=client)', () => {
    for (const name of ['deployment-dry-run', 'configmap-dry-run']) {
      const json = golden(`${name}.json`);
      expect(toJson(JSON.parse(json), { sortKeys: false })).toBe(json);
    }
  });

  it('prints compact JSON as the last-applied annotation holds it', () => {
    // kubectl-behavior.md §6.4 (observed): keys sorted at every level.
    const applied = {
      kind: 'Service',
      apiVersion: 'v1',
      spec: { selector: { app: 'sample' }, ports: [{ targetPort: 8080, port: 80 }] },
      metadata: { name: 'sample-clusterip', namespace: 'default', labels: { app: 'sample' }, annotations: {} },
    };
    expect(toCompactJson(applied)).toBe(
      '{"apiVersion":"v1","kind":"Service","metadata":{"annotations":{},"labels":{"app":"sample"},' +
        '"name":"sample-clusterip","namespace":"default"},"spec":{"ports":[{"port":80,"targetPort":8080}],' +
        '"selector":{"app":"sample"}}}',
    );
  });
});

describe('toYaml', () => {
  it('sorts keys the go-yaml way even for client-built objects', () => {
    expect(toYaml(JSON.parse(golden('deployment-dry-run.json')))).toBe(golden('deployment-dry-run.yaml'));
  });

  it('quotes, folds and blocks strings as kubectl does', () => {
    // Lines of the configmap-strings golden (kubectl get configmap -o yaml).
    const data = {
      yes: 'yes',
      num: '123',
      oct: '0123',
      ts: '2024-01-01T00:00:00Z',
      b60: '1:20',
      colon: 'a: b',
      empty: '',
      emoji: '😀',
      multi: 'line1\nline2\n',
      multitrailsp: 'line1 \nline2\n',
      long: Array.from({ length: 40 }, (_, i) => `word${i}`).join(' '),
    };
    expect(toYaml({ data }).split('\n')).toEqual([
      'data:',
      '  b60: "1:20"',
      "  colon: 'a: b'",
      '  emoji: "\\U0001F600"',
      '  empty: ""',
      '  long: word0 word1 word2 word3 word4 word5 word6 word7 word8 word9 word10 word11',
      '    word12 word13 word14 word15 word16 word17 word18 word19 word20 word21 word22 word23',
      '    word24 word25 word26 word27 word28 word29 word30 word31 word32 word33 word34 word35',
      '    word36 word37 word38 word39',
      '  multi: |',
      '    line1',
      '    line2',
      '  multitrailsp: "line1 \\nline2\\n"',
      '  num: "123"',
      '  oct: "0123"',
      '  ts: "2024-01-01T00:00:00Z"',
      '  "yes": "yes"',
      '',
    ]);
    for (const line of ['  b60: "1:20"', '  emoji: "\\U0001F600"', '    word36 word37 word38 word39']) {
      expect(golden('configmap-strings.yaml').split('\n')).toContain(line);
    }
  });

  it('prints empty structures and null as go-yaml does', () => {
    expect(toYaml({ status: {}, items: [], value: null, spec: { a: [] } })).toBe(
      'items: []\nspec:\n  a: []\nstatus: {}\nvalue: null\n',
    );
  });

  it('prints floats in Go %g form after the JSON round trip', () => {
    expect(toYaml(JSON.parse(golden('numbers.json')))).toBe(golden('numbers.yaml'));
    expect([1.5, 1000000.5, 0.0001, 0.00001, 1e21].map((f) => formatGoFloat(f))).toEqual([
      '1.5',
      '1.0000005e+06',
      '0.0001',
      '1e-05',
      '1e+21',
    ]);
  });

  it('fails like go-yaml on characters its reader refuses (kubectl: error: yaml: control characters are not allowed)', () => {
    expect(() => toYaml(JSON.parse(golden('escapes.json')))).toThrow(new CliError('yaml: control characters are not allowed'));
  });

  it('fails like go-yaml when a key holds U+0085, a line break inside its double-quoted scalars', () => {
    // kubectl get -o yaml on {"data": {"a\u0085b": "c"}, ...}
    const obj = { apiVersion: 'v1', data: { 'a\u0085b': 'c' }, kind: 'ConfigMap', metadata: { name: 'x' } };
    expect(() => toYaml(obj)).toThrow(new CliError("yaml: line 1: did not find expected ',' or '}'"));
  });

  it('folds U+0085 in values to a space, as go-yaml reads it back', () => {
    // The configmap-strings golden has c1: "a\u0085b" printed as `c1: a b`.
    expect(toYaml({ c1: 'a\u0085b' })).toBe('c1: a b\n');
  });
});

describe('toYamlDocuments', () => {
  it('separates objects with --- as kubectl create -o yaml prints several', () => {
    const objs = [
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one', namespace: 'default' }, data: { a: '1' } },
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'two', namespace: 'default' }, spec: { ports: [{ port: 80 }] } },
    ];
    expect(toYamlDocuments(objs)).toBe(golden('two-documents.yaml'));
  });
});
