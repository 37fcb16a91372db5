/**
 * Label selectors: the string grammar of k8s.io/apimachinery/pkg/labels/selector.go
 * (`a=b,c!=d,e in (x,y),f notin (z),g,!h,i>3`) and the structured metav1.LabelSelector
 * (matchLabels + matchExpressions), with kubectl's printed form (FormatLabelSelector).
 */
import type { LabelSelector, Labels } from '../api/types.ts';
import { isQualifiedName, isValidLabelValue } from '../api/names.ts';

export type Operator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  operator: Operator;
  values: string[];
}

/** A parsed selector: every requirement must hold. An empty list selects everything. */
export type Selector = Requirement[];

export class SelectorParseError extends Error {}

export function matches(selector: Selector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const r of selector) {
    const has = Object.prototype.hasOwnProperty.call(l, r.key);
    const v = has ? l[r.key] : undefined;
    switch (r.operator) {
      case '=':
      case '==':
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has) return false;
        const lv = parseGoInt(v!);
        const rv = parseGoInt(r.values[0]);
        if (lv === undefined || rv === undefined) return false;
        if (r.operator === 'gt' ? !(lv > rv) : !(lv < rv)) return false;
        break;
      }
    }
  }
  return true;
}

function parseGoInt(s: string): number | undefined {
  return /^[-+]?\d+$/.test(s) ? Number(s) : undefined;
}

/** A selector matching exactly the given map (a Service's `spec.selector`). */
export function selectorFromSet(set: Labels | undefined): Selector {
  return Object.keys(set ?? {})
    .sort()
    .map((key) => ({ key, operator: '=' as const, values: [set![key]] }));
}

/** Convert a metav1.LabelSelector; undefined means "selects nothing" for the caller to decide. */
export function selectorFromLabelSelector(ls: LabelSelector): Selector {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(ls.matchLabels ?? {})) reqs.push({ key, operator: '=', values: [value] });
  for (const expr of ls.matchExpressions ?? []) {
    const values = [...(expr.values ?? [])].sort();
    switch (expr.operator) {
      case 'In':
        reqs.push({ key: expr.key, operator: 'in', values });
        break;
      case 'NotIn':
        reqs.push({ key: expr.key, operator: 'notin', values });
        break;
      case 'Exists':
        reqs.push({ key: expr.key, operator: 'exists', values: [] });
        break;
      case 'DoesNotExist':
        reqs.push({ key: expr.key, operator: '!', values: [] });
        break;
    }
  }
  return sortRequirements(reqs);
}

