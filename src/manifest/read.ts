/**
 * `-f` arguments → manifest sources, as kubectl's resource builder expands them
 * (kubernetes/kubernetes:staging/src/k8s.io/cli-runtime/pkg/resource/builder.go FilenameParam,
 * Path, expandIfFilePattern; visitor.go ExpandPathsToFileVisitors, FileVisitor):
 *  - `-` is standard input, named STDIN;
 *  - a path that does not exist is tried as a glob (Go's filepath.Glob);
 *  - a file given explicitly is read whatever its extension;
 *  - a directory contributes its *.json, *.yaml and *.yml files in filepath.Walk order
 *    (sorted by name, depth first), descending into subdirectories only with -R;
 *  - http(s) URLs, which kubectl downloads, are not fetched: they become unreadable sources.
 * Problems with the arguments themselves are thrown before anything is read, as kubectl
 * reports them before doing anything; a file that cannot be read becomes a source carrying
 * its error, reported in turn like kubectl does when it reaches the file.
 */
import fs from 'node:fs';
import { CliError, MultiError, goQuote } from '../api/errors.ts';
import { decodeManifestBytes } from './encoding.ts';
import { errnoCode, errnoText } from '../util/errno.ts';

export interface ManifestSource {
  /** The name kubectl prints: the path as given or as walked, or "STDIN". */
  name: string;
  text: string;
  /** Why the source could not be read (kubectl's message, without `error: `). */
  error?: string;
}

export interface ReadOptions {
  recursive: boolean;
  readStdin: () => string;
}

/** builder.go FileExtensions. */
const FILE_EXTENSIONS = ['.json', '.yaml', '.yml'];

/** Sources for `-f` arguments in kubectl's order. Throws CliError, or MultiError for several problems. */
export function readSources(paths: string[], opts: ReadOptions): ManifestSource[] {
  const errors: CliError[] = [];
  const sources: ManifestSource[] = [];
  let stdinUsed = false;
  for (const arg of paths) {
    if (arg === '-') {
      if (stdinUsed) errors.push(new CliError('standard input cannot be used for multiple arguments'));
      stdinUsed = true;
      sources.push({ name: 'STDIN', text: opts.readStdin() });
    } else if (arg.startsWith('http://') || arg.startsWith('https://')) {
      sources.push({ name: arg, text: '', error: `unable to read URL ${goQuote(arg)}: only local files can be read` });
    } else {
      let matches: string[];
      try {
        matches = expandIfFilePattern(arg);
      } catch (err) {
        errors.push(err as CliError);
        continue;
      }
      addPaths(matches, opts.recursive, sources, errors);
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1) throw new MultiError(errors);
  return sources;
}

/** Builder.Path. */
function addPaths(matches: string[], recursive: boolean, sources: ManifestSource[], errors: CliError[]): void {
  for (const p of matches) {
    try {
      fs.statSync(p);
    } catch (err) {
      const code = errnoCode(err);
      errors.push(
        new CliError(
          code === 'ENOENT'
            ? `the path ${goQuote(p)} does not exist`
            : `the path ${goQuote(p)} cannot be accessed: stat ${p}: ${errnoText(err)}`,
        ),
      );
      continue;
    }
    try {
      for (const file of walkManifestFiles(p, recursive)) sources.push(readFile(file));
    } catch (err) {
      if (!(err instanceof WalkError)) throw err;
      errors.push(new CliError(`error reading ${goQuote(p)}: ${err.message}`));
    }
  }
  if (sources.length === 0 && errors.length === 0) {
    const extensions = FILE_EXTENSIONS.join(' ');
    errors.push(new CliError(`error reading [${matches.join(' ')}]: recognized file extensions are [${extensions}]`));
  }
}

/** builder.go expandIfFilePattern: paths that do not exist are globs. */
function expandIfFilePattern(pattern: string): string[] {
  try {
    fs.statSync(pattern);
    return [pattern];
  } catch (err) {
    if (errnoCode(err) !== 'ENOENT') return [pattern];
  }
  let matches: string[];
  try {
    matches = glob(pattern);
  } catch (err) {
    if (!(err instanceof BadPattern)) throw err;
    throw new CliError(`pattern ${goQuote(pattern)} is not valid: syntax error in pattern`);
  }
  if (matches.length === 0) throw new CliError(`the path ${goQuote(pattern)} does not exist`);
  return matches;
}

// ------------------------------------------------------------------ reading files

/** FileVisitor: the whole file, decoded as kubectl decodes it. */
function readFile(path: string): ManifestSource {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(path);
  } catch (err) {
    // os.Open succeeds on a directory (e.g. a symlink Walk did not follow); reading fails.
    if (errnoCode(err) === 'EISDIR') {
      return { name: path, text: '', error: `error parsing ${path}: read ${path}: is a directory` };
    }
    return { name: path, text: '', error: `open ${path}: ${errnoText(err)}` };
  }
  return { name: path, text: decodeManifestBytes(bytes) };
}

