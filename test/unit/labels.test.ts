import { describe, expect, it } from 'vitest';
import {
  formatLabelSelector,
  matches,
  parseSelector,
  selectorString,
} from '../../src/selectors/labels.ts';

describe('parseSelector', () => {
  it.each([
    ['x=a,y=b,z=c', 'x=a,y=b,z=c'],
    ['x in (foo,,baz),y,z notin ()', 'x in (,baz,foo),y,z notin ()'],
    ['!x', '!x'],
    ['x>1', 'x>1'],
    ['a==b', 'a==b'],
    ['b!=c , a = d', 'a=d,b!=c'],
    ['', ''],
  ])('%s round-trips as %s', (input, want) => {
    expect(selectorString(parseSelector(input))).toBe(want);
  });

  it.each([
    ['x=a||y=b', 'unable to parse requirement: <nil>[x]: Invalid value: "a||y": a valid label must be an empty string'],
    ['x=(', "unable to parse requirement: found '(', expected: identifier"],
    ['x in a', "unable to parse requirement: found 'a' expected: '('"],
    ['x,', "found '', expected: identifier after ','"],
    ['x y', "unable to parse requirement: found 'y', expected: in, notin, =, ==, !=, gt, lt"],
  ])('rejects %s', (input, message) => {
    expect(() => parseSelector(input)).toThrow(message);
  });
});

describe('matches', () => {
  const labels = { app: 'web', tier: 'fe', n: '5' };
  it.each([
    ['app=web', true],
    ['app=db', false],
    ['app!=db', true],
    ['missing!=x', true],
    ['app in (web,db)', true],
    ['tier notin (fe)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['n>4', true],
    ['n<5', false],
    ['app=web,tier=be', false],
  ])('%s -> %s', (sel, want) => {
    expect(matches(parseSelector(sel), labels)).toBe(want);
  });
});

describe('formatLabelSelector', () => {
  it('sorts requirements and renders expressions like kubectl', () => {
    expect(
      formatLabelSelector({
        matchLabels: { b: '2', a: '1' },
        matchExpressions: [{ key: 'c', operator: 'In', values: ['y', 'x'] }, { key: 'd', operator: 'DoesNotExist' }],
      }),
    ).toBe('a=1,b=2,c in (x,y),!d');
    expect(formatLabelSelector({})).toBe('<none>');
  });
});
