/**
 * The shell language a user types into a container, as far as kfake runs it: words with
 * single/double quotes and backslashes, `$VAR`, `${VAR}`, `$?`, `$(…)` and backquotes; simple
 * commands with `VAR=value` prefixes and redirections (`>`, `>>`, `<`, `2>`, `2>&1`, `&>`);
 * pipelines `|`; `&&` and `||`; `;`, `&` and newlines; `for NAME in WORDS; do …; done`; `#`
 * comments. Syntax errors are reported as the shell reports them.
 */

export type WordPart =
  | { kind: 'text'; text: string; quoted: boolean }
  | { kind: 'var'; name: string; quoted: boolean }
  | { kind: 'cmdsub'; script: string; quoted: boolean };

export type Word = WordPart[];

export interface Redirect {
  fd: 0 | 1 | 2 | 'both';
  op: '>' | '>>' | '<' | '>&';
  target: Word;
}

export interface SimpleCommand {
  kind: 'simple';
  assigns: { name: string; value: Word }[];
  words: Word[];
  redirects: Redirect[];
}

export interface ForCommand {
  kind: 'for';
  name: string;
  words: Word[];
  body: Program;
}

export type Command = SimpleCommand | ForCommand;

export interface Pipeline {
  commands: Command[];
}

export interface AndOr {
  first: Pipeline;
  rest: { op: '&&' | '||'; pipeline: Pipeline }[];
}

export type Program = AndOr[];

export class ShellSyntaxError extends Error {
  /** The unexpected token, as shells quote it. */
  readonly token: string;
  constructor(token: string) {
    super(`syntax error near unexpected token \`${token}'`);
    this.token = token;
  }
}

export class IncompleteInput extends Error {}

type Token = { t: 'word'; word: Word; raw: string } | { t: 'op'; op: string };

const OPERATORS = ['&&', '||', ';;', '>>', '&>', '2>&1', '2>>', '2>', '>&', '|', ';', '&', '>', '<', '\n', '(', ')'];

/** Read `$(…)` starting after `$(`, honouring nesting and quotes; returns the inner script and the end index. */
function readParen(s: string, start: number): [string, number] {
  let depth = 1;
  let i = start;
  let quote: string | undefined;
  for (; i < s.length; i++) {
    const c = s[i];
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return [s.slice(start, i), i + 1];
  }
  throw new IncompleteInput();
}

function readVar(s: string, i: number, quoted: boolean): [WordPart, number] {
  // s[i] === '$'
  const next = s[i + 1];
  if (next === '{') {
    const close = s.indexOf('}', i + 2);
    if (close < 0) throw new IncompleteInput();
    return [{ kind: 'var', name: s.slice(i + 2, close), quoted }, close + 1];
  }
  if (next === '(') {
    const [script, end] = readParen(s, i + 2);
    return [{ kind: 'cmdsub', script, quoted }, end];
  }
  if (next === '?' || next === '$' || next === '#' || next === '0' || next === '!') return [{ kind: 'var', name: next, quoted }, i + 2];
  const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(s.slice(i + 1));
  if (m) return [{ kind: 'var', name: m[0], quoted }, i + 1 + m[0].length];
  return [{ kind: 'text', text: '$', quoted }, i + 1];
}

function tokenize(s: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
      continue;
    }
    if (c === '\\' && s[i + 1] === '\n') {
      i += 2;
      continue;
    }
    if (c === '#') {
      while (i < s.length && s[i] !== '\n') i++;
      continue;
    }
    const op = OPERATORS.find((o) => s.startsWith(o, i));
    if (op && !(op.startsWith('2') && /[^\s;&|]/.test(s[i - 1] ?? ' '))) {
      tokens.push({ t: 'op', op });
      i += op.length;
      continue;
    }
    // A word.
    const word: Word = [];
    const start = i;
    let text = '';
    const flush = (quoted: boolean) => {
      if (text) word.push({ kind: 'text', text, quoted });
      text = '';
    };
    while (i < s.length) {
      const ch = s[i];
      if (' \t\r\n;&|<>()'.includes(ch)) break;
      if (ch === '\\') {
        if (i + 1 >= s.length) throw new IncompleteInput();
        flush(false);
        word.push({ kind: 'text', text: s[i + 1], quoted: true });
        i += 2;
        continue;
      }
      if (ch === "'") {
        const close = s.indexOf("'", i + 1);
        if (close < 0) throw new IncompleteInput();
        flush(false);
        word.push({ kind: 'text', text: s.slice(i + 1, close), quoted: true });
        i = close + 1;
        continue;
      }
      if (ch === '"') {
        flush(false);
        i++;
        let inner = '';
        let closed = false;
        while (i < s.length) {
          const d = s[i];
          if (d === '"') {
            closed = true;
            i++;
            break;
          }
          if (d === '\\' && '"\\$`\n'.includes(s[i + 1] ?? '')) {
            if (s[i + 1] !== '\n') inner += s[i + 1];
            i += 2;
            continue;
          }
          if (d === '$') {
            if (inner) word.push({ kind: 'text', text: inner, quoted: true });
            inner = '';
            const [part, end] = readVar(s, i, true);
            word.push(part);
            i = end;
            continue;
          }
          if (d === '`') {
            if (inner) word.push({ kind: 'text', text: inner, quoted: true });
            inner = '';
            const close = s.indexOf('`', i + 1);
            if (close < 0) throw new IncompleteInput();
            word.push({ kind: 'cmdsub', script: s.slice(i + 1, close), quoted: true });
            i = close + 1;
            continue;
          }
          inner += d;
          i++;
        }
        if (!closed) throw new IncompleteInput();
        word.push({ kind: 'text', text: inner, quoted: true });
        continue;
      }
      if (ch === '$') {
        flush(false);
        const [part, end] = readVar(s, i, false);
        word.push(part);
        i = end;
        continue;
      }
      if (ch === '`') {
        flush(false);
        const close = s.indexOf('`', i + 1);
        if (close < 0) throw new IncompleteInput();
        word.push({ kind: 'cmdsub', script: s.slice(i + 1, close), quoted: false });
        i = close + 1;
        continue;
      }
      text += ch;
      i++;
    }
    flush(false);
    tokens.push({ t: 'word', word, raw: s.slice(start, i) });
  }
  return tokens;
}

