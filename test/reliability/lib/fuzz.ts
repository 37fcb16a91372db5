/**
 * Generated and mutated manifests: the hostile and the merely sloppy input kfake must answer
 * with an error message (or apply, when the input is in fact valid), never a crash, a hang or
 * unbounded memory. Every case is reproducible from the suite's seed and its number.
 */
import fs from 'node:fs';
import path from 'node:path';
import { MANIFESTS } from '../../helpers/kfake.ts';
import { deployment, manifest, service, toYaml } from './objects.ts';
import type { Rng } from './random.ts';

export interface FuzzCase {
  category: string;
  /** The manifest bytes. */
  text: string | Buffer;
  /** A file extension that makes kfake read it the way the text is meant (yaml or json). */
  ext: 'yaml' | 'json';
}

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The manifests shipped with kfake, plus a few more kinds: the seeds mutations start from. */
export function seedManifests(): string[] {
  const out: string[] = [];
  for (const dir of fs.readdirSync(MANIFESTS)) {
    for (const f of fs.readdirSync(path.join(MANIFESTS, dir))) out.push(fs.readFileSync(path.join(MANIFESTS, dir, f), 'utf8'));
  }
  out.push(
    manifest([deployment('fuzz-web', 2), service('fuzz-web', { type: 'NodePort', selector: { app: 'fuzz-web' }, ports: [{ port: 80, targetPort: 8080 }] })]),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fuzz-config\n  labels:\n    app: fuzz\ndata:\n  key: value\n  other: "2"\n',
    'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: fuzz-ns\n',
    'apiVersion: v1\nkind: Pod\nmetadata:\n  name: fuzz-pod\nspec:\n  containers:\n  - name: c\n    image: busybox\n    command: ["sleep", "3600"]\n',
  );
  return out;
}

/** Values that break assumptions: wrong types, extremes, odd text. */
function nastyValue(rng: Rng): Json {
  switch (rng.int(0, 22)) {
    case 0: return -1;
    case 1: return 2147483648;
    case 2: return -9007199254740993;
    case 3: return 1e308;
    case 4: return 0.5;
    case 5: return true;
    case 6: return null;
    case 7: return '';
    case 8: return 'x'.repeat(rng.pick([64, 254, 64 * 1024, 300 * 1024]));
    case 9: return '\u202e\u200b\ufeffé😀中文';
    case 10: return 'UPPER_case.name';
    case 11: return [];
    case 12: return {};
    case 13: return [1, 'two', { three: 3 }];
    case 14: return { nested: { deeper: ['x'] } };
    case 15: return '0x1F';
    case 16: return '1e3';
    case 17: return '-';
    case 18: return "'; DROP TABLE pods; --";
    case 19: return '${HOME} $(touch pwned) `touch pwned`';
    case 20: return '../../../etc/passwd';
    case 21: return 'a\nb\tc\r\n';
    default: return Number.MAX_SAFE_INTEGER;
  }
}

function paths(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => paths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) paths(v, [...prefix, k], out);
  return out;
}

function setAt(root: Json, at: (string | number)[], value: Json | undefined): Json {
  if (at.length === 0) return value ?? null;
  let node = root as Record<string | number, Json>;
  for (const k of at.slice(0, -1)) {
    node = node[k] as Record<string | number, Json>;
    // An earlier change replaced what this path went through.
    if (node === null || typeof node !== 'object') return root;
  }
  const last = at[at.length - 1];
  if (value === undefined) {
    if (Array.isArray(node)) node.splice(last as number, 1);
    else delete node[last];
  } else node[last] = value;
  return root;
}

/** Change an object's structure: a field gets a nasty value, goes away, or gains a neighbour. */
function mutateObject(rng: Rng, obj: Json): Json {
  const all = paths(obj);
  for (let n = rng.int(1, 3); n > 0; n--) {
    const at = rng.pick(all.slice(1));
    if (!at) break;
    const r = rng.next();
    if (r < 0.6) obj = setAt(obj, at, nastyValue(rng));
    else if (r < 0.8) obj = setAt(obj, at, undefined);
    else obj = setAt(obj, [...at.slice(0, -1), rng.pick(['unknownField', 'spec', 'metadata', 'kind', 'apiVersion', 'items'])], nastyValue(rng));
  }
  return obj;
}

