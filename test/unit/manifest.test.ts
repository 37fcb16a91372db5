import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError, MultiError } from '../../src/api/errors.ts';
import { GO_MAX_DEPTH, MAX_DEPTH, parseManifestEntries, parseManifests, type ManifestEntry } from '../../src/manifest/parse.ts';
import { match, readSources, type ManifestSource } from '../../src/manifest/read.ts';
import { toJson } from '../../src/printers/json.ts';
import { toYaml } from '../../src/printers/yaml.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/manifests/', import.meta.url));

/**
 * What `kubectl create -f <file> --dry-run=client -o json|yaml` printed for each file under
 * cases/ (captured from kubectl v1.32 against a v1.32 API).
 */
interface CapturedRun {
  file: string;
  /** The file name kubectl was given, which appears in its messages. */
  source: string;
  validate: boolean;
  output: 'json' | 'yaml';
  stdout: string;
  stderr: string;
  exit: number;
}
const captured = JSON.parse(fs.readFileSync(path.join(FIXTURES, 'kubectl-create.json'), 'utf8')) as Record<string, CapturedRun>;

// The kinds used in the captured files that kubectl puts in the current namespace.
const NAMESPACED = new Set(['ConfigMap', 'Deployment', 'Service', 'Ingress']);

/**
 * What `kubectl create --dry-run=client` prints for these entries: each object (in the current
 * namespace), then the errors as kubectl's checkErr prints them: one error with `error: `, an
 * aggregate as one line per error.
 */
function createOutput(entries: ManifestEntry[], output: 'json' | 'yaml'): { stdout: string; stderr: string } {
  let stdout = '';
  const errors: Error[] = [];
  for (const entry of entries) {
    if ('error' in entry) {
      errors.push(entry.error);
      continue;
    }
    const obj = entry.object as { kind?: string; metadata?: Record<string, unknown> | null };
    if (obj.kind && NAMESPACED.has(obj.kind) && obj.metadata !== null) {
      obj.metadata = { ...obj.metadata, namespace: obj.metadata?.namespace ?? 'default' };
    }
    try {
      stdout += output === 'json' ? toJson(obj) : toYaml(obj);
    } catch (err) {
      errors.push(err as Error);
    }
  }
  let stderr = '';
  if (entries.length === 0) stderr = 'error: no objects passed to create\n';
  else if (errors.length === 1 && !(errors[0] instanceof MultiError)) stderr = `error: ${errors[0].message}\n`;
  else if (errors.length > 0) {
    const lines = errors.length === 1 ? (errors[0] as MultiError).errors : errors;
    stderr = lines.map((e) => `${e.message}\n`).join('');
  }
  return { stdout, stderr };
}

function source(name: string, text: string): ManifestSource {
  return { name, text };
}

describe('parseManifestEntries against kubectl', () => {
  it.each(Object.entries(captured))('%s', (_name, run) => {
    const text = fs.readFileSync(path.join(FIXTURES, 'cases', run.file), 'utf8');
    const entries = parseManifestEntries(source(run.source, text), { validate: run.validate });
    expect(createOutput(entries, run.output)).toEqual({ stdout: run.stdout, stderr: run.stderr });
  });
});

