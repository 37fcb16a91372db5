/**
 * `kfake patch` end to end. Success lines, messages and error texts were compared with kubectl
 * v1.32 (offline with --local, and through a stub API server for the requests and answers);
 * server-side results follow the v1.32 apiserver's patch handler.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshClusters, type TestCluster } from '../helpers/kfake.ts';

const fresh = freshClusters();

/** Run a command that must fail and must leave the store as it was. */
function refused(c: TestCluster, line: string): string {
  const before = c.storeBytes();
  const r = c.sh(line);
  expect(r.code, line).toBe(1);
  expect(r.stdout, line).toBe('');
  expect(c.storeBytes().equals(before), `${line} changed the store`).toBe(true);
  return r.stderr;
}

describe('the whms walkthrough', () => {
  it('gives the LoadBalancer Service an external IP', async () => {
    const c = fresh('kfake apply -f manifests/whms/whms-deployment.yaml', 'kfake apply -f manifests/whms/whms-loadbalancer.yaml');
    const text = c.transcript([
      'kfake get svc',
      `kfake patch svc whms-loadbalancer -p '{"spec": {"type": "LoadBalancer", "externalIPs":["35.222.0.10"]}}'`,
      'kfake get svc',
      `kfake patch svc whms-loadbalancer -p '{"spec": {"type": "LoadBalancer", "externalIPs":["35.222.0.10"]}}'`,
    ]);
    expect(c.sh('kfake get svc whms-loadbalancer -o jsonpath={.spec.externalIPs[0]}').stdout).toBe('35.222.0.10');
    await expect(text).toMatchFileSnapshot('../golden/patch/whms-external-ip.txt');
  });
});

describe('strategic merge patch on a Service', () => {
  it('merges ports by port, deletes with $patch, replaces externalIPs and drops null keys', async () => {
    const c = fresh('kfake apply -f manifests/pooh/pooh-db-nginx-pod.yaml', 'kfake apply -f manifests/pooh/pooh-loadbalancer-service.yaml');
    const text = c.transcript([
      `kfake patch svc pooh-lb-service -p '{"spec":{"ports":[{"port":8443,"targetPort":443,"name":"tls"}]}}'`,
      `kfake patch svc pooh-lb-service -p '{"spec":{"ports":[{"port":8080,"$patch":"delete"}]}}'`,
      `kfake patch svc pooh-lb-service -p '{"spec":{"externalIPs":["35.222.0.11","35.222.0.12"]}}'`,
      `kfake patch svc pooh-lb-service -p '{"metadata":{"labels":{"app":null,"tier":"db"}}}'`,
      'kfake get svc pooh-lb-service --show-labels',
      `kfake patch svc pooh-lb-service -p 'spec: {externalIPs: null}'`,
      'kfake get svc pooh-lb-service',
    ]);
    await expect(text).toMatchFileSnapshot('../golden/patch/strategic-service.txt');
  });

  it('keeps other fields of a port a patch names, and prints the result with -o', async () => {
    const c = fresh('kfake apply -f manifests/pooh/pooh-nodeport-service.yaml');
    const text = c.transcript([
      `kfake patch svc pooh-pod-service -p '{"spec":{"ports":[{"port":8080,"targetPort":8081}]}}' -o yaml`,
      `kfake patch svc pooh-pod-service -p '{"spec":{"ports":[{"port":8080,"targetPort":8081}]}}' -o name`,
    ]);
    await expect(text).toMatchFileSnapshot('../golden/patch/output-formats.txt');
  });

  it('warns about unknown fields and drops them, as fieldValidation=Warn does', async () => {
    const c = fresh('kfake apply -f manifests/pooh/pooh-nodeport-service.yaml');
    const text = c.transcript([`kfake patch svc pooh-pod-service -p '{"spec":{"nodeSelector":{"a":"b"}}}'`]);
    expect(text).toContain('! Warning: unknown field "spec.nodeSelector"');
    await expect(text).toMatchFileSnapshot('../golden/patch/unknown-field.txt');
  });
});