const NASTY_TEXT = [':', ': ', '-', '- ', '\t', '"', "'", '{', '}', '[', ']', '&a', '*a', '!', '!!str ', '|', '>', '%', '@', '`', '#', '\0', '\u00a0', '😀', '\r', '\n', '---\n', '...\n', '? ', ',', '<<: ', '\\', '\ufeff', '  ', '\x7f'];

/** Change the text: delete, repeat, insert or re-indent a little of it. */
function mutateText(rng: Rng, text: string): string {
  for (let n = rng.int(1, 4); n > 0; n--) {
    const at = rng.int(0, text.length);
    const r = rng.next();
    if (r < 0.25) text = text.slice(0, at) + text.slice(Math.min(text.length, at + rng.int(1, 12)));
    else if (r < 0.55) text = text.slice(0, at) + rng.pick(NASTY_TEXT) + text.slice(at);
    else if (r < 0.7) {
      const lines = text.split('\n');
      const i = rng.int(0, lines.length - 1);
      lines[i] = rng.chance(0.5) ? ' ' + lines[i] : lines[i].replace(/^ /, '');
      text = lines.join('\n');
    } else if (r < 0.85) {
      const lines = text.split('\n');
      const i = rng.int(0, lines.length - 1);
      lines.splice(i, 0, lines[rng.int(0, lines.length - 1)]);
      text = lines.join('\n');
    } else text = text.slice(0, at);
  }
  return text;
}

/** An alias bomb: `levels` levels of `width` aliases each, expanding to width^levels nodes. */
export function aliasBomb(levels: number, width: number, style: 'flow' | 'block' = 'flow'): string {
  let s = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\n';
  s += `l0: &l0 [${Array(width).fill('"lol"').join(', ')}]\n`;
  for (let i = 1; i <= levels; i++) {
    if (style === 'flow') s += `l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]\n`;
    else s += `l${i}: &l${i}\n${Array(width).fill(`  - *l${i - 1}\n`).join('')}`;
  }
  return s;
}

