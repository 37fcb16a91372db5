/**
 * The deprecated `--record` flag: pflag's deprecation notice, the command line as kubectl's
 * parseCommandArguments re-reads it (cli-runtime genericclioptions/record_flags.go), and the
 * recorder that puts it in the `kubernetes.io/change-cause` annotation. Expected texts were
 * observed with kubectl v1.32 (`--dry-run=client -o yaml` through a read-only API server).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { flag, parseFlags, type CommandDef, type Invocation } from '../../src/cli/command.ts';
import { memoryIO, type IO } from '../../src/cli/io.ts';
import { changeCauseRecorder, changeCauseText, DRY_RUN_FLAG, OUTPUT_FLAGS, recordFlag } from '../../src/cli/mutate.ts';
import { GLOBAL_FLAGS, runCommand } from '../../src/cli/program.ts';
import { rootCommand } from '../../src/commands/root.ts';
import type { KObject } from '../../src/api/types.ts';

const NOTICE = 'Flag --record has been deprecated, --record will be removed in the future\n';

/** A small command tree with kubectl's `set image` flags, keeping the Invocation it ran with. */
function tree(seen: { inv?: Invocation }): CommandDef {
  const image: CommandDef = {
    name: 'image',
    short: 'Update the image of a pod template',
    flags: [...OUTPUT_FLAGS, DRY_RUN_FLAG, flag.bool('local', 'local'), recordFlag()],
    run: (inv) => {
      seen.inv = inv;
      inv.io.out('ran\n');
    },
  };
  const run: CommandDef = {
    name: 'run',
    short: 'Run a particular image on the cluster',
    flags: [DRY_RUN_FLAG, flag.string('image', 'image'), flag.bool('stdin', 'stdin', { short: 'i' }), flag.bool('tty', 'tty', { short: 't' }), recordFlag()],
    run: (inv) => {
      seen.inv = inv;
    },
  };
  return { name: 'kfake', short: 'kfake', subcommands: [{ name: 'set', short: 'Set specific features on objects', subcommands: [image] }, run] };
}

/** IO that also keeps the order in which stdout and stderr were written. */
function orderedIO(): IO & { stdout: string; stderr: string; order: string[] } {
  const base = memoryIO();
  const order: string[] = [];
  return Object.assign(base, {
    order,
    out(t: string) {
      base.stdout += t;
      order.push(`out:${t}`);
    },
    err(t: string) {
      base.stderr += t;
      order.push(`err:${t}`);
    },
  });
}

async function invoke(argv: string[], program = 'kubectl') {
  const seen: { inv?: Invocation } = {};
  const io = orderedIO();
  const code = await runCommand(tree(seen), argv, io, { program });
  return { seen, io, code };
}

describe('parseFlags', () => {
  const flags = [...OUTPUT_FLAGS, DRY_RUN_FLAG, recordFlag(), flag.bool('stdin', '', { short: 'i' }), flag.bool('tty', '', { short: 't' }), ...GLOBAL_FLAGS];

  it('lists the flags given, by long name, with the text pflag hands to Set', () => {
    const p = parseFlags(['-n', 'dev', '--dry-run', '-oyaml', '-it', '--record=1', '-n=x', '--output', 'json'], flags, 'run');
    expect(p.given).toEqual([
      { name: 'namespace', value: 'dev' },
      { name: 'dry-run', value: 'unchanged' },
      { name: 'output', value: 'yaml' },
      { name: 'stdin', value: 'true' },
      { name: 'tty', value: 'true' },
      { name: 'record', value: '1' },
      { name: 'namespace', value: 'x' },
      { name: 'output', value: 'json' },
    ]);
  });

  it('gives one deprecation notice each time the flag is set, whatever the value', () => {
    expect(parseFlags(['--record'], flags, 'x').warnings).toEqual([NOTICE]);
    expect(parseFlags(['--record=false', '--record'], flags, 'x').warnings).toEqual([NOTICE, NOTICE]);
    expect(parseFlags(['--output=yaml'], flags, 'x').warnings).toEqual([]);
  });

  it('a value the flag refuses is an error, not a notice', () => {
    expect(() => parseFlags(['--record=maybe'], flags, 'label')).toThrow(
      'invalid argument "maybe" for "--record" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
    );
  });

  it('recordFlag is a hidden, deprecated bool that defaults to false', () => {
    expect(recordFlag()).toMatchObject({ name: 'record', kind: 'bool', default: false, hidden: true, deprecated: '--record will be removed in the future' });
  });
});

