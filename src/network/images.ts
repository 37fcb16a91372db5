/**
 * What is inside the images kfake knows: which shell `sh` is, which tools exist (and which
 * version of them, since curl and dig print differently across versions), the image's
 * ENTRYPOINT/CMD/ENV/USER/WORKDIR, and which server its main process runs. This is data: to teach
 * kfake a new image, add an entry. Images not listed get DEFAULT_IMAGE, a Debian-like userland
 * without network tools whose server answers on the container's declared ports.
 *
 * Versions are those of the image tags users pull today (curlimages/curl 8.11.1, netshoot with
 * bind 9.18, nginx 1.27 on Debian bookworm), except amsy810/tools:v2.0 and amsy810/echo-nginx:v2.0,
 * which are built on Ubuntu 18.04 and nginx:alpine 1.19 (github.com/MasayaAoyama/container-images).
 */
import { imageRepository, normalizeImage } from '../runtime/images.ts';

/** Which program a shell name runs; their messages and prompts differ. */
export type ShellKind = 'ash' | 'dash' | 'bash' | 'zsh';

/** The server the image's main process runs (src/network/apps). */
export type AppId =
  | 'nginx'
  | 'echo-nginx'
  | 'httpd'
  | 'http-echo'
  | 'whoami'
  | 'coredns'
  | 'kube-apiserver'
  | 'ingress-nginx'
  | 'generic'
  | 'none';

/**
 * curl's output changed over its 7.x and 8.x releases; these flags select the variant of each
 * message (curl's lib/connect.c, lib/cf-socket.c, lib/hostip.c, lib/http.c of that version).
 */
export interface CurlVersion {
  version: string;
  /** 7.75+: `Failed to connect to H port P after N ms: Couldn't connect to server`. */
  failedAfterMs: boolean;
  /** 7.x: `* Connected to H (IP) port P (#0)`; 8.x drops ` (#0)`. */
  connectedSuffix: boolean;
  /** 7.58: `*   Trying 10.0.0.1...`; later: `*   Trying 10.0.0.1:80...`. */
  tryingWithPort: boolean;
  /** 7.58: `* TCP_NODELAY set`. */
  tcpNodelayLine: boolean;
  /** 8.5+: `* Host h:80 was resolved.` / `* IPv6: (none)` / `* IPv4: ...`. */
  resolveInfo: boolean;
  /** 8.9+: `* using HTTP/1.x`. */
  usingHttp: boolean;
  /** 8.4+: `* Request completely sent off`. */
  requestSent: boolean;
  /** The TLS library named in handshake errors. */
  tls: string;
}

export interface DigVersion {
  version: string;
  /** EDNS buffer size dig advertises (4096 until 9.16, 1232 after). */
  udpSize: number;
  /** 9.17+: the SERVER line names the transport, `10.96.0.10#53(10.96.0.10) (UDP)`. */
  serverProtocol: boolean;
}

export interface ImageProfile {
  id: string;
  /** Normalised repositories (`docker.io/library/nginx`) this profile describes. */
  repositories: string[];
  /** Only tags matching this (e.g. `alpine` variants). */
  tag?: RegExp;
  /** Shell names the image has, and which shell each one is. */
  shells: Record<string, ShellKind>;
  /** Other commands the image has that kfake simulates (src/network/tools). */
  commands: string[];
  /** The image's own long-running programs besides its server (they keep running when started). */
  daemons?: string[];
  entrypoint: string[];
  cmd: string[];
  /** Image ENV, in the image's order (PATH first). */
  env: [string, string][];
  user: string;
  home: string;
  workdir: string;
  app: AppId;
  /** Server software version (nginx, httpd) as it appears in headers and logs. */
  serverVersion?: string;
  curl?: CurlVersion;
  dig?: DigVersion;
  wget?: 'busybox' | 'gnu';
  nslookup?: 'busybox' | 'bind';
  /** GNU wget version, for its User-Agent. */
  wgetVersion?: string;
}