/** Inputs built for one purpose each. */
function special(rng: Rng, secret: string, canary: string): FuzzCase {
  const y = (text: string, category: string): FuzzCase => ({ category, text, ext: 'yaml' });
  const j = (text: string, category: string): FuzzCase => ({ category, text, ext: 'json' });
  const cm = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: special\n';
  switch (rng.int(0, 27)) {
    case 0: return y(aliasBomb(rng.int(6, 12), rng.int(6, 12), rng.pick(['flow', 'block'])), 'alias bomb');
    case 1: return y(`${cm}data:\n  a: &x "${'y'.repeat(1000)}"\n  b: *x\n  c: *x\n`, 'anchors');
    case 2: return y(`base: &base {app: web, tier: front}\n${cm}  labels:\n    <<: *base\n    extra: "1"\n`, 'merge keys');
    case 3: return y(`${cm}  labels: &self\n    a: *self\n`, 'recursive alias');
    case 4: return y(`${cm}data:\n  a: *undefined\n`, 'unknown alias');
    case 5: return y(`${cm}data:\n  a: !!js/function "function(){ require('child_process').execSync('touch ${canary}') }"\n  b: !!python/object/apply:os.system ["touch ${canary}"]\n  c: !ruby/object:Gem::Installer\n    i: x\n`, 'code tags');
    case 6: return y(`${cm}data:\n  a: !include ${secret}\n  b: !!binary aGVsbG8=\n  c: !!timestamp 2001-12-14t21:59:43.10-05:00\n  d: !custom/tag x\n`, 'custom tags');
    case 7: return y(`${cm}data:\n  $ref: "${secret}"\n  file: "file://${secret}"\n  at: "@${secret}"\n`, 'file references');
    case 8: return y(`%YAML 1.2\n%TAG ! tag:example.com,2000:\n---\n${cm}`, 'directives');
    case 9: return y(`${cm}  name: ${'['.repeat(rng.pick([100, 1001, 20000]))}`, 'deep flow nesting');
    case 10: return y(cm + 'data:\n' + Array.from({ length: rng.pick([50, 500]) }, (_, i) => `${'  '.repeat(i + 1)}k${i}:`).join('\n') + ' x\n', 'deep block nesting');
    case 11: {
      const depth = rng.pick([100, 999, 1001, 5000, 20000]);
      return j(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"deep"},"data":${'{"a":'.repeat(depth)}"x"${'}'.repeat(rng.chance(0.7) ? depth + 1 : 0)}`, 'deep JSON');
    }
    case 12: return y('', 'empty file');
    case 13: return y(rng.pick(['---\n', '---\n---\n', '# only a comment\n', '\n\n\n', '...\n', '--- \n...\n---\n', 'null\n', '~\n', '[]\n', '{}\n']), 'empty documents');
    case 14: return y(`${cm}data:\n  big: "${'z'.repeat(rng.pick([1, 2, 3]) * 1024 * 1024)}"\n`, 'several MB');
    case 15: return y(Array.from({ length: rng.pick([500, 3000]) }, (_, i) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: many-${i}\n`).join(''), 'many documents');
    case 16: return j(JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [JSON.parse(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'in-list' } })), 'not an object', 7, null] }), 'JSON list');
    case 17: return j('{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a"}}\n{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b"}} trailing', 'JSON stream');
    case 18: return j('{"apiVersion":"v1", /* comment */ "kind":"ConfigMap","metadata":{"name":"c",},}', 'JSON with comments');
    case 19: return j(`{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dup","name":"dup2"},"data":{"__proto__":{"polluted":"yes"},"constructor":"x"}}`, 'JSON duplicate and prototype keys');
    case 20: return { category: 'binary', text: Buffer.from(Array.from({ length: rng.int(1, 5000) }, () => rng.int(0, 255))), ext: rng.pick(['yaml', 'json']) };
    case 21: return { category: 'UTF-16', text: Buffer.from('\ufeff' + cm, 'utf16le'), ext: 'yaml' };
    case 22: return y(cm.replace(/\n/g, '\r\n') + 'data:\r\n  crlf: "yes"\r\n', 'CRLF');
    case 23: return y(`${cm}data:\n\tkey: value\n`, 'tabs');
    case 24: return y(`${cm}data:\n  n1: 0o777\n  n2: 0x1F\n  n3: .inf\n  n4: -.NaN\n  n5: 1_000\n  n6: yes\n  n7: 2001-12-14\n`, 'YAML 1.1 scalars');
    case 25: return j(JSON.stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'nums' }, spec: { replicas: rng.pick(['1e400', '-0', '3.0', '99999999999999999999', '-2147483649']) } }).replace(/"(1e400|-0|3\.0|99999999999999999999|-2147483649)"/, '$1'), 'huge numbers');
    case 26: return y(`apiVersion: v1\nkind: ${rng.pick(['Secret', 'CustomThing', 'List', '', 'service', 'Service\u0000'])}\nmetadata:\n  name: odd-kind\n`, 'odd kinds');
    default: return y(`apiVersion: ${rng.pick(['v2', 'apps/v1beta1', '/v1', 'v1/', '', 'apps/'])}\nkind: Service\nmetadata:\n  name: odd-version\n`, 'odd apiVersions');
  }
}

/**
 * Case `n` of the fuzz run: a special input, a structurally mutated object (as YAML or JSON),
 * or a textually mutated manifest. `secret` is a file the input must never cause to be read
 * and `canary` one it must never cause to be created.
 */