describe('YAML 1.1 as kubectl reads it', () => {
  it('turns yes/on/y into booleans, keys included, and reads octal, hex and floats', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\ndata:\n  yes: yes\n  ver: 1.10\n  oct: 010\n' +
      '  empty:\n  hex: 0x1F\n  float: 1e3\n  date: 2024-01-01\n  multi: |\n    line1\n    line2\n';
    const [doc] = parseManifests(source('a.yaml', text));
    expect(doc.object.data).toEqual({
      true: true,
      ver: 1.1,
      oct: 8,
      empty: null,
      hex: 31,
      float: 1000,
      date: '2024-01-01',
      multi: 'line1\nline2\n',
    });
  });

  it('names the source in objects and in errors', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\nkind: ConfigMap\n';
    const entries = parseManifestEntries(source('STDIN', text));
    expect(entries[0]).toMatchObject({ source: 'STDIN', object: { metadata: { name: 'a' } } });
    expect(entries[1]).toEqual({
      source: 'STDIN',
      error: new CliError(
        'error validating "STDIN": error validating data: apiVersion not set; if you choose to ignore these errors, ' +
          'turn validation off with --validate=false',
      ),
    });
  });

  it('skips the apiVersion/kind check with validate: false', () => {
    const entries = parseManifestEntries(source('x.yaml', 'metadata:\n  name: x\n'), { validate: false });
    expect(entries.map((e) => ('error' in e ? e.error.message : ''))).toEqual([
      `unable to decode "x.yaml": Object 'Kind' is missing in '{"metadata":{"name":"x"}}'`,
    ]);
  });

  it('parseManifests throws the first error and keeps nothing', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\na: b: c\n';
    expect(() => parseManifests(source('bad.yaml', text))).toThrow(
      new CliError('error parsing bad.yaml: error converting YAML to JSON: yaml: mapping values are not allowed in this context'),
    );
  });

  it('reports a List item that cannot be typed as an aggregate after the good items', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- kind: ConfigMap\n  metadata:\n    name: a\n' +
      '- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: b\n';
    const entries = parseManifestEntries(source('list.yaml', text), { validate: false });
    expect(entries[0]).toMatchObject({ object: { metadata: { name: 'b' } } });
    const aggregate = (entries[1] as { error: Error }).error;
    expect(aggregate).toBeInstanceOf(MultiError);
    expect((aggregate as MultiError).errors.map((e) => e.message)).toEqual([
      `unable to get type info from the object "*unstructured.Unstructured": Object 'apiVersion' is missing in 'object has no apiVersion field'`,
    ]);
  });
});

