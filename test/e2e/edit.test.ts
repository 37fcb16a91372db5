/**
 * `kfake edit` end to end, with a scripted editor: a small node program (written into the test
 * directory) that records the file it is given and then changes it as the test says. The file
 * texts, messages and exit codes follow kubectl v1.32's edit (header and reopen-with-reasons
 * texts checked against kubectl.1.32 running the same scripted editor).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatResult, TestCluster } from '../helpers/kfake.ts';

let c: TestCluster;
beforeEach(() => {
  c = new TestCluster();
  fs.mkdirSync(path.join(c.dir, 'tmp'));
  fs.writeFileSync(path.join(c.dir, 'editor.mjs'), EDITOR);
  c.sh('kfake apply -f manifests/service-api/sample-clusterip.yaml');
});
afterEach(() => c.cleanup());

/**
 * The scripted editor. EDIT_STEPS is a JSON list, one entry per time the editor is opened:
 * "keep", "empty", ["replace", from, to] (every occurrence), or ["fail", code].
 */
const EDITOR = `import fs from 'node:fs';
const file = process.argv[2];
const dir = process.env.EDIT_LOG;
const n = fs.readdirSync(dir).filter((f) => f.startsWith('opened-')).length + 1;
fs.writeFileSync(dir + '/opened-' + n, file + '\\n' + fs.readFileSync(file, 'utf8'));
const step = JSON.parse(process.env.EDIT_STEPS)[n - 1] ?? 'keep';
if (step === 'empty') fs.writeFileSync(file, '');
else if (Array.isArray(step) && step[0] === 'replace') fs.writeFileSync(file, fs.readFileSync(file, 'utf8').split(step[1]).join(step[2]));
else if (Array.isArray(step) && step[0] === 'fail') process.exit(step[1]);
`;

type Step = 'keep' | 'empty' | ['replace', string, string] | ['fail', number];

/** The directory, node's path and the random part of temporary file names vary from run to run. */
function mask(text: string): string {
  return text
    .split(c.dir)
    .join('$DIR')
    .split(process.execPath)
    .join('$NODE')
    .replace(/kfake-edit-\d+/g, 'kfake-edit-N');
}

/**
 * Run an edit with the scripted editor; the transcript shows what kfake printed, then each
 * file the editor was given: whole (`files: 'all'`) or only its comment lines (`'header'`).
 */
function edit(line: string, steps: Step[], opts: { files?: 'all' | 'header'; editor?: string } = {}): string {
  const log = fs.mkdtempSync(path.join(c.dir, 'log-'));
  const r = c.sh(line, {
    env: {
      KUBE_EDITOR: opts.editor ?? `${process.execPath} ${path.join(c.dir, 'editor.mjs')}`,
      EDIT_STEPS: JSON.stringify(steps),
      EDIT_LOG: log,
      TMPDIR: path.join(c.dir, 'tmp'),
    },
  });
  let text = formatResult(line, r);
  if (opts.files) {
    const opened = fs.readdirSync(log).sort();
    for (const f of opened) {
      const [file, ...lines] = fs.readFileSync(path.join(log, f), 'utf8').split('\n');
      const shown = opts.files === 'all' ? lines : lines.filter((l) => l.startsWith('#'));
      text += `--- editor opened ${file}\n${shown.join('\n')}${opts.files === 'all' ? '' : '\n'}`;
    }
  }
  return mask(text);
}

const leftInTmp = () => fs.readdirSync(path.join(c.dir, 'tmp')).length;