describe('merge and JSON patches', () => {
  it('replaces lists with --type merge and applies RFC 6902 operations with --type json', async () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    const text = c.transcript([
      `kfake patch svc whms-nodeport --type merge -p '{"spec":{"ports":[{"port":80,"targetPort":9090}]}}'`,
      'kfake get svc whms-nodeport -o jsonpath={.spec.ports}',
      `kfake patch svc whms-nodeport --type json -p '[{"op":"add","path":"/spec/ports/-","value":{"name":"alt","port":81,"targetPort":9091}},{"op":"add","path":"/spec/ports/0/name","value":"main"}]'`,
      'kfake get svc whms-nodeport',
      `kfake patch svc whms-nodeport --type=json -p '[{"op":"test","path":"/spec/type","value":"NodePort"}]'`,
    ]);
    await expect(text).toMatchFileSnapshot('../golden/patch/merge-and-json.txt');
  });
});

describe('the patched object is validated like any update', () => {
  it('refuses a nodePort another Service holds and changes nothing', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml', 'kfake apply -f manifests/pooh/pooh-nodeport-service.yaml');
    expect(refused(c, `kfake patch svc pooh-pod-service -p '{"spec":{"ports":[{"port":8080,"nodePort":30080}]}}'`)).toBe(
      'The Service "pooh-pod-service" is invalid: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated\n',
    );
  });

  it('refuses a value of the wrong type, showing the patch as Go prints it', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-deployment.yaml');
    expect(refused(c, `kfake patch deploy whms-deployment -p '{"spec":{"replicas":"3"}}'`)).toBe(
      'The request is invalid: patch: Invalid value: "map[spec:map[replicas:3]]": unrecognized type: int32\n',
    );
  });

  it('refuses renaming the object', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    expect(refused(c, `kfake patch svc whms-nodeport --type merge -p '{"metadata":{"name":"other"}}'`)).toBe(
      'Error from server (BadRequest): the name of the object (other) does not match the name on the URL (whms-nodeport)\n',
    );
  });
});

describe('--subresource', () => {
  it('status: a pod made not ready moves to notReadyAddresses', async () => {
    const c = fresh('kfake apply -f manifests/service-api/sample-named-port-pods.yaml', 'kfake apply -f manifests/service-api/sample-named-port-service.yaml');
    const text = c.transcript([
      'kfake get endpoints sample-named-port-service',
      `kfake patch pod sample-named-port-pod-81 --subresource=status -p '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}'`,
      'kfake get endpoints sample-named-port-service',
      'kfake get endpoints sample-named-port-service -o jsonpath={.subsets[*].notReadyAddresses[*].targetRef.name}',
      `kfake patch pod sample-named-port-pod-81 --subresource=status -p '{"status":{"conditions":[{"type":"Ready","status":"False"}]}}'`,
    ]);
    const ready = c.sh(`kfake get pod sample-named-port-pod-81 -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}'`);
    expect(ready.stdout).toBe('False');
    await expect(text).toMatchFileSnapshot('../golden/patch/status-not-ready.txt');
  });

  it('status: spec changes are ignored through the status subresource', () => {
    const c = fresh('kfake apply -f manifests/service-api/sample-named-port-pods.yaml');
    const r = c.sh(`kfake patch pod sample-named-port-pod-80 --subresource=status -p '{"spec":{"activeDeadlineSeconds":5}}'`);
    expect(r.stdout).toBe('pod/sample-named-port-pod-80 patched (no change)\n');
  });

  it('scale: a Deployment is resized through its Scale', async () => {
    const c = fresh('kfake apply -f manifests/whms/whms-deployment.yaml');
    const text = c.transcript([
      `kfake patch deployment whms-deployment --subresource=scale --type=merge -p '{"spec":{"replicas":3}}'`,
      'kfake get deployment whms-deployment',
      `kfake patch deployment whms-deployment --subresource=scale --type=merge -p '{"spec":{"replicas":3}}' -o yaml`,
    ]);
    await expect(text).toMatchFileSnapshot('../golden/patch/subresource-scale.txt');
  });

  it('kinds without the subresource are an unknown path', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    expect(refused(c, `kfake patch svc whms-nodeport --subresource=scale -p '{}'`)).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
    expect(refused(c, `kfake patch svc whms-nodeport --subresource=foo -p '{}'`)).toBe(
      'Error from server (NotFound): the server could not find the requested resource\n',
    );
  });
});