export function fuzzCase(rng: Rng, seeds: string[], secret: string, canary: string): FuzzCase {
  const r = rng.next();
  if (r < 0.3) return special(rng, secret, canary);
  const seed = rng.pick(seeds);
  if (r < 0.65) {
    const docs = seed.split(/^---\s*$/m).filter((d) => d.trim());
    const doc = rng.pick(docs);
    const obj = yamlishToJson(doc);
    if (obj !== undefined) {
      const mutated = mutateObject(rng, obj);
      if (rng.chance(0.5)) return { category: 'mutated object (JSON)', text: JSON.stringify(mutated, null, rng.chance(0.5) ? 2 : 0), ext: 'json' };
      return { category: 'mutated object (YAML)', text: toYaml(mutated).replace(/^\n/, '') + '\n', ext: 'yaml' };
    }
  }
  return { category: 'mutated text', text: mutateText(rng, seed), ext: 'yaml' };
}

/**
 * The seeds are simple block YAML; a tiny reader for them is enough to get objects to mutate
 * (the parser under test is kfake's, not this one). Returns undefined for anything else.
 */
function yamlishToJson(doc: string): Json | undefined {
  const lines = doc.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#'));
  let i = 0;
  const indentOf = (l: string) => l.length - l.trimStart().length;
  const scalar = (s: string): Json => {
    s = s.trim();
    if (/^-?\d+$/.test(s)) return Number(s);
    if (s === 'true' || s === 'false') return s === 'true';
    if (/^".*"$/.test(s)) return JSON.parse(s);
    if (/^'.*'$/.test(s)) return s.slice(1, -1);
    if (s.startsWith('[') || s.startsWith('{')) {
      try {
        return JSON.parse(s.replace(/([\w./-]+)(?=\s*:)/g, '"$1"').replace(/:\s*([\w./-]+)/g, ': "$1"'));
      } catch {
        throw new Error('flow');
      }
    }
    return s;
  };
  const block = (indent: number): Json => {
    if (lines[i].trimStart().startsWith('- ') || lines[i].trim() === '-') {
      const arr: Json[] = [];
      while (i < lines.length && indentOf(lines[i]) === indent && lines[i].trimStart().startsWith('-')) {
        const rest = lines[i].trimStart().slice(1).trimStart();
        if (!rest) {
          i++;
          arr.push(block(indentOf(lines[i])));
        } else if (/^[\w./-]+:( |$)/.test(rest)) {
          lines[i] = ' '.repeat(indent + 2) + rest;
          arr.push(block(indent + 2));
        } else {
          arr.push(scalar(rest));
          i++;
        }
      }
      return arr;
    }
    const obj: Record<string, Json> = {};
    while (i < lines.length && indentOf(lines[i]) === indent) {
      const m = /^\s*([^:]+):(?:\s+(.*))?$/.exec(lines[i]);
      if (!m) throw new Error('line');
      i++;
      if (m[2] !== undefined && m[2] !== '') obj[m[1].trim()] = scalar(m[2]);
      else if (i < lines.length && indentOf(lines[i]) > indent) obj[m[1].trim()] = block(indentOf(lines[i]));
      else if (i < lines.length && indentOf(lines[i]) === indent && lines[i].trimStart().startsWith('-')) obj[m[1].trim()] = block(indent);
      else obj[m[1].trim()] = null;
    }
    return obj;
  };
  try {
    const v = block(0);
    return i === lines.length ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Command lines a manifest is given to. */
export function manifestCommand(rng: Rng, file: string): { args: string[]; stdin?: boolean; mutates: boolean } {
  switch (rng.int(0, 9)) {
    case 0: return { args: ['create', '-f', file], mutates: true };
    case 1: return { args: ['replace', '-f', file], mutates: true };
    case 2: return { args: ['delete', '-f', file], mutates: true };
    case 3: return { args: ['apply', '-f', '-'], stdin: true, mutates: true };
    case 4: return { args: ['apply', '-f', file, '--dry-run=server'], mutates: false };
    case 5: return { args: ['create', '-f', file, '--dry-run=client', '-o', 'json'], mutates: false };
    case 6: return { args: ['apply', '-f', file, '--validate=false'], mutates: true };
    default: return { args: ['apply', '-f', file], mutates: true };
  }
}
