/**
 * kubectl describe namespace (describeNamespace, DescribeResourceQuotas, DescribeLimitRanges in
 * staging/src/k8s.io/kubectl/pkg/describe/describe.go). Namespaces have no Events section.
 */
import type { KObject, Namespace } from '../../api/types.ts';
import { compareStrings, formatTime, printAnnotationsMultiline, printLabelsMultiline, sortedKeys } from './common.ts';
import { quantityText } from './containers.ts';
import type { DescribeContext } from './context.ts';
import { LEVEL_0, LEVEL_1, type PrefixWriter, tabbedString } from './writer.ts';

type ResourceList = Record<string, string>;

interface ResourceQuota extends KObject {
  spec?: { hard?: ResourceList; scopes?: string[] };
  status?: { hard?: ResourceList; used?: ResourceList };
}

interface LimitRangeItem {
  type?: string;
  max?: ResourceList;
  min?: ResourceList;
  default?: ResourceList;
  defaultRequest?: ResourceList;
  maxLimitRequestRatio?: ResourceList;
}

interface LimitRange extends KObject {
  spec?: { limits?: LimitRangeItem[] };
}

const SCOPE_HELP: Record<string, string> = {
  Terminating:
    'Matches all pods that have an active deadline. These pods have a limited lifespan on a node before being actively terminated by the system.',
  NotTerminating:
    'Matches all pods that do not have an active deadline. These pods usually include long running pods whose container command is not expected to terminate.',
  BestEffort: 'Matches all pods that do not have resource requirements set. These pods have a best effort quality of service.',
  NotBestEffort:
    'Matches all pods that have at least one resource requirement set. These pods have a burstable or guaranteed quality of service.',
};

function describeResourceQuotas(w: PrefixWriter, quotas: ResourceQuota[]): void {
  if (quotas.length === 0) {
    w.write(LEVEL_0, 'No resource quota.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Quotas\n');
  for (const q of [...quotas].sort((a, b) => compareStrings(a.metadata.name ?? '', b.metadata.name ?? ''))) {
    w.write(LEVEL_1, `Name:\t${q.metadata.name ?? ''}\n`);
    const scopes = [...(q.spec?.scopes ?? [])].sort(compareStrings);
    if (scopes.length > 0) {
      w.write(LEVEL_1, `Scopes:\t${scopes.join(', ')}\n`);
      for (const scope of scopes) if (SCOPE_HELP[scope]) w.write(LEVEL_1, `* ${SCOPE_HELP[scope]}\n`);
    }
    w.write(LEVEL_1, 'Resource\tUsed\tHard\n');
    w.write(LEVEL_1, '--------\t---\t---\n');
    for (const resource of sortedKeys(q.status?.hard)) {
      const used = q.status?.used?.[resource] ?? '0';
      w.write(LEVEL_1, `${resource}\t${quantityText(used)}\t${quantityText(q.status!.hard![resource])}\n`);
    }
  }
}

/**
 * DescribeLimitRanges: one row per limit item and resource. kubectl visits the resources in Go map
 * order; they are sorted here so the output is stable.
 */
function describeLimitRanges(w: PrefixWriter, ranges: LimitRange[]): void {
  if (ranges.length === 0) {
    w.write(LEVEL_0, 'No LimitRange resource.\n');
    return;
  }
  w.write(LEVEL_0, 'Resource Limits\n Type\tResource\tMin\tMax\tDefault Request\tDefault Limit\tMax Limit/Request Ratio\n');
  w.write(LEVEL_0, ' ----\t--------\t---\t---\t---------------\t-------------\t-----------------------\n');
  for (const range of ranges) {
    for (const item of range.spec?.limits ?? []) {
      const lists = [item.min, item.max, item.defaultRequest, item.default, item.maxLimitRequestRatio];
      const names = [...new Set(lists.flatMap((l) => Object.keys(l ?? {})))].sort(compareStrings);
      for (const name of names) {
        const cells = lists.map((l) => (l && name in l ? quantityText(l[name]) : '-'));
        w.write(LEVEL_0, ` ${item.type ?? ''}\t${name}\t${cells.join('\t')}\n`);
      }
    }
  }
}

export function describeNamespace(ns: Namespace, ctx: DescribeContext): string {
  const name = ns.metadata.name ?? '';
  const quotas = ctx.list('resourcequotas', name) as ResourceQuota[];
  const limitRanges = ctx.list('limitranges', name) as LimitRange[];
  return tabbedString((w) => {
    w.write(LEVEL_0, `Name:\t${name}\n`);
    printLabelsMultiline(w, 'Labels', ns.metadata.labels);
    printAnnotationsMultiline(w, 'Annotations', ns.metadata.annotations);
    w.write(LEVEL_0, `Status:\t${ns.status?.phase ?? ''}\n`);
    const conditions = ns.status?.conditions ?? [];
    if (conditions.length > 0) {
      w.write(LEVEL_0, 'Conditions:\n');
      w.write(LEVEL_1, 'Type\tStatus\tLastTransitionTime\tReason\tMessage\n');
      w.write(LEVEL_1, '----\t------\t------------------\t------\t-------\n');
      for (const c of conditions) {
        w.write(LEVEL_1, `${c.type}\t${c.status}\t${formatTime(c.lastTransitionTime)}\t${c.reason ?? ''}\t${c.message ?? ''}\n`);
      }
    }
    w.write(LEVEL_0, '\n');
    describeResourceQuotas(w, quotas);
    w.write(LEVEL_0, '\n');
    describeLimitRanges(w, limitRanges);
  });
}