describe('dry runs, files and --local', () => {
  it('--dry-run=server and --dry-run=client report without storing; patch prints no dry-run suffix', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    const before = c.storeBytes();
    for (const mode of ['server', 'client']) {
      const r = c.sh(`kfake patch svc whms-nodeport -p '{"spec":{"type":"ClusterIP"}}' --dry-run=${mode}`);
      expect(r).toEqual({ stdout: 'service/whms-nodeport patched\n', stderr: '', code: 0 });
    }
    expect(c.sh(`kfake patch svc whms-nodeport -p '{}' --dry-run=client`).stdout).toBe('service/whms-nodeport patched (no change)\n');
    expect(c.storeBytes().equals(before)).toBe(true);
  });

  it('-f names the object to patch', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    const r = c.sh(`kfake patch -f manifests/whms/whms-nodeport.yaml -p '{"spec":{"externalIPs":["1.2.3.4"]}}'`);
    expect(r).toEqual({ stdout: 'service/whms-nodeport patched\n', stderr: '', code: 0 });
  });

  it('--local patches the file and prints it without touching a cluster', async () => {
    const c = fresh();
    const file = path.join(c.dir, 'svc.yaml');
    fs.writeFileSync(file, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n');
    const text = c.transcript([
      `kfake patch -f ${file} --local -p '{"spec":{"ports":[{"port":443}]}}' -o yaml`,
      `kfake patch -f ${file} --local -p 'spec: {type: NodePort}'`,
      `kfake patch -f ${file} --local -p '{}'`,
      `kfake patch -f ${file} --local --type json -p '[{"op":"remove","path":"/spec/nope"}]'`,
      `kfake patch -f ${file} --local -p '{'`,
    ]);
    expect(fs.existsSync(c.store)).toBe(false);
    await expect(text.replaceAll(file, 'svc.yaml')).toMatchFileSnapshot('../golden/patch/local.txt');
  });
});

describe('bad input', () => {
  it('gets kubectl’s errors, exit 1 and an unchanged store', async () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    const lines = [
      'kfake patch',
      'kfake patch svc whms-nodeport',
      `kfake patch svc -p '{}'`,
      `kfake patch -p '{}'`,
      `kfake patch foo bar -p '{}'`,
      `kfake patch svc nope -p '{}'`,
      `kfake patch svc/whms-nodeport svc/nope -p '{"spec":{"foo":1}}'`,
      `kfake patch svc whms-nodeport -p '{}' --type foo`,
      `kfake patch svc whms-nodeport -p '{}' --patch-file x.json`,
      'kfake patch svc whms-nodeport --patch-file nonexistent.json',
      `kfake patch svc whms-nodeport -p 'a: b: c'`,
      `kfake patch svc whms-nodeport -p '{"spec":'`,
      `kfake patch svc whms-nodeport -p '{spec: {}}'`,
      `kfake patch svc whms-nodeport -p '[{"op":"remove","path":"/spec"}]'`,
      `kfake patch svc whms-nodeport --type merge -p '{"spec":'`,
      `kfake patch svc whms-nodeport --type json -p '{}'`,
      `kfake patch svc whms-nodeport -p '{}' --local`,
      `kfake patch svc whms-nodeport -p '{}' --dry-run=maybe`,
      `kfake patch svc whms-nodeport -p '{}' --bogus`,
      `kfake patch svc whms-nodeport -p '{"spec":{"type":"Bogus"}}'`,
    ];
    const before = c.storeBytes();
    const text = c.transcript(lines);
    expect(c.storeBytes().equals(before)).toBe(true);
    for (const line of lines) expect(c.sh(line).code, line).toBe(1);
    await expect(text).toMatchFileSnapshot('../golden/patch/errors.txt');
  });

  it('a JSON patch that does not apply is refused by the server', () => {
    const c = fresh('kfake apply -f manifests/whms/whms-nodeport.yaml');
    expect(refused(c, `kfake patch svc whms-nodeport --type json -p '[{"op":"remove","path":"/spec/nope"}]'`)).toBe(
      'The request is invalid: the server rejected our request due to an error in our request\n',
    );
  });
});