class Parser {
  private pos = 0;
  private readonly tokens: Token[];

  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }

  private peek(): Token | undefined {
    return this.tokens[this.pos];
  }

  private isOp(op: string): boolean {
    const t = this.peek();
    return !!t && t.t === 'op' && t.op === op;
  }

  private isWord(text: string): boolean {
    const t = this.peek();
    return !!t && t.t === 'word' && t.raw === text;
  }

  private skipNewlines(): void {
    while (this.isOp('\n')) this.pos++;
  }

  program(terminators: string[] = []): Program {
    const out: Program = [];
    this.skipNewlines();
    while (this.peek() && !terminators.some((w) => this.isWord(w))) {
      out.push(this.andOr());
      const t = this.peek();
      if (!t) break;
      if (t.t === 'op' && (t.op === ';' || t.op === '\n' || t.op === '&')) {
        this.pos++;
        this.skipNewlines();
        continue;
      }
      if (t.t === 'word' && terminators.includes(t.raw)) break;
      throw new ShellSyntaxError(t.t === 'op' ? t.op : t.raw);
    }
    return out;
  }

  private andOr(): AndOr {
    const first = this.pipeline();
    const rest: AndOr['rest'] = [];
    while (this.isOp('&&') || this.isOp('||')) {
      const op = (this.tokens[this.pos++] as { op: '&&' | '||' }).op;
      while (this.isOp('\n')) this.pos++;
      if (!this.peek()) throw new IncompleteInput();
      rest.push({ op, pipeline: this.pipeline() });
    }
    return { first, rest };
  }

  private pipeline(): Pipeline {
    const commands = [this.command()];
    while (this.isOp('|')) {
      this.pos++;
      while (this.isOp('\n')) this.pos++;
      if (!this.peek()) throw new IncompleteInput();
      commands.push(this.command());
    }
    return { commands };
  }

  private command(): Command {
    if (this.isWord('for')) return this.forCommand();
    const cmd: SimpleCommand = { kind: 'simple', assigns: [], words: [], redirects: [] };
    for (;;) {
      const t = this.peek();
      if (!t) break;
      if (t.t === 'op') {
        const redirect = this.redirect(t.op);
        if (redirect) {
          cmd.redirects.push(redirect);
          continue;
        }
        break;
      }
      if (cmd.words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.raw) && t.word[0]?.kind === 'text' && !t.word[0].quoted) {
        const first = t.word[0];
        const eq = first.text.indexOf('=');
        const value: Word = [{ kind: 'text', text: first.text.slice(eq + 1), quoted: false }, ...t.word.slice(1)];
        cmd.assigns.push({ name: first.text.slice(0, eq), value });
        this.pos++;
        continue;
      }
      cmd.words.push(t.word);
      this.pos++;
    }
    if (cmd.words.length === 0 && cmd.assigns.length === 0 && cmd.redirects.length === 0) {
      const t = this.peek();
      throw new ShellSyntaxError(t ? (t.t === 'op' ? (t.op === '\n' ? 'newline' : t.op) : t.raw) : 'newline');
    }
    return cmd;
  }

  private redirect(op: string): Redirect | undefined {
    const target = (): Word => {
      this.pos++;
      const t = this.peek();
      if (!t) throw new ShellSyntaxError('newline');
      if (t.t !== 'word') throw new ShellSyntaxError(t.op === '\n' ? 'newline' : t.op);
      this.pos++;
      return t.word;
    };
    switch (op) {
      case '>':
        return { fd: 1, op: '>', target: target() };
      case '>>':
        return { fd: 1, op: '>>', target: target() };
      case '<':
        return { fd: 0, op: '<', target: target() };
      case '2>':
        return { fd: 2, op: '>', target: target() };
      case '2>>':
        return { fd: 2, op: '>>', target: target() };
      case '&>':
        return { fd: 'both', op: '>', target: target() };
      case '2>&1':
        this.pos++;
        return { fd: 2, op: '>&', target: [{ kind: 'text', text: '1', quoted: false }] };
      case '>&':
        return { fd: 1, op: '>&', target: target() };
      default:
        return undefined;
    }
  }

  private forCommand(): ForCommand {
    this.pos++;
    const nameTok = this.peek();
    if (!nameTok || nameTok.t !== 'word') throw new IncompleteInput();
    this.pos++;
    const words: Word[] = [];
    if (this.isWord('in')) {
      this.pos++;
      while (this.peek()?.t === 'word') words.push((this.tokens[this.pos++] as { word: Word }).word);
    }
    while (this.isOp(';') || this.isOp('\n')) this.pos++;
    if (!this.peek()) throw new IncompleteInput();
    if (!this.isWord('do')) {
      const t = this.peek()!;
      throw new ShellSyntaxError(t.t === 'op' ? t.op : t.raw);
    }
    this.pos++;
    const body = this.program(['done']);
    if (!this.isWord('done')) throw new IncompleteInput();
    this.pos++;
    return { kind: 'for', name: nameTok.raw, words, body };
  }
}

/** Parse a script; IncompleteInput when more lines are needed (an open quote, `for` without `done`). */
export function parseScript(script: string): Program {
  const p = new Parser(tokenize(script));
  return p.program();
}
