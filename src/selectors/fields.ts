/**
 * Field selectors (`--field-selector`): `a=b`, `a==b`, `a!=b`, comma-separated, with `\,` `\=`
 * `\\` escapes (k8s.io/apimachinery/pkg/fields/selector.go), limited to the fields each kind's
 * registry supports (its GetAttrs / field label conversion).
 */
import type { KObject } from '../api/types.ts';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

const SUPPORTED: Record<string, string[]> = {
  pods: [
    'spec.nodeName',
    'spec.restartPolicy',
    'spec.schedulerName',
    'spec.serviceAccountName',
    'spec.hostNetwork',
    'status.phase',
    'status.podIP',
    'status.podIPs',
    'status.nominatedNodeName',
  ],
  events: [
    'involvedObject.kind',
    'involvedObject.namespace',
    'involvedObject.name',
    'involvedObject.uid',
    'involvedObject.apiVersion',
    'involvedObject.resourceVersion',
    'involvedObject.fieldPath',
    'reason',
    'reportingComponent',
    'source',
    'type',
  ],
  services: ['spec.clusterIP', 'spec.type'],
  nodes: ['spec.unschedulable'],
  namespaces: ['status.phase'],
  replicasets: ['status.replicas'],
};

function splitUnescaped(s: string, sep: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && i + 1 < s.length) {
      cur += s[i] + s[i + 1];
      i++;
    } else if (s[i] === sep) {
      out.push(cur);
      cur = '';
    } else cur += s[i];
  }
  out.push(cur);
  return out;
}

function unescape(s: string): string {
  return s.replace(/\\([\\,=])/g, '$1');
}

export function parseFieldSelector(input: string, resource: string): FieldRequirement[] {
  if (input.trim() === '') return [];
  const reqs: FieldRequirement[] = [];
  for (const part of splitUnescaped(input, ',')) {
    const m = /^(.*?)(!=|==|=)(.*)$/s.exec(part);
    if (!m) throw new FieldSelectorError(`invalid selector: '${input}'; can't understand '${part}'`);
    const field = unescape(m[1]);
    const supported = ['metadata.name', ...(resource === 'nodes' || resource === 'namespaces' ? [] : ['metadata.namespace']), ...(SUPPORTED[resource] ?? [])];
    if (!supported.includes(field)) throw new FieldSelectorError(`field label not supported: ${field}`);
    reqs.push({ field, op: m[2] === '!=' ? '!=' : '=', value: unescape(m[3]) });
  }
  return reqs;
}

function fieldValue(obj: KObject, field: string): string {
  if (field === 'source') return String((obj.source as { component?: string } | undefined)?.component ?? '');
  if (field === 'status.podIPs') return String((obj.status as { podIPs?: { ip: string }[] } | undefined)?.podIPs?.[0]?.ip ?? '');
  let cur: unknown = obj;
  for (const p of field.split('.')) {
    if (cur === null || typeof cur !== 'object') return '';
    cur = (cur as Record<string, unknown>)[p];
  }
  if (cur === undefined || cur === null) return field === 'spec.hostNetwork' || field === 'spec.unschedulable' ? 'false' : '';
  return String(cur);
}

export function matchesFields(reqs: FieldRequirement[], obj: KObject): boolean {
  return reqs.every((r) => (fieldValue(obj, r.field) === r.value) === (r.op === '='));
}