function sortRequirements(reqs: Requirement[]): Requirement[] {
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** Selector.String(): requirements sorted by key, joined by `,`. */
export function selectorString(selector: Selector): string {
  return selector
    .map((r) => {
      switch (r.operator) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
          return `${r.key} in (${r.values.join(',')})`;
        case 'notin':
          return `${r.key} notin (${r.values.join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return `${r.key}${r.operator}${r.values[0]}`;
      }
    })
    .join(',');
}

/** metav1.FormatLabelSelector: the selector string, `<none>` when it selects everything. */
export function formatLabelSelector(ls: LabelSelector | undefined): string {
  if (!ls) return '<none>';
  const s = selectorString(selectorFromLabelSelector(ls));
  return s === '' ? '<none>' : s;
}

/** labels.Set.String(): `k=v` sorted by key, joined by `,` (empty string for no labels). */
export function labelsString(labels: Labels | undefined): string {
  return Object.keys(labels ?? {})
    .sort()
    .map((k) => `${k}=${labels![k]}`)
    .join(',');
}

// ---------------------------------------------------------------- parser

type Tok = 'id' | 'end' | '!' | ',' | '=' | '==' | '!=' | '>' | '<' | 'in' | 'notin' | '(' | ')' | 'error';

const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const TOKENS: Record<string, Tok> = {
  ')': ')',
  ',': ',',
  '!': '!',
  '==': '==',
  '=': '=',
  '>': '>',
  in: 'in',
  '<': '<',
  '!=': '!=',
  notin: 'notin',
  '(': '(',
};

function lex(s: string): { tok: Tok; lit: string }[] {
  const items: { tok: Tok; lit: string }[] = [];
  let pos = 0;
  const isWs = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  for (;;) {
    while (pos < s.length && isWs(s[pos])) pos++;
    if (pos >= s.length) {
      items.push({ tok: 'end', lit: '' });
      return items;
    }
    if (SPECIAL.has(s[pos])) {
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (pos < s.length && SPECIAL.has(s[pos])) {
        buf += s[pos];
        const t = TOKENS[buf];
        if (t) {
          last = { tok: t, lit: buf };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      if (!last) {
        items.push({ tok: 'error', lit: `error expected: keyword found '${buf}'` });
      } else items.push(last);
      continue;
    }
    let buf = '';
    while (pos < s.length && !SPECIAL.has(s[pos]) && !isWs(s[pos])) buf += s[pos++];
    const t = TOKENS[buf];
    items.push(t ? { tok: t, lit: buf } : { tok: 'id', lit: buf });
  }
}

/** Parse the string form. Throws SelectorParseError with apimachinery's message. */
export function parseSelector(input: string): Selector {
  const items = lex(input);
  let p = 0;
  // In value context `in`/`notin` are plain identifiers.
  const look = (values: boolean) => {
    const it = items[p];
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id' as Tok, lit: it.lit } : it;
  };
  const take = (values: boolean) => {
    const it = look(values);
    p++;
    return it;
  };
  const reqs: Requirement[] = [];
  const fail = (msg: string): never => {
    throw new SelectorParseError(msg);
  };

  const parseRequirement = (): Requirement => {
    let op: Operator | undefined;
    let it = take(true);
    if (it.tok === '!') {
      op = '!';
      it = take(true);
    }
    if (it.tok !== 'id') fail(`found '${it.lit}', expected: identifier`);
    const key = it.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) fail(`<nil>: Invalid value: ${JSON.stringify(key)}: ${keyErrs.join('; ')}`);
    const next = look(true);
    if (next.tok === 'end' || next.tok === ',') {
      return { key, operator: op ?? 'exists', values: [] };
    }
    if (op === '!') fail(`found '${next.lit}', expected: ',' or 'end of string'`);
    const opTok = take(false);
    switch (opTok.tok) {
      case 'in':
        op = 'in';
        break;
      case 'notin':
        op = 'notin';
        break;
      case '=':
        op = '=';
        break;
      case '==':
        op = '==';
        break;
      case '!=':
        op = '!=';
        break;
      case '>':
        op = 'gt';
        break;
      case '<':
        op = 'lt';
        break;
      default:
        fail(`found '${opTok.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    let values: string[];
    if (op === 'in' || op === 'notin') {
      const open = take(true);
      if (open.tok !== '(') fail(`found '${open.lit}' expected: '('`);
      const first = look(true);
      const set = new Set<string>();
      if (first.tok === ')') {
        take(true);
        set.add('');
      } else if (first.tok === 'id' || first.tok === ',') {
        for (;;) {
          const v = take(true);
          if (v.tok === 'id') {
            set.add(v.lit);
            const n = look(true);
            if (n.tok === ',') continue;
            if (n.tok === ')') break;
            fail(`found '${n.lit}', expected: ',' or ')'`);
          } else if (v.tok === ',') {
            if (set.size === 0) set.add('');
            const n = look(true);
            if (n.tok === ')') {
              set.add('');
              break;
            }
            if (n.tok === ',') set.add('');
          } else {
            fail(`found '${v.lit}', expected: ',', or identifier`);
          }
        }
        const close = take(true);
        if (close.tok !== ')') fail(`found '${first.lit}', expected: ')'`);
      } else {
        fail(`found '${first.lit}', expected: ',', ')' or identifier`);
      }
      values = [...set].sort();
    } else {
      const v = look(true);
      if (v.tok === 'end' || v.tok === ',') values = [''];
      else {
        const t = take(true);
        if (t.tok !== 'id') fail(`found '${t.lit}', expected: identifier`);
        values = [t.lit];
      }
    }
    if (op === 'gt' || op === 'lt') {
      if (values.length !== 1 || parseGoInt(values[0]) === undefined)
        fail(`<nil>: Invalid value: ${JSON.stringify(values[0])}: for 'Gt', 'Lt' operators, the value must be an integer`);
    } else {
      for (const v of values) {
        const errs = isValidLabelValue(v);
        if (errs.length) fail(`<nil>[${key}]: Invalid value: ${JSON.stringify(v)}: ${errs.join('; ')}`);
      }
    }
    return { key, operator: op!, values };
  };

  for (;;) {
    const it = look(true);
    if (it.tok === 'end') break;
    if (it.tok === 'id' || it.tok === '!') {
      try {
        reqs.push(parseRequirement());
      } catch (e) {
        if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const sep = take(true);
      if (sep.tok === 'end') break;
      if (sep.tok === ',') {
        const n = look(true);
        if (n.tok !== 'id' && n.tok !== '!') fail(`found '${n.lit}', expected: identifier after ','`);
        continue;
      }
      fail(`found '${sep.lit}', expected: ',' or 'end of string'`);
    } else {
      fail(`found '${it.lit}', expected: !, identifier, or 'end of string'`);
    }
  }
  return sortRequirements(reqs);
}
