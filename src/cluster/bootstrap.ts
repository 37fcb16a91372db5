/**
 * A new cluster, as `kubeadm init` plus worker joins leave it: nodes with their leases, the
 * system namespaces, the `kubernetes` Service with the API server's endpoints, CoreDNS behind
 * the `kube-dns` Service at the 10th service IP, the control-plane static pods and kube-proxy on
 * every node. The reconcile loop then schedules and starts the CoreDNS pods.
 */
import type { ConfigMap, Deployment, Endpoints, EndpointSlice, KObject, Lease, Namespace, Node, Pod, Service } from '../api/types.ts';
import { createObject, type ApiContext } from '../apiserver/api.ts';
import { ClusterState } from '../store/state.ts';
import { emptyAllocations, type ClusterConfig, type NodeConfig, type StoreMeta } from '../store/meta.ts';
import { imageDigest, imageRepository, imageSize, normalizeImage } from '../runtime/images.ts';
import { formatIPv4, parseCidr } from '../util/ipv4.ts';
import { rfc3339, rfc3339Micro } from '../util/duration.ts';
import { randomHex, randomString, randomUID, type Random } from '../util/random.ts';
import { EventRecorder } from '../controllers/events.ts';

const K8S_IMAGES = (v: string) => ({
  apiserver: `registry.k8s.io/kube-apiserver:${v}`,
  controllerManager: `registry.k8s.io/kube-controller-manager:${v}`,
  scheduler: `registry.k8s.io/kube-scheduler:${v}`,
  proxy: `registry.k8s.io/kube-proxy:${v}`,
  etcd: 'registry.k8s.io/etcd:3.5.16-0',
  coredns: 'registry.k8s.io/coredns/coredns:v1.11.3',
  pause: 'registry.k8s.io/pause:3.10',
});

/** A PEM-shaped CA certificate body; kfake serves no TLS, so only its shape matters. */
function caCertificate(rng: Random): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const lines: string[] = [];
  for (let i = 0; i < 17; i++) {
    let line = '';
    for (let j = 0; j < 64; j++) line += alphabet[rng.int(64)];
    lines.push(line);
  }
  lines.push('MIIDBTCCAe2gAwIBAgII' + 'A'.repeat(20) + '==');
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export function bootstrapMeta(config: ClusterConfig, now: Date, rng: Random): StoreMeta {
  return {
    createdAt: rfc3339(now),
    caCert: caCertificate(rng),
    resourceVersion: 0,
    config,
    alloc: emptyAllocations(),
  };
}

