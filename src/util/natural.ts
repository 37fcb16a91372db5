/**
 * Natural string order (github.com/fvbommel/sortorder NaturalLess, used by kubectl --sort-by):
 * digit runs compare by value, so `pod-2` sorts before `pod-10`.
 */
const isDigit = (c: number) => c >= 48 && c <= 57;

export function naturalLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const c1 = a.charCodeAt(i);
    const c2 = b.charCodeAt(j);
    const d1 = isDigit(c1);
    const d2 = isDigit(c2);
    if (d1 !== d2) return d1;
    if (!d1) {
      if (c1 !== c2) return c1 < c2;
      i++;
      j++;
      continue;
    }
    while (i < a.length && a[i] === '0') i++;
    while (j < b.length && b[j] === '0') j++;
    const n1 = i;
    const n2 = j;
    while (i < a.length && isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && isDigit(b.charCodeAt(j))) j++;
    if (i - n1 !== j - n2) return i - n1 < j - n2;
    const r1 = a.slice(n1, i);
    const r2 = b.slice(n2, j);
    if (r1 !== r2) return r1 < r2;
    if (n1 !== n2) return n1 < n2;
  }
  return a.length < b.length;
}