describe('editing', () => {
  it('shows the object with kubectl header and cancels when nothing changed', async () => {
    const before = c.storeBytes();
    const text = [
      edit('kfake edit svc sample-clusterip', ['keep'], { files: 'all' }),
      edit('kfake edit service/sample-clusterip -o json', ['keep'], { files: 'all' }),
      edit('kfake edit svc sample-clusterip kubernetes', ['keep'], { files: 'all' }),
    ].join('\n');
    expect(c.storeBytes().equals(before)).toBe(true);
    expect(leftInTmp()).toBe(0);
    await expect(text).toMatchFileSnapshot('../golden/edit/unchanged.txt');
  });

  it('patches what was changed', async () => {
    const text = [
      edit('kfake edit svc sample-clusterip', [['replace', 'port: 8080', 'port: 8081']]),
      edit('kfake edit svc sample-clusterip --output-patch', [['replace', 'app: sample-app', 'app: other-app']]),
      edit('kfake edit svc sample-clusterip -o yaml', [['replace', 'sessionAffinity: None', 'sessionAffinity: ClientIP']]),
      edit('kfake edit svc', [['replace', 'port: 8081', 'port: 8082']]),
      c.transcript(['kfake get svc sample-clusterip -o jsonpath={.spec.ports[0].port}{.spec.selector}{.spec.sessionAffinity}']),
    ].join('\n');
    expect(leftInTmp()).toBe(0);
    await expect(text).toMatchFileSnapshot('../golden/edit/changed.txt');
  });

  it('a deployment edit starts a rollout', async () => {
    c.sh('kfake create deployment web --image=nginx:1.26');
    const text = [
      edit('kfake edit deployment web', [['replace', 'image: nginx:1.26', 'image: nginx:1.27']]),
      c.transcript(['kfake rollout history deployment/web', 'kfake get rs']),
    ].join('\n');
    await expect(text).toMatchFileSnapshot('../golden/edit/deployment.txt');
  });
});

describe('edits that cannot be saved', () => {
  it('reopens the file with the reasons, and cancels when it comes back unchanged', async () => {
    const before = c.storeBytes();
    const text = [
      // the API server finds the object invalid
      edit('kfake edit svc sample-clusterip', [['replace', 'port: 8080', 'port: 0'], 'keep'], { files: 'all' }),
      // the file no longer says what it is
      edit('kfake edit svc sample-clusterip', [['replace', 'kind: Service\n', ''], 'keep'], { files: 'header' }),
      // YAML that does not parse (the line counts without the comment lines)
      edit('kfake edit svc sample-clusterip', [['replace', 'kind: Service', 'kind Service'], 'keep'], { files: 'header' }),
      // an empty file is not an object
      edit('kfake edit svc sample-clusterip', ['empty', 'keep'], { files: 'header' }),
      // a kind the server does not have
      edit('kfake edit svc sample-clusterip', [['replace', 'kind: Service', 'kind: Servicio'], 'keep'], { files: 'header' }),
    ].join('\n');
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/edit/reopened.txt');
  });

  it('saves the corrected file on the next try', async () => {
    const text = edit('kfake edit svc sample-clusterip', [['replace', 'port: 8080', 'port: 0'], ['replace', 'port: 0', 'port: 9090']]);
    expect(leftInTmp()).toBe(0);
    await expect(text + '\n' + c.transcript(['kfake get svc sample-clusterip'])).toMatchFileSnapshot('../golden/edit/corrected.txt');
  });

  it('refuses other changes and says where the edits were kept', async () => {
    const before = c.storeBytes();
    const text = [
      edit('kfake edit svc sample-clusterip', [['replace', 'name: sample-clusterip', 'name: renamed']]),
      edit('kfake edit svc sample-clusterip', [['replace', 'namespace: default', 'namespace: kube-system']]),
      edit('kfake edit svc sample-clusterip', [['replace', 'resourceVersion: "', 'resourceVersion: "1']]),
      edit('kfake edit svc sample-clusterip', [['fail', 1]]),
      edit('kfake edit svc sample-clusterip', ['keep'], { editor: 'no-such-editor-kfake' }),
      edit('kfake edit svc sample-clusterip --validate=false', ['empty']),
      edit('kfake edit', ['keep']),
      edit('kfake edit svc/nope', ['keep']),
      edit('kfake edit svc sample-clusterip -o name', ['keep']),
      edit('kfake edit svc sample-clusterip --subresource=scale', ['keep']),
    ].join('\n');
    expect(c.storeBytes().equals(before)).toBe(true);
    await expect(text).toMatchFileSnapshot('../golden/edit/refused.txt');
  });
});
