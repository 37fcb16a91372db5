/**
 * Ingress and IngressClass rows: printIngress / printIngressClass in
 * k8s.io/kubernetes pkg/printers/internalversion/printers.go.
 */
import type { Ingress, IngressClass, IngressRule, KObject } from '../../api/types.ts';
import { AGE, NAME, ageOf, column, loadBalancerAddresses, nameOf, type KindPrinter } from './common.ts';

export const ingressPrinter: KindPrinter = {
  columns: [NAME, column('Class'), column('Hosts'), column('Address'), column('Ports'), AGE],
  cells: (object: KObject, now: Date) => {
    const ing = object as Ingress;
    const spec = ing.spec ?? {};
    return [
      nameOf(ing),
      spec.ingressClassName ?? '<none>',
      formatHosts(spec.rules ?? []),
      loadBalancerAddresses(ing.status?.loadBalancer?.ingress),
      // formatPorts: TLS means 443 is served too, whatever the hosts.
      (spec.tls ?? []).length > 0 ? '80, 443' : '80',
      ageOf(ing, now),
    ];
  },
};

export const ingressClassPrinter: KindPrinter = {
  columns: [NAME, column('Controller'), column('Parameters'), AGE],
  cells: (object: KObject, now: Date) => {
    const ic = object as IngressClass;
    const params = ic.spec?.parameters as { apiGroup?: string | null; kind?: string; name?: string } | undefined;
    let parameters = '<none>';
    if (params) {
      const kind = params.apiGroup != null ? `${params.kind ?? ''}.${params.apiGroup}` : (params.kind ?? '');
      parameters = `${kind}/${params.name ?? ''}`;
    }
    return [nameOf(ic), ic.spec?.controller ?? '', parameters, ageOf(ic, now)];
  },
};

/**
 * formatHosts: rule hosts (hostless rules skipped) up to three; once three are listed the
 * rest become ` + <n> more...`, n counting the remaining rules, hostless or not. `*` for none.
 */
function formatHosts(rules: readonly IngressRule[]): string {
  const max = 3;
  const hosts: string[] = [];
  let more = false;
  for (const rule of rules) {
    if (hosts.length === max) more = true;
    if (!more && rule.host) hosts.push(rule.host);
  }
  if (hosts.length === 0) return '*';
  const shown = hosts.join(',');
  return more ? `${shown} + ${rules.length - max} more...` : shown;
}