const PATH_STD = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** What any image with a shell has (coreutils or BusyBox), simulated or not (src/network/tools/basic.ts). */
const BASIC = [
  'env', 'printenv', 'cat', 'hostname', 'echo', 'sleep', 'true', 'false', 'grep', 'head', 'tail', 'wc', 'date', 'whoami',
  'ls', 'ps', 'id', 'uname', 'mkdir', 'rm', 'cp', 'mv', 'touch', 'kill', 'vi',
];
/** Network diagnostics netshoot and the nodes carry, which kfake does not simulate. */
const NET_DIAG = ['ping', 'ip', 'ifconfig', 'netstat', 'ss', 'nc', 'telnet', 'traceroute', 'tcpdump', 'nmap'];
const BUSYBOX_NET = ['wget', 'nslookup', 'ping', 'nc', 'telnet', 'traceroute', 'ifconfig', 'ip', 'netstat'];
const BIND_TOOLS = ['dig', 'nslookup', 'host'];

export const CURL_8: CurlVersion = {
  version: '8.11.1',
  failedAfterMs: true,
  connectedSuffix: false,
  tryingWithPort: true,
  tcpNodelayLine: false,
  resolveInfo: true,
  usingHttp: true,
  requestSent: true,
  tls: 'OpenSSL/3.3.2',
};

/** Debian bookworm's curl (nginx, httpd-based images that add it). */
export const CURL_7_88: CurlVersion = {
  version: '7.88.1',
  failedAfterMs: true,
  connectedSuffix: true,
  tryingWithPort: true,
  tcpNodelayLine: false,
  resolveInfo: false,
  usingHttp: false,
  requestSent: false,
  tls: 'OpenSSL/3.0.15',
};

/** Ubuntu 18.04's curl. */
export const CURL_7_58: CurlVersion = {
  version: '7.58.0',
  failedAfterMs: false,
  connectedSuffix: true,
  tryingWithPort: false,
  tcpNodelayLine: true,
  resolveInfo: false,
  usingHttp: false,
  requestSent: false,
  tls: 'OpenSSL/1.1.1',
};

export const DIG_9_18: DigVersion = { version: '9.18.30', udpSize: 1232, serverProtocol: true };
export const DIG_9_11_UBUNTU: DigVersion = { version: '9.11.3-1ubuntu1.18-Ubuntu', udpSize: 4096, serverProtocol: false };

const alpineShells: Record<string, ShellKind> = { sh: 'ash', ash: 'ash' };
const debianShells: Record<string, ShellKind> = { sh: 'dash', dash: 'dash', bash: 'bash' };