describe('runCommand with --record', () => {
  it('prints the notice on stderr before anything the command writes', async () => {
    const { io, code } = await invoke(['set', 'image', 'deploy/web', 'nginx=nginx:1.27', '--record']);
    expect(code).toBe(0);
    expect(io.order).toEqual([`err:${NOTICE}`, 'out:ran\n']);
  });

  it('prints nothing when the command line does not parse', async () => {
    const { io, code } = await invoke(['set', 'image', 'deploy/web', 'a=b', '--record', '--bogus']);
    expect(code).toBe(1);
    expect(io.stderr).toBe("error: unknown flag: --bogus\nSee 'kubectl set image --help' for usage.\n");
  });

  it('prints the notice before the help, which does not list the flag', async () => {
    const { io, code } = await invoke(['set', 'image', '--record', '--help']);
    expect(code).toBe(0);
    expect(io.order[0]).toBe(`err:${NOTICE}`);
    expect(io.stdout).not.toContain('record');
  });

  it('keeps the non-flag words, command words first, and the flags in order', async () => {
    const { seen } = await invoke(['-n', 'default', 'set', 'image', 'deployment/web', '*=nginx:1.28', '-o', 'jsonpath={.metadata.annotations}', '--dry-run', '--record']);
    expect(seen.inv!.commandLine).toEqual({
      words: ['set', 'image', 'deployment/web', '*=nginx:1.28'],
      flags: [
        { name: 'namespace', value: 'default' },
        { name: 'output', value: 'jsonpath={.metadata.annotations}' },
        { name: 'dry-run', value: 'unchanged' },
        { name: 'record', value: 'true' },
      ],
    });
    // As kubectl v1.32 recorded this very command line.
    expect(changeCauseText(seen.inv!)).toBe(
      'kubectl set image deployment/web *=nginx:1.28 --namespace=default --output=jsonpath={.metadata.annotations} --dry-run=unchanged --record=true',
    );
  });

  it('leaves out the `--` and keeps the words after it', async () => {
    const { seen } = await invoke(['run', 'pod1', '--image=nginx', '--record', '--dry-run=client', '--', 'sh', '-c', 'echo hi'], 'kfake');
    expect(changeCauseText(seen.inv!)).toBe('kfake run pod1 sh -c echo hi --image=nginx --record=true --dry-run=client');
  });

  it('records only with --record=true', async () => {
    expect(changeCauseRecorder((await invoke(['set', 'image', 'd/w', 'a=b'])).seen.inv!)).toBeUndefined();
    expect(changeCauseRecorder((await invoke(['set', 'image', 'd/w', 'a=b', '--record=false'])).seen.inv!)).toBeUndefined();
    expect(changeCauseRecorder((await invoke(['set', 'image', 'd/w', 'a=b', '--record=t'])).seen.inv!)?.cause).toBe(
      'kubectl set image d/w a=b --record=t',
    );
  });
});

describe('changeCauseRecorder', () => {
  const deployment = (annotations?: Record<string, string>): KObject => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', ...(annotations ? { annotations } : {}) },
  });

  async function recorder() {
    const { seen } = await invoke(['set', 'image', 'deployment/web', 'nginx=nginx:1.27', '--record']);
    return changeCauseRecorder(seen.inv!)!;
  }

  it('Record sets the annotation on a copy, beside the others', async () => {
    const r = await recorder();
    const obj = deployment({ 'deployment.kubernetes.io/revision': '1' });
    expect(r.record(obj).metadata.annotations).toEqual({
      'deployment.kubernetes.io/revision': '1',
      'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.27 --record=true',
    });
    expect(obj.metadata.annotations).toEqual({ 'deployment.kubernetes.io/revision': '1' });
    expect(r.record(deployment()).metadata.annotations).toEqual({
      'kubernetes.io/change-cause': 'kubectl set image deployment/web nginx=nginx:1.27 --record=true',
    });
  });

  it('MakeRecordMergePatch sets just the annotation, or nothing when it is already there', async () => {
    const r = await recorder();
    expect(r.mergePatch(deployment({ a: 'b' }))).toBe(
      '{"metadata":{"annotations":{"kubernetes.io/change-cause":"kubectl set image deployment/web nginx=nginx:1.27 --record=true"}}}',
    );
    expect(r.mergePatch(r.record(deployment()))).toBe('{}');
  });
});

describe('commands that take --record', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-record-unit-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  async function kfake(args: string[]) {
    const io = memoryIO({ env: { KFAKE_STORE: path.join(dir, 'cluster.json'), KFAKE_SEED: 'unit', KFAKE_NOW: '2026-11-21T10:00:00Z' } });
    const code = await runCommand(await rootCommand(), args, io, { program: 'kfake' });
    return { stdout: io.stdout, stderr: io.stderr, code };
  }

  // kubectl v1.32: the ten commands accept it (hidden from their help); these do not.
  it.each([['apply'], ['create'], ['annotate'], ['label'], ['patch'], ['edit'], ['scale'], ['set', 'image'], ['expose'], ['run']])('%s accepts it', async (...words) => {
    const r = await kfake([...words, '--record', '--bogus']);
    expect(r.stderr).toBe(`error: unknown flag: --bogus\nSee 'kfake ${words.join(' ')} --help' for usage.\n`);
    expect((await kfake([...words, '--help'])).stdout).not.toContain('--record');
  });

  it.each([['replace'], ['delete'], ['rollout', 'undo'], ['rollout', 'history'], ['create', 'deployment']])('%s does not', async (...words) => {
    expect((await kfake([...words, '--record'])).stderr).toBe(`error: unknown flag: --record\nSee 'kfake ${words.join(' ')} --help' for usage.\n`);
  });
});