function nodeObject(cfg: ClusterConfig, n: NodeConfig, rng: Random): Node {
  const images = K8S_IMAGES(cfg.kubernetesVersion);
  const preloaded = [
    images.proxy,
    images.coredns,
    images.pause,
    ...(n.role === 'control-plane' ? [images.apiserver, images.controllerManager, images.scheduler, images.etcd] : []),
  ].map((img) => {
    const ref = normalizeImage(img);
    return { names: [`${imageRepository(ref)}@${imageDigest(ref)}`, ref], sizeBytes: imageSize(ref) };
  });
  const labels: Record<string, string> = {
    'beta.kubernetes.io/arch': 'amd64',
    'beta.kubernetes.io/os': 'linux',
    'kubernetes.io/arch': 'amd64',
    'kubernetes.io/hostname': n.name,
    'kubernetes.io/os': 'linux',
  };
  if (n.role === 'control-plane') {
    labels['node-role.kubernetes.io/control-plane'] = '';
    labels['node.kubernetes.io/exclude-from-external-load-balancers'] = '';
  }
  const resources = { cpu: '4', 'ephemeral-storage': '102339584Ki', 'hugepages-1Gi': '0', 'hugepages-2Mi': '0', pods: String(cfg.maxPodsPerNode) };
  const cond = (type: string, status: 'True' | 'False', reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: '',
    lastTransitionTime: '',
    reason,
    message,
  });
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: n.name,
      labels,
      annotations: {
        'kubeadm.alpha.kubernetes.io/cri-socket': 'unix:///run/containerd/containerd.sock',
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: {
      podCIDR: n.podCIDR,
      podCIDRs: [n.podCIDR],
      ...(n.role === 'control-plane' ? { taints: [{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' as const }] } : {}),
    },
    status: {
      addresses: [
        { type: 'InternalIP', address: n.internalIP },
        { type: 'Hostname', address: n.name },
      ],
      allocatable: { ...resources, memory: '16267204Ki' },
      capacity: { ...resources, memory: '16369604Ki' },
      conditions: [
        cond('MemoryPressure', 'False', 'KubeletHasSufficientMemory', 'kubelet has sufficient memory available'),
        cond('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        cond('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        cond('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      images: preloaded,
      nodeInfo: {
        architecture: 'amd64',
        bootID: randomUID(rng),
        containerRuntimeVersion: 'containerd://1.7.24',
        kernelVersion: '6.8.0-51-generic',
        kubeProxyVersion: cfg.kubernetesVersion,
        kubeletVersion: cfg.kubernetesVersion,
        machineID: randomHex(rng, 32),
        operatingSystem: 'linux',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        systemUUID: randomUID(rng),
      },
    },
  };
}

function corefile(cfg: ClusterConfig): string {
  return `.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${cfg.clusterDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${cfg.clusterDomain}
       disable denial ${cfg.clusterDomain}
    }
    loop
    reload
    loadbalance
}
`;
}

/** The 10th address of the service CIDR, where kubeadm puts kube-dns (GetDNSIP). */
export function dnsServiceIP(cfg: ClusterConfig): string {
  return formatIPv4(parseCidr(cfg.serviceCIDR)!.base + 10);
}

/** The first address of the service CIDR, the `kubernetes` Service. */
export function apiServiceIP(cfg: ClusterConfig): string {
  return formatIPv4(parseCidr(cfg.serviceCIDR)!.base + 1);
}

function staticPod(
  name: string,
  component: string,
  image: string,
  node: Node,
  command: string[],
  requests: Record<string, string>,
  rng: Random,
  seen: string,
  annotations: Record<string, string> = {},
): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${name}-${node.metadata.name}`,
      namespace: 'kube-system',
      labels: { component, tier: 'control-plane' },
      annotations: {
        ...annotations,
        'kubernetes.io/config.hash': randomHex(rng, 32),
        'kubernetes.io/config.mirror': randomHex(rng, 32),
        'kubernetes.io/config.seen': seen,
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node.metadata.name!, uid: node.metadata.uid!, controller: true }],
    },
    spec: {
      containers: [{ name: component, image, imagePullPolicy: 'IfNotPresent', command, resources: { requests } }],
      hostNetwork: true,
      nodeName: node.metadata.name,
      priorityClassName: 'system-node-critical',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      tolerations: [{ operator: 'Exists', effect: 'NoExecute' }],
    },
  };
}

/** Build the objects of a new cluster into `state` (controllers run afterwards). */
export function bootstrapObjects(state: ClusterState, now: Date, rng: Random): void {
  const cfg = state.meta.config;
  const api: ApiContext = { state, now, rng };
  const create = <T extends KObject>(o: T): T => createObject(api, o) as T;
  const events = new EventRecorder(state, now, rng);
  const images = K8S_IMAGES(cfg.kubernetesVersion);

  for (const name of ['default', 'kube-node-lease', 'kube-public', 'kube-system']) {
    create<Namespace>({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  const nodes: Node[] = [];
  for (const n of cfg.nodes) {
    const node = nodeObject(cfg, n, rng);
    for (const c of node.status!.conditions!) {
      c.lastHeartbeatTime = rfc3339(now);
      c.lastTransitionTime = rfc3339(now);
    }
    const stored = create(node);
    nodes.push(stored);
    create<Lease>({
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: {
        name: n.name,
        namespace: 'kube-node-lease',
        ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: n.name, uid: stored.metadata.uid! }],
      },
      spec: { holderIdentity: n.name, leaseDurationSeconds: 40, renewTime: rfc3339Micro(now) },
    });
    const kubeletSrc = { component: 'kubelet', host: n.name };
    events.record(stored, 'Normal', 'Starting', 'Starting kubelet.', kubeletSrc);
    for (const reason of ['NodeHasSufficientMemory', 'NodeHasNoDiskPressure', 'NodeHasSufficientPID']) {
      events.record(stored, 'Normal', reason, `Node ${n.name} status is now: ${reason}`, kubeletSrc);
    }
    events.record(stored, 'Normal', 'NodeAllocatableEnforced', 'Updated Node Allocatable limit across pods', kubeletSrc);
    events.record(stored, 'Normal', 'RegisteredNode', `Node ${n.name} event: Registered Node ${n.name} in Controller`, {
      component: 'node-controller',
    });
    events.record(stored, 'Normal', 'NodeReady', `Node ${n.name} status is now: NodeReady`, kubeletSrc);
  }
  const cp = nodes.find((n) => n.metadata.labels?.['node-role.kubernetes.io/control-plane'] === '') ?? nodes[0];
  const cpIP = cp.status!.addresses![0].address;

  // The API server's own Service and endpoints (maintained by the apiserver, not by controllers).
  create<Service>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { component: 'apiserver', provider: 'kubernetes' } },
    spec: { clusterIP: apiServiceIP(cfg), ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
  });
  create<Endpoints>({
    apiVersion: 'v1',
    kind: 'Endpoints',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'endpointslice.kubernetes.io/skip-mirror': 'true' } },
    subsets: [{ addresses: [{ ip: cpIP }], ports: [{ name: 'https', port: 6443, protocol: 'TCP' }] }],
  });
  create<EndpointSlice>({
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: 'kubernetes', namespace: 'default', labels: { 'kubernetes.io/service-name': 'kubernetes' } },
    addressType: 'IPv4',
    endpoints: [{ addresses: [cpIP], conditions: { ready: true } }],
    ports: [{ name: 'https', port: 6443, protocol: 'TCP' }],
  });

  // Control-plane static pods (mirror pods) and kube-proxy on every node.
  const cpName = cp.metadata.name!;
  // kubelet records when it first saw a static pod manifest, with nanoseconds
  const seen = now.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
  const pods: Pod[] = [
    staticPod('etcd', 'etcd', images.etcd, cp, ['etcd', `--advertise-client-urls=https://${cpIP}:2379`, '--data-dir=/var/lib/etcd', `--name=${cpName}`], { cpu: '100m', memory: '100Mi' }, rng, seen, {
      'kubeadm.kubernetes.io/etcd.advertise-client-urls': `https://${cpIP}:2379`,
    }),
    staticPod('kube-apiserver', 'kube-apiserver', images.apiserver, cp, ['kube-apiserver', `--advertise-address=${cpIP}`, `--service-cluster-ip-range=${cfg.serviceCIDR}`, `--service-node-port-range=${cfg.nodePortRange.base}-${cfg.nodePortRange.base + cfg.nodePortRange.size - 1}`], { cpu: '250m' }, rng, seen, {
      'kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint': `${cpIP}:6443`,
    }),
    staticPod('kube-controller-manager', 'kube-controller-manager', images.controllerManager, cp, ['kube-controller-manager', '--allocate-node-cidrs=true', `--cluster-cidr=${cfg.podCIDR}`, `--service-cluster-ip-range=${cfg.serviceCIDR}`], { cpu: '200m' }, rng, seen),
    staticPod('kube-scheduler', 'kube-scheduler', images.scheduler, cp, ['kube-scheduler', '--bind-address=127.0.0.1', '--leader-elect=true'], { cpu: '100m' }, rng, seen),
  ];
  const proxyDaemonSetUID = randomUID(rng);
  for (const node of nodes) {
    pods.push({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: `kube-proxy-${randomString(rng, 5)}`,
        generateName: 'kube-proxy-',
        namespace: 'kube-system',
        labels: { 'controller-revision-hash': '7d5b8ff6b4', 'k8s-app': 'kube-proxy', 'pod-template-generation': '1' },
        ownerReferences: [
          { apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'kube-proxy', uid: proxyDaemonSetUID, controller: true, blockOwnerDeletion: true },
        ],
      },
      spec: {
        containers: [
          {
            name: 'kube-proxy',
            image: images.proxy,
            imagePullPolicy: 'IfNotPresent',
            command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
            env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
            securityContext: { privileged: true },
          },
        ],
        hostNetwork: true,
        nodeName: node.metadata.name,
        nodeSelector: { 'kubernetes.io/os': 'linux' },
        priorityClassName: 'system-node-critical',
        serviceAccountName: 'kube-proxy',
        tolerations: [{ operator: 'Exists' }],
      },
    });
  }
  for (const p of pods) create(p);

  // CoreDNS, as kubeadm's addon installs it.
  create<ConfigMap>({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: 'kube-system' }, data: { Corefile: corefile(cfg) } });
  create<Service>({
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name: 'kube-dns',
      namespace: 'kube-system',
      labels: { 'k8s-app': 'kube-dns', 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
      annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
    },
    spec: {
      clusterIP: dnsServiceIP(cfg),
      selector: { 'k8s-app': 'kube-dns' },
      ports: [
        { name: 'dns', port: 53, protocol: 'UDP', targetPort: 53 },
        { name: 'dns-tcp', port: 53, protocol: 'TCP', targetPort: 53 },
        { name: 'metrics', port: 9153, protocol: 'TCP', targetPort: 9153 },
      ],
    },
  });
  create<Deployment>({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'coredns', namespace: 'kube-system', labels: { 'k8s-app': 'kube-dns' } },
    spec: {
      replicas: 2,
      selector: { matchLabels: { 'k8s-app': 'kube-dns' } },
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
      template: {
        metadata: { labels: { 'k8s-app': 'kube-dns' } },
        spec: {
          affinity: {
            podAntiAffinity: {
              preferredDuringSchedulingIgnoredDuringExecution: [
                {
                  podAffinityTerm: {
                    labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] },
                    topologyKey: 'kubernetes.io/hostname',
                  },
                  weight: 100,
                },
              ],
            },
          },
          containers: [
            {
              name: 'coredns',
              image: images.coredns,
              imagePullPolicy: 'IfNotPresent',
              args: ['-conf', '/etc/coredns/Corefile'],
              ports: [
                { name: 'dns', containerPort: 53, protocol: 'UDP' },
                { name: 'dns-tcp', containerPort: 53, protocol: 'TCP' },
                { name: 'metrics', containerPort: 9153, protocol: 'TCP' },
              ],
              resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
              livenessProbe: {
                httpGet: { path: '/health', port: 8080, scheme: 'HTTP' },
                initialDelaySeconds: 60,
                timeoutSeconds: 5,
                successThreshold: 1,
                failureThreshold: 5,
              },
              readinessProbe: { httpGet: { path: '/ready', port: 8181, scheme: 'HTTP' } },
              securityContext: {
                allowPrivilegeEscalation: false,
                capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                readOnlyRootFilesystem: true,
              },
              volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
            },
          ],
          dnsPolicy: 'Default',
          nodeSelector: { 'kubernetes.io/os': 'linux' },
          priorityClassName: 'system-cluster-critical',
          serviceAccountName: 'coredns',
          tolerations: [
            { key: 'CriticalAddonsOnly', operator: 'Exists' },
            { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
          ],
          volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
        },
      },
    },
  });
}

/** A fresh cluster state for these settings. */
export function newClusterState(config: ClusterConfig, now: Date, rng: Random): ClusterState {
  const state = new ClusterState(bootstrapMeta(config, now, rng));
  bootstrapObjects(state, now, rng);
  return state;
}