/** An error from filepath.Walk, reported as `error reading "<root>": <message>`. */
class WalkError extends Error {}

/**
 * ExpandPathsToFileVisitors: filepath.Walk from `root` (Lstat, so symbolic links are not
 * followed), keeping directories' files with a manifest extension.
 */
function walkManifestFiles(root: string, recursive: boolean): string[] {
  const files: string[] = [];
  const walk = (path: string, isDir: boolean): void => {
    if (!isDir) {
      if (path === root || FILE_EXTENSIONS.includes(extension(path))) files.push(path);
      return;
    }
    // filepath.walk reads the directory before deciding to skip it.
    let names: string[];
    try {
      names = fs.readdirSync(path).sort(compareBytes);
    } catch (err) {
      throw new WalkError(`open ${path}: ${errnoText(err)}`);
    }
    if (path !== root && !recursive) return;
    for (const name of names) {
      const child = join(path, name);
      let stat: fs.Stats;
      try {
        stat = fs.lstatSync(child);
      } catch (err) {
        throw new WalkError(`lstat ${child}: ${errnoText(err)}`);
      }
      walk(child, stat.isDirectory());
    }
  };
  let rootStat: fs.Stats;
  try {
    rootStat = fs.lstatSync(root);
  } catch (err) {
    throw new WalkError(`lstat ${root}: ${errnoText(err)}`);
  }
  walk(root, rootStat.isDirectory());
  return files;
}

/** filepath.Ext: the suffix from the last dot of the last element. */
function extension(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : base.slice(dot);
}

function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

// ------------------------------------------------------------------ Go's path handling

/** filepath.Clean. */
function cleanPath(path: string): string {
  if (path === '') return '.';
  const rooted = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!rooted) out.push('..');
      continue;
    }
    out.push(part);
  }
  const joined = out.join('/');
  if (rooted) return '/' + joined;
  return joined === '' ? '.' : joined;
}

/** filepath.Join of two elements. */
function join(dir: string, name: string): string {
  return cleanPath(dir === '' ? name : `${dir}/${name}`);
}

/** filepath.Glob's error for malformed patterns. */
class BadPattern extends Error {}

/** filepath.Glob: matches sorted within each directory; I/O errors are ignored. */
function glob(pattern: string): string[] {
  match(pattern, ''); // validates the whole pattern
  if (!hasMeta(pattern)) {
    try {
      fs.lstatSync(pattern);
      return [pattern];
    } catch {
      return [];
    }
  }
  const slash = pattern.lastIndexOf('/');
  let dir = pattern.slice(0, slash + 1);
  const file = pattern.slice(slash + 1);
  dir = dir === '' ? '.' : dir === '/' ? '/' : dir.slice(0, -1);
  if (!hasMeta(dir)) return globDir(dir, file, []);
  if (dir === pattern) throw new BadPattern();
  let matches: string[] = [];
  for (const d of glob(dir)) matches = globDir(d, file, matches);
  return matches;
}