describe('untrusted input', () => {
  const nested = (depth: number, open: string, close: string) => open.repeat(depth) + close.repeat(depth);

  it(`takes ${MAX_DEPTH} levels below the top and refuses more with one line naming the file (YAML)`, () => {
    const ok = parseManifestEntries(source('deep.yaml', `a: ${nested(MAX_DEPTH, '[', ']')}\n`), { validate: false });
    expect(ok).toEqual([{ source: 'deep.yaml', error: expect.objectContaining({ message: expect.stringMatching(/^unable to decode "deep.yaml": Object 'Kind' is missing/) }) }]);
    expect(parseManifestEntries(source('deep.yaml', `a: ${nested(MAX_DEPTH + 1, '[', ']')}\n`))).toEqual([
      {
        source: 'deep.yaml',
        error: new CliError(`error parsing deep.yaml: objects nested more than ${MAX_DEPTH} levels deep are not supported by kfake`),
      },
    ]);
  });

  // go-yaml names no line for an error on the first one (parser.fail).
  it(`refuses deeper than kubectl's ${GO_MAX_DEPTH} with go-yaml's scanner error (flow and block)`, () => {
    const flow = parseManifestEntries(source('flow.yaml', `a: ${nested(GO_MAX_DEPTH + 1, '[', ']')}\n`));
    expect(flow).toEqual([
      { source: 'flow.yaml', error: new CliError(`error parsing flow.yaml: error converting YAML to JSON: yaml: exceeded max depth of ${GO_MAX_DEPTH}`) },
    ]);
    const block = Array.from({ length: GO_MAX_DEPTH + 2 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + '\n';
    const [entry] = parseManifestEntries(source('indent.yaml', block));
    expect((entry as { error: Error }).error.message).toMatch(new RegExp(`^error parsing indent.yaml: .*exceeded max depth of ${GO_MAX_DEPTH}$`));
  });

  it('refuses deep JSON nesting: kfake\'s own line past its depth, encoding/json\'s error past kubectl\'s', () => {
    expect(parseManifestEntries(source('deep.json', `{"a": ${nested(MAX_DEPTH + 1, '[', ']')}}`))).toEqual([
      { source: 'deep.json', error: new CliError(`error parsing deep.json: objects nested more than ${MAX_DEPTH} levels deep are not supported by kfake`) },
    ]);
    // The object and 9999 arrays fill the levels; the next '[' is byte 6 + 10000.
    expect(parseManifestEntries(source('deep.json', `{"a": ${nested(GO_MAX_DEPTH, '[', ']')}}`))).toEqual([
      {
        source: 'deep.json',
        error: new CliError(`error parsing deep.json: json: offset ${6 + GO_MAX_DEPTH}: invalid character '[' exceeded max depth`),
      },
    ]);
  });

  it('refuses documents made mostly of alias expansions, as go-yaml does', () => {
    // kubectl's answer for this chain of 1002 anchors, each wrapping the previous one.
    const lines = ['a0: &a0 [x]'];
    for (let i = 1; i <= 1001; i++) lines.push(`a${i}: &a${i} [*a${i - 1}]`);
    expect(parseManifestEntries(source('chain.yaml', lines.join('\n') + '\n'))).toEqual([
      {
        source: 'chain.yaml',
        error: new CliError('error parsing chain.yaml: error converting YAML to JSON: yaml: document contains excessive aliasing'),
      },
    ]);
  });

  it('treats unknown tags as plain strings (kubectl prints {"a":"rm","b":"x"} here)', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: t\ndata:\n  a: !!python/object:os.system rm\n  b: !js/eval x\n';
    expect(parseManifests(source('t.yaml', text))[0].object.data).toEqual({ a: 'rm', b: 'x' });
  });
});

// ------------------------------------------------------------------ readSources

describe('readSources', () => {
  let dir: string;
  const names = (sources: ManifestSource[]) => sources.map((s) => s.name.replace(dir + '/', ''));
  const read = (paths: string[], recursive = false, stdin = '') =>
    readSources(
      paths.map((p) => (p === '-' ? p : `${dir}/${p}`)),
      { recursive, readStdin: () => stdin },
    );
  const manifest = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n`;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'manifests-'));
    const files: Record<string, string> = {
      'd/b.yaml': manifest('b'),
      'd/a.yml': manifest('a'),
      'd/C.json.yaml': manifest('c'),
      'd/Z.yaml': manifest('bigz'),
      'd/_u.yaml': manifest('u'),
      'd/a-b.yaml': manifest('ab'),
      'd/a.b.YAML': manifest('upper'),
      'd/j.json': '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"j"}}',
      'd/notes.txt': manifest('txt'),
      'd/b_dir/z.yaml': manifest('bz'),
      'd/sub/x.yaml': manifest('subx'),
      'd/sub/deeper/y.json': manifest('yjson'),
      'top.yaml': manifest('top'),
      'top2.yaml': manifest('top2'),
    };
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(`${dir}/${file}`), { recursive: true });
      fs.writeFileSync(`${dir}/${file}`, text);
    }
    fs.mkdirSync(`${dir}/empty`);
    fs.symlinkSync('d/sub', `${dir}/linkdir`);
    fs.symlinkSync('../top.yaml', `${dir}/d/link.yaml`);
    fs.writeFileSync(`${dir}/u16.yaml`, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(manifest('utf16'), 'utf16le')]));
    fs.writeFileSync(`${dir}/u8bom.yaml`, '\ufeff' + manifest('u8bom'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Orders and messages below are what `kubectl create -f ... --dry-run=client -o name` printed
  // for the same tree.
  it('reads a directory in filepath.Walk order, manifests only, without subdirectories', () => {
    expect(names(read(['d']))).toEqual([
      'd/C.json.yaml',
      'd/Z.yaml',
      'd/_u.yaml',
      'd/a-b.yaml',
      'd/a.yml',
      'd/b.yaml',
      'd/j.json',
      'd/link.yaml',
    ]);
  });

  it('descends into subdirectories with -R', () => {
    expect(names(read(['d'], true))).toEqual([
      'd/C.json.yaml',
      'd/Z.yaml',
      'd/_u.yaml',
      'd/a-b.yaml',
      'd/a.yml',
      'd/b.yaml',
      'd/b_dir/z.yaml',
      'd/j.json',
      'd/link.yaml',
      'd/sub/deeper/y.json',
      'd/sub/x.yaml',
    ]);
  });

  it('names walked files with cleaned paths and reads an explicit file whatever its extension', () => {
    expect(names(read(['./d/'])).slice(0, 2)).toEqual(['d/C.json.yaml', 'd/Z.yaml']);
    expect(read(['d/notes.txt'])[0].text).toBe(manifest('txt'));
  });

  it('expands paths that do not exist as globs', () => {
    expect(names(read(['d/*.yaml']))).toEqual(['d/C.json.yaml', 'd/Z.yaml', 'd/_u.yaml', 'd/a-b.yaml', 'd/b.yaml', 'd/link.yaml']);
    expect(names(read(['*.yaml']))).toEqual(['top.yaml', 'top2.yaml', 'u16.yaml', 'u8bom.yaml']);
    expect(names(read(['d/[ab].y*ml']))).toEqual(['d/a.yml', 'd/b.yaml']);
    expect(names(read(['d/*/*.yaml']))).toEqual(['d/b_dir/z.yaml', 'd/sub/x.yaml']);
  });

  it('decodes UTF-16 and drops byte order marks', () => {
    expect(read(['u16.yaml', 'u8bom.yaml']).map((s) => s.text)).toEqual([manifest('utf16'), manifest('u8bom')]);
  });

  it('reads stdin once, as STDIN', () => {
    expect(read(['-'], false, 'x: 1\n')).toEqual([{ name: 'STDIN', text: 'x: 1\n' }]);
    expect(() => read(['-', '-'])).toThrow(new CliError('standard input cannot be used for multiple arguments'));
  });

  it('reports problems with the arguments before reading anything', () => {
    expect(() => read(['nope.yaml'])).toThrow(new CliError(`the path "${dir}/nope.yaml" does not exist`));
    expect(() => read(['nomatch*'])).toThrow(new CliError(`the path "${dir}/nomatch*" does not exist`));
    expect(() => read(['['])).toThrow(new CliError(`pattern "${dir}/[" is not valid: syntax error in pattern`));
    expect(() => read(['top.yaml/x'])).toThrow(
      new CliError(`the path "${dir}/top.yaml/x" cannot be accessed: stat ${dir}/top.yaml/x: not a directory`),
    );
    expect(() => read(['empty'])).toThrow(
      new CliError(`error reading [${dir}/empty]: recognized file extensions are [.json .yaml .yml]`),
    );
    expect(names(read(['top.yaml', 'empty']))).toEqual(['top.yaml']);
  });

  it('reports several argument problems together', () => {
    let thrown: unknown;
    try {
      read(['nope.yaml', 'also-nope']);
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(MultiError);
    expect((thrown as MultiError).errors.map((e) => e.message)).toEqual([
      `the path "${dir}/nope.yaml" does not exist`,
      `the path "${dir}/also-nope" does not exist`,
    ]);
  });

  it('does not follow a symbolic link to a directory given as the path', () => {
    const [linked] = read(['linkdir']);
    const error = `error parsing ${dir}/linkdir: read ${dir}/linkdir: is a directory`;
    expect(linked).toEqual({ name: `${dir}/linkdir`, text: '', error });
    expect(parseManifestEntries(linked)).toEqual([{ source: `${dir}/linkdir`, error: new CliError(error) }]);
  });
});

describe('match (Go path/filepath.Match)', () => {
  // Cases from Go's path/filepath/match_test.go.
  it.each([
    ['abc', 'abc', true],
    ['*', 'abc', true],
    ['*c', 'abc', true],
    ['a*', 'a', true],
    ['a*', 'abc', true],
    ['a*', 'ab/c', false],
    ['a*/b', 'abc/b', true],
    ['a*/b', 'a/c/b', false],
    ['a*b*c*d*e*/f', 'axbxcxdxe/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/f', true],
    ['a*b*c*d*e*/f', 'axbxcxdxe/xxx/f', false],
    ['a*b*c*d*e*/f', 'axbxcxdxexxx/fff', false],
    ['a*b?c*x', 'abxbbxdbxebxczzx', true],
    ['a*b?c*x', 'abxbbxdbxebxczzy', false],
    ['ab[c]', 'abc', true],
    ['ab[b-d]', 'abc', true],
    ['ab[e-g]', 'abc', false],
    ['ab[^c]', 'abc', false],
    ['ab[^b-d]', 'abc', false],
    ['ab[^e-g]', 'abc', true],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'ab', false],
    ['a?b', 'a☺b', true],
    ['a[^a]b', 'a☺b', true],
    ['a???b', 'a☺b', false],
    ['[a-ζ]*', 'α', true],
    ['*[a-ζ]', 'A', false],
    ['a?b', 'a/b', false],
    ['a*b', 'a/b', false],
    ['[\\]a]', ']', true],
    ['[\\-]', '-', true],
    ['[x\\-]', '-', true],
    ['[\\-x]', 'a', false],
    ['*x', 'xxx', true],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(match(pattern, name)).toBe(expected);
  });

  it.each([
    ['[]a]', ']'],
    ['[-]', '-'],
    ['[x-]', 'x'],
    ['[-x]', 'x'],
    ['\\', 'a'],
    ['[a-b-c]', 'a'],
    ['[', 'a'],
    ['[^', 'a'],
    ['[^bc', 'a'],
    ['a[', 'a'],
    ['a[', 'ab'],
    ['a/b[', 'x'],
  ])('%s is a bad pattern', (pattern, name) => {
    expect(() => match(pattern, name)).toThrow();
  });
});