export const IMAGES: ImageProfile[] = [
  {
    id: 'busybox',
    repositories: ['docker.io/library/busybox'],
    shells: { sh: 'ash', ash: 'ash' },
    commands: [...BASIC, ...BUSYBOX_NET],
    entrypoint: [],
    cmd: ['sh'],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'none',
    wget: 'busybox',
    nslookup: 'busybox',
  },
  {
    id: 'alpine',
    repositories: ['docker.io/library/alpine'],
    shells: alpineShells,
    commands: [...BASIC, ...BUSYBOX_NET],
    entrypoint: [],
    cmd: ['/bin/sh'],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'none',
    wget: 'busybox',
    nslookup: 'busybox',
  },
  {
    id: 'curlimages/curl',
    repositories: ['docker.io/curlimages/curl'],
    shells: alpineShells,
    commands: [...BASIC, ...BUSYBOX_NET, 'curl'],
    // The image's entrypoint prepends `curl` when the first argument is an option.
    entrypoint: ['/entrypoint.sh'],
    cmd: ['curl'],
    env: [
      ['PATH', PATH_STD],
      ['CURL_CA_BUNDLE', '/cacert.pem'],
    ],
    user: 'curl_user',
    home: '/home/curl_user',
    workdir: '/home/curl_user',
    app: 'none',
    curl: CURL_8,
    wget: 'busybox',
    nslookup: 'busybox',
  },
  {
    id: 'nicolaka/netshoot',
    repositories: ['docker.io/nicolaka/netshoot'],
    shells: { sh: 'ash', ash: 'ash', bash: 'bash', zsh: 'zsh' },
    commands: [...BASIC, 'wget', ...BIND_TOOLS, 'curl', ...NET_DIAG],
    entrypoint: [],
    cmd: ['zsh'],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/root',
    app: 'none',
    curl: CURL_8,
    dig: DIG_9_18,
    wget: 'busybox',
    nslookup: 'bind',
  },
  {
    id: 'amsy810/tools',
    repositories: ['docker.io/amsy810/tools'],
    shells: debianShells,
    commands: [...BASIC, 'wget', ...BIND_TOOLS, 'curl'],
    entrypoint: ['/bin/sleep'],
    cmd: ['infinity'],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'none',
    curl: CURL_7_58,
    dig: DIG_9_11_UBUNTU,
    wget: 'gnu',
    wgetVersion: '1.19.4',
    nslookup: 'bind',
  },
  {
    id: 'amsy810/echo-nginx',
    repositories: ['docker.io/amsy810/echo-nginx'],
    shells: alpineShells,
    commands: [...BASIC, ...BUSYBOX_NET],
    entrypoint: ['/entrypoint.sh'],
    cmd: [],
    env: [
      ['PATH', PATH_STD],
      ['NGINX_VERSION', '1.19.2'],
      ['NJS_VERSION', '0.4.3'],
      ['PKG_RELEASE', '1'],
      ['NGINX_PORT', '80'],
    ],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'echo-nginx',
    serverVersion: '1.19.2',
    wget: 'busybox',
    nslookup: 'busybox',
  },
  {
    id: 'nginx-alpine',
    repositories: ['docker.io/library/nginx'],
    tag: /alpine/,
    shells: alpineShells,
    commands: [...BASIC, ...BUSYBOX_NET, 'curl'],
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    env: [
      ['PATH', PATH_STD],
      ['NGINX_VERSION', '1.27.3'],
      ['PKG_RELEASE', '1'],
      ['DYNPKG_RELEASE', '1'],
      ['NJS_VERSION', '0.8.8'],
      ['NJS_RELEASE', '1'],
    ],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'nginx',
    serverVersion: '1.27.3',
    curl: CURL_8,
    wget: 'busybox',
    nslookup: 'busybox',
  },
  {
    id: 'nginx',
    repositories: ['docker.io/library/nginx'],
    shells: debianShells,
    commands: [...BASIC, 'curl'],
    entrypoint: ['/docker-entrypoint.sh'],
    cmd: ['nginx', '-g', 'daemon off;'],
    env: [
      ['PATH', PATH_STD],
      ['NGINX_VERSION', '1.27.3'],
      ['NJS_VERSION', '0.8.7'],
      ['NJS_RELEASE', '1~bookworm'],
      ['PKG_RELEASE', '1~bookworm'],
      ['DYNPKG_RELEASE', '1~bookworm'],
    ],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'nginx',
    serverVersion: '1.27.3',
    curl: CURL_7_88,
  },
  {
    id: 'httpd',
    repositories: ['docker.io/library/httpd'],
    shells: debianShells,
    commands: [...BASIC],
    entrypoint: [],
    cmd: ['httpd-foreground'],
    env: [
      ['PATH', `/usr/local/apache2/bin:${PATH_STD}`],
      ['HTTPD_PREFIX', '/usr/local/apache2'],
      ['HTTPD_VERSION', '2.4.62'],
    ],
    user: 'root',
    home: '/root',
    workdir: '/usr/local/apache2',
    app: 'httpd',
    serverVersion: '2.4.62',
  },
  {
    id: 'hashicorp/http-echo',
    repositories: ['docker.io/hashicorp/http-echo'],
    shells: {},
    commands: [],
    entrypoint: ['/http-echo'],
    cmd: [],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'http-echo',
    serverVersion: '1.0.0',
  },
  {
    id: 'traefik/whoami',
    repositories: ['docker.io/traefik/whoami', 'docker.io/containous/whoami'],
    shells: {},
    commands: [],
    entrypoint: ['/whoami'],
    cmd: [],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'whoami',
  },
  {
    id: 'coredns',
    repositories: ['registry.k8s.io/coredns/coredns', 'docker.io/coredns/coredns'],
    shells: {},
    commands: [],
    entrypoint: ['/coredns'],
    cmd: [],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'coredns',
  },
  {
    id: 'kube-apiserver',
    repositories: ['registry.k8s.io/kube-apiserver'],
    shells: {},
    commands: [],
    entrypoint: [],
    cmd: [],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'kube-apiserver',
  },
  {
    id: 'ingress-nginx',
    repositories: ['registry.k8s.io/ingress-nginx/controller'],
    shells: { sh: 'ash', ash: 'ash', bash: 'bash' },
    commands: [...BASIC, 'curl'],
    entrypoint: ['/usr/bin/dumb-init', '--'],
    cmd: ['/nginx-ingress-controller'],
    env: [['PATH', PATH_STD]],
    user: 'www-data',
    home: '/home/www-data',
    workdir: '/etc/nginx',
    app: 'ingress-nginx',
    curl: CURL_8,
  },
  {
    id: 'kubernetes-components',
    repositories: [
      'registry.k8s.io/kube-proxy',
      'registry.k8s.io/kube-controller-manager',
      'registry.k8s.io/kube-scheduler',
      'registry.k8s.io/etcd',
      'registry.k8s.io/pause',
    ],
    shells: {},
    commands: [],
    daemons: ['kube-proxy', 'kube-controller-manager', 'kube-scheduler', 'etcd', 'pause'],
    entrypoint: [],
    cmd: [],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'none',
  },
  {
    id: 'ubuntu',
    repositories: ['docker.io/library/ubuntu', 'docker.io/library/debian'],
    shells: debianShells,
    commands: [...BASIC],
    entrypoint: [],
    cmd: ['/bin/bash'],
    env: [['PATH', PATH_STD]],
    user: 'root',
    home: '/root',
    workdir: '/',
    app: 'none',
  },
];