function hasMeta(path: string): boolean {
  return /[*?[\\]/.test(path);
}

function globDir(dir: string, pattern: string, matches: string[]): string[] {
  let names: string[];
  try {
    if (!fs.statSync(dir).isDirectory()) return matches;
    names = fs.readdirSync(dir).sort(compareBytes);
  } catch {
    return matches;
  }
  for (const name of names) if (match(pattern, name)) matches.push(join(dir, name));
  return matches;
}

/** filepath.Match on Unix: `*`, `?`, `[...]` classes and `\` escapes; `/` is never matched by a wildcard. */
export function match(pattern: string, name: string): boolean {
  let pat = Array.from(pattern, (c) => c.codePointAt(0)!);
  let str = Array.from(name, (c) => c.codePointAt(0)!);
  const SLASH = 0x2f;
  outer: while (pat.length > 0) {
    const { star, chunk, rest } = scanChunk(pat);
    pat = rest;
    if (star && chunk.length === 0) return !str.includes(SLASH);
    const here = matchChunk(chunk, str);
    if (here !== null && (here.length === 0 || pat.length > 0)) {
      str = here;
      continue;
    }
    if (star) {
      for (let i = 0; i < str.length && str[i] !== SLASH; i++) {
        const t = matchChunk(chunk, str.slice(i + 1));
        if (t !== null) {
          if (pat.length === 0 && t.length > 0) continue;
          str = t;
          continue outer;
        }
      }
    }
    // The rest of the pattern must still be well formed.
    while (pat.length > 0) {
      const next = scanChunk(pat);
      pat = next.rest;
      matchChunk(next.chunk, []);
    }
    return false;
  }
  return str.length === 0;
}

function scanChunk(pattern: number[]): { star: boolean; chunk: number[]; rest: number[] } {
  let star = false;
  let p = pattern;
  while (p.length > 0 && p[0] === 0x2a) {
    p = p.slice(1);
    star = true;
  }
  let inRange = false;
  let i = 0;
  for (; i < p.length; i++) {
    const c = p[i];
    if (c === 0x5c) {
      if (i + 1 < p.length) i++;
    } else if (c === 0x5b) inRange = true;
    else if (c === 0x5d) inRange = false;
    else if (c === 0x2a && !inRange) break;
  }
  return { star, chunk: p.slice(0, i), rest: p.slice(i) };
}

/** The rest of `s` after `chunk` matched its start, or null; throws BadPattern. */
function matchChunk(chunk: number[], s: number[]): number[] | null {
  let failed = false;
  let c = chunk;
  let rest = s;
  while (c.length > 0) {
    if (!failed && rest.length === 0) failed = true;
    if (c[0] === 0x5b) {
      const r = failed ? -1 : rest[0];
      if (!failed) rest = rest.slice(1);
      c = c.slice(1);
      let negated = false;
      if (c[0] === 0x5e) {
        negated = true;
        c = c.slice(1);
      }
      let matched = false;
      let ranges = 0;
      for (;;) {
        if (c.length > 0 && c[0] === 0x5d && ranges > 0) {
          c = c.slice(1);
          break;
        }
        const lo = getEscape(c);
        c = lo.rest;
        let hi = lo.r;
        if (c[0] === 0x2d) {
          const h = getEscape(c.slice(1));
          hi = h.r;
          c = h.rest;
        }
        if (lo.r <= r && r <= hi) matched = true;
        ranges++;
      }
      if (matched === negated) failed = true;
    } else if (c[0] === 0x3f) {
      if (!failed) {
        if (rest[0] === 0x2f) failed = true;
        rest = rest.slice(1);
      }
      c = c.slice(1);
    } else {
      if (c[0] === 0x5c) {
        c = c.slice(1);
        if (c.length === 0) throw new BadPattern();
      }
      if (!failed) {
        if (c[0] !== rest[0]) failed = true;
        rest = rest.slice(1);
      }
      c = c.slice(1);
    }
  }
  return failed ? null : rest;
}

function getEscape(chunk: number[]): { r: number; rest: number[] } {
  if (chunk.length === 0 || chunk[0] === 0x2d || chunk[0] === 0x5d) throw new BadPattern();
  let c = chunk;
  if (c[0] === 0x5c) {
    c = c.slice(1);
    if (c.length === 0) throw new BadPattern();
  }
  const rest = c.slice(1);
  if (rest.length === 0) throw new BadPattern();
  return { r: c[0], rest };
}

