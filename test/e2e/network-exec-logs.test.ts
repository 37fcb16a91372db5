/**
 * `kfake exec` and `kfake logs` end to end, and interactive shells. The client-side messages
 * (usage errors, `Defaulted container`, completed pods, `Found N pods`, the builder's NotFound
 * wording of logs) were compared with kubectl v1.32 through a read-only API server serving the
 * same objects; the exit-status line is kubectl's CheckErr for a remote command's status.
 */
import { describe, expect, it } from 'vitest';
import { TestCluster, freshClusters, type SetupLine } from '../helpers/kfake.ts';

const fresh = freshClusters();
let c: TestCluster;
const setup = (...lines: SetupLine[]): TestCluster => (c = fresh(...lines));

const TWO = `apiVersion: v1
kind: Pod
metadata:
  name: two
spec:
  initContainers:
  - name: init
    image: busybox
    command: ["true"]
  containers:
  - name: web
    image: nginx:1.27
  - name: side
    image: busybox
    command: ["sleep", "3600"]
`;

describe('exec', () => {
  it('runs a program in a container; its status is kfake\'s', async () => {
    setup(['kfake apply -f -', TWO], 'kfake run done --image=busybox --restart=Never -- true', 'kfake run bb --image=busybox -- sleep 3600');
    const text = c.transcript([
      'kfake exec bb -- hostname',
      'kfake exec bb -- cat /etc/resolv.conf',
      'kfake exec bb -- sh -c "echo $HOSTNAME; exit 3"',
      'kfake exec bb -- sh -c "nope"',
      'kfake exec bb -- nope',
      'kfake exec two -- hostname',
      'kfake exec two -c side -- hostname',
      'kfake exec -q two -- hostname',
      'kfake exec two -c nope -- hostname',
      'kfake exec done -- hostname',
      'kfake exec nothere -- hostname',
      'kfake exec deploy/nope -- hostname',
      'kfake exec svc/kubernetes -- hostname',
      'kfake exec bb hostname',
      'kfake exec bb',
      'kfake exec',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/network/exec.txt');
  });

  it('-i feeds standard input; a shell reads commands from it', async () => {
    setup('kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-service.yaml', 'kfake run shoot --image=nicolaka/netshoot -- sleep infinity');
    const script = 'curl -s whms-service\nfor i in 1 2; do curl -s 10.96.0.100; done\nnslookup whms-service | grep Address\nexport X=1; echo x=$X\nfoo\nexit 5\necho never\n';
    const r = c.sh('kfake exec -i shoot -- bash', { stdin: script });
    expect(r.stdout).toBe('hello from whms\nhello from whms\nhello from whms\nAddress:\t10.96.0.10#53\nAddress: 10.96.0.100\nx=1\n');
    expect(r.stderr).toBe('bash: foo: command not found\ncommand terminated with exit code 5\n');
    expect(r.code).toBe(5);
    const tty = c.sh('kfake exec -it shoot -- sh', { stdin: 'echo hi\n' });
    expect(tty.stdout).toBe('hi\n');
    expect(tty.stderr).toBe('Unable to use a TTY - input is not a terminal or the right kind of file\n');
    const grep = c.sh('kfake exec -i shoot -- grep -c hello', { stdin: 'hello\nworld\nhello again\n' });
    expect(grep.stdout).toBe('2\n');
  });

  it('kubectl run -it … -- bash: the shell reads the piped lines, then the container ends', async () => {
    setup('kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-service.yaml');
    const r = c.sh('kfake run -it --image nicolaka/netshoot testnet --restart=Never bash', { stdin: 'curl -s whms-service\nhostname\nexit\n' });
    expect(r.stdout).toBe('hello from whms\ntestnet\n');
    const status = c.sh('kfake get pod testnet -o jsonpath={.status.phase}');
    expect(status.stdout).toBe('Succeeded');
  });
});

describe('logs', () => {
  it('access logs of the pods that answered, start-up lines, options and errors', async () => {
    setup(['kfake apply -f -', TWO], 'kfake create deployment web --image=nginx:1.27 --replicas=2', 'kfake expose deploy web --port=80', 'kfake run bb --image=busybox -- sleep 3600');
    for (let i = 0; i < 4; i++) expect(c.sh('kfake exec bb -- wget -qO- http://web/').code).toBe(0);
    expect(c.sh('kfake exec bb -- wget -qO- http://web/missing').code).toBe(1);
    const pods = c.sh('kfake get pods -l app=web -o name').stdout.trim().split('\n');
    const text = c.transcript([
      `kfake logs ${pods[0]}`,
      `kfake logs ${pods[1]} --tail=2`,
      'kfake logs deploy/web --tail=1',
      'kfake logs -l app=web --prefix',
      'kfake logs two --tail=0',
      'kfake logs two -c side',
      'kfake logs two -c nope',
      'kfake logs two side -c web',
      'kfake logs two -p',
      'kfake logs nothere',
      'kfake logs cm/kube-root-ca.crt',
      'kfake logs',
      'kfake logs -l app=nobody',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/network/logs.txt');
  });

  it('a command run to completion: its output is the log', async () => {
    setup('kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-service.yaml', 'kfake run once --image=curlimages/curl --restart=Never -- -s http://whms-service');
    const text = c.transcript(['kfake get pod once', 'kfake logs once']);
    await expect(text).toMatchFileSnapshot('../golden/network/logs-completed.txt');
  });
});