/** Any other image: a Debian-like userland without network tools, serving its declared ports. */
export const DEFAULT_IMAGE: ImageProfile = {
  id: 'default',
  repositories: [],
  shells: debianShells,
  commands: [...BASIC],
  entrypoint: [],
  cmd: [],
  env: [['PATH', PATH_STD]],
  user: 'root',
  home: '/root',
  workdir: '/',
  app: 'generic',
};

function tagOf(normalized: string): string {
  const at = normalized.indexOf('@');
  const base = at >= 0 ? normalized.slice(0, at) : normalized;
  const colon = base.lastIndexOf(':');
  return colon > base.lastIndexOf('/') ? base.slice(colon + 1) : 'latest';
}

/** The profile of an image reference as written in a pod spec. */
export function imageProfile(image: string | undefined): ImageProfile {
  const normalized = normalizeImage(image ?? '');
  const repo = imageRepository(normalized);
  const tag = tagOf(normalized);
  return IMAGES.find((p) => p.repositories.includes(repo) && (!p.tag || p.tag.test(tag))) ?? DEFAULT_IMAGE;
}

/** The nodes' operating system (a kubeadm/kind node: Debian with bash, curl and bind's tools). */
export const NODE_IMAGE: ImageProfile = {
  id: 'node',
  repositories: [],
  shells: debianShells,
  commands: [...BASIC, 'curl', ...BIND_TOOLS, ...NET_DIAG],
  entrypoint: [],
  cmd: [],
  env: [['PATH', PATH_STD]],
  user: 'root',
  home: '/root',
  workdir: '/',
  app: 'none',
  curl: CURL_7_88,
  dig: DIG_9_18,
  nslookup: 'bind',
};

/** The machine outside the cluster: a Linux workstation with curl, wget and bind's tools. */
export const OUTSIDE_IMAGE: ImageProfile = {
  id: 'outside',
  repositories: [],
  shells: { sh: 'dash', dash: 'dash', bash: 'bash' },
  commands: [...BASIC, 'curl', 'wget', ...BIND_TOOLS, ...NET_DIAG],
  entrypoint: [],
  cmd: [],
  env: [['PATH', PATH_STD]],
  user: 'user',
  home: '/home/user',
  workdir: '/home/user',
  app: 'none',
  curl: CURL_8,
  dig: DIG_9_18,
  wget: 'gnu',
  wgetVersion: '1.21.4',
  nslookup: 'bind',
};
