/**
 * `kfake cluster reset --ingress nginx`: ingress-nginx v1.12.1 as its static manifests install it
 * (kubernetes/ingress-nginx deploy/static/provider/baremetal/deploy.yaml, and
 * provider/cloud/deploy.yaml when the cluster has a load-balancer pool): the `ingress-nginx`
 * namespace, the controller's ConfigMap, Deployment and Services, and the IngressClass `nginx`.
 *
 * - Without a load-balancer pool (kubeadm/bare metal): the controller Service is a NodePort, and
 *   Ingresses show the InternalIP of the node(s) running a Ready controller pod as ADDRESS.
 * - With a pool (like MetalLB): the Service is a LoadBalancer (externalTrafficPolicy Local) and
 *   the controller runs with --publish-service, so Ingresses show its load-balancer address.
 *
 * One difference from the manifests: the IngressClass is annotated as the cluster's default
 * (`ingressclass.kubernetes.io/is-default-class: "true"`, as minikube's ingress addon does), so
 * an Ingress without ingressClassName, like the Kubernetes documentation's minimal-ingress, is
 * served. RBAC objects, the admission webhook configuration and its certificate Jobs have no
 * counterpart in kfake and are left out.
 */
import type { ConfigMap, Container, Deployment, IngressClass, KObject, Namespace, Service } from '../api/types.ts';
import { createObject, type ApiContext } from '../apiserver/api.ts';

export const INGRESS_NGINX_NAMESPACE = 'ingress-nginx';
export const INGRESS_NGINX_VERSION = '1.12.1';
export const INGRESS_NGINX_IMAGE =
  'registry.k8s.io/ingress-nginx/controller:v1.12.1@sha256:d2fbc4ec70d8aa2050dd91a91506e998765e86c96f32cffb56c503c9c34eed5b';

const SELECTOR = {
  'app.kubernetes.io/component': 'controller',
  'app.kubernetes.io/instance': 'ingress-nginx',
  'app.kubernetes.io/name': 'ingress-nginx',
};

const LABELS = {
  ...SELECTOR,
  'app.kubernetes.io/part-of': 'ingress-nginx',
  'app.kubernetes.io/version': INGRESS_NGINX_VERSION,
};

const HEALTH_PROBE = {
  httpGet: { path: '/healthz', port: 10254, scheme: 'HTTP' },
  initialDelaySeconds: 10,
  periodSeconds: 10,
  successThreshold: 1,
  timeoutSeconds: 1,
};

/** The objects, in the order `kubectl apply -f deploy.yaml` creates them. */
export function ingressNginxObjects(opts: { loadBalancer: boolean }): KObject[] {
  const ns = INGRESS_NGINX_NAMESPACE;
  const args = [
    '/nginx-ingress-controller',
    ...(opts.loadBalancer ? ['--publish-service=$(POD_NAMESPACE)/ingress-nginx-controller'] : []),
    '--election-id=ingress-nginx-leader',
    '--controller-class=k8s.io/ingress-nginx',
    '--ingress-class=nginx',
    '--configmap=$(POD_NAMESPACE)/ingress-nginx-controller',
    '--validating-webhook=:8443',
    '--validating-webhook-certificate=/usr/local/certificates/cert',
    '--validating-webhook-key=/usr/local/certificates/key',
  ];
  const namespace: Namespace = {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: ns, labels: { 'app.kubernetes.io/instance': 'ingress-nginx', 'app.kubernetes.io/name': 'ingress-nginx' } },
  };
  const configMap: ConfigMap = {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'ingress-nginx-controller', namespace: ns, labels: LABELS },
  };
  const service: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ingress-nginx-controller', namespace: ns, labels: LABELS },
    spec: {
      ...(opts.loadBalancer ? { externalTrafficPolicy: 'Local' } : {}),
      ipFamilies: ['IPv4'],
      ipFamilyPolicy: 'SingleStack',
      ports: [
        { appProtocol: 'http', name: 'http', port: 80, protocol: 'TCP', targetPort: 'http' },
        { appProtocol: 'https', name: 'https', port: 443, protocol: 'TCP', targetPort: 'https' },
      ],
      selector: SELECTOR,
      type: opts.loadBalancer ? 'LoadBalancer' : 'NodePort',
    },
  };
  const admission: Service = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'ingress-nginx-controller-admission', namespace: ns, labels: LABELS },
    spec: {
      ports: [{ appProtocol: 'https', name: 'https-webhook', port: 443, targetPort: 'webhook' }],
      selector: SELECTOR,
      type: 'ClusterIP',
    },
  };
  // Container has no `lifecycle` field in kfake's types; the API stores it as sent.
  const controller: Container & { lifecycle: unknown } = {
    name: 'controller',
    image: INGRESS_NGINX_IMAGE,
    imagePullPolicy: 'IfNotPresent',
    args,
    env: [
      { name: 'POD_NAME', valueFrom: { fieldRef: { fieldPath: 'metadata.name' } } },
      { name: 'POD_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
      { name: 'LD_PRELOAD', value: '/usr/local/lib/libmimalloc.so' },
    ],
    lifecycle: { preStop: { exec: { command: ['/wait-shutdown'] } } },
    livenessProbe: { ...HEALTH_PROBE, failureThreshold: 5 },
    readinessProbe: { ...HEALTH_PROBE, failureThreshold: 3 },
    ports: [
      { containerPort: 80, name: 'http', protocol: 'TCP' },
      { containerPort: 443, name: 'https', protocol: 'TCP' },
      { containerPort: 8443, name: 'webhook', protocol: 'TCP' },
    ],
    resources: { requests: { cpu: '100m', memory: '90Mi' } },
    securityContext: {
      allowPrivilegeEscalation: false,
      capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
      readOnlyRootFilesystem: false,
      runAsGroup: 82,
      runAsNonRoot: true,
      runAsUser: 101,
      seccompProfile: { type: 'RuntimeDefault' },
    },
    volumeMounts: [{ mountPath: '/usr/local/certificates/', name: 'webhook-cert', readOnly: true }],
  };
  const deployment: Deployment = {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'ingress-nginx-controller', namespace: ns, labels: LABELS },
    spec: {
      minReadySeconds: 0,
      revisionHistoryLimit: 10,
      selector: { matchLabels: SELECTOR },
      strategy: { rollingUpdate: { maxUnavailable: 1 }, type: 'RollingUpdate' },
      template: {
        metadata: { labels: LABELS },
        spec: {
          containers: [controller],
          dnsPolicy: 'ClusterFirst',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          serviceAccountName: 'ingress-nginx',
          terminationGracePeriodSeconds: 300,
          volumes: [{ name: 'webhook-cert', secret: { secretName: 'ingress-nginx-admission' } }],
        },
      },
    },
  };
  const ingressClass: IngressClass = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IngressClass',
    metadata: {
      name: 'nginx',
      labels: LABELS,
      annotations: { 'ingressclass.kubernetes.io/is-default-class': 'true' },
    },
    spec: { controller: 'k8s.io/ingress-nginx' },
  };
  return [namespace, configMap, service, admission, deployment, ingressClass];
}

/** Create the ingress-nginx objects through the API (the controllers then start its pod). */
export function installIngressNginx(api: ApiContext, opts: { loadBalancer: boolean }): KObject[] {
  return ingressNginxObjects(opts).map((obj) => createObject(api, obj));
}
