/**
 * kfake replace in-process: the resourceVersion rules of resource.Helper.Replace (a file without
 * one overwrites; a stale one is the API server's Conflict) and --save-config.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIO } from '../../src/cli/io.ts';
import { runCommand } from '../../src/cli/program.ts';
import { rootCommand } from '../../src/commands/root.ts';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kfake-replace-unit-'));
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

async function kfake(args: string[], stdin = ''): Promise<{ stdout: string; stderr: string; code: number }> {
  const io = memoryIO({
    stdin,
    env: { KFAKE_STORE: path.join(dir, 'cluster.json'), KFAKE_SEED: 'unit', KFAKE_NOW: '2026-11-21T10:00:00Z' },
  });
  const code = await runCommand(await rootCommand(), args, io, { program: 'kfake' });
  return { stdout: io.stdout, stderr: io.stderr, code };
}

const CM = (data: string, extra = '') => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n${extra}data:\n  mode: ${data}\n`;

describe('replace', () => {
  it('overwrites without a resourceVersion and refuses a stale one', async () => {
    expect((await kfake(['create', '-f', '-'], CM('a'))).code).toBe(0);
    const rv = (await kfake(['get', 'cm', 'settings', '-o', 'jsonpath={.metadata.resourceVersion}'])).stdout;
    expect(await kfake(['replace', '-f', '-'], CM('b'))).toEqual({ stdout: 'configmap/settings replaced\n', stderr: '', code: 0 });
    expect(await kfake(['replace', '-f', '-'], CM('c', `  resourceVersion: "${rv}"\n`))).toEqual({
      stdout: '',
      stderr:
        'Error from server (Conflict): error when replacing "STDIN": Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again\n',
      code: 1,
    });
    expect((await kfake(['get', 'cm', 'settings', '-o', 'jsonpath={.data.mode}'])).stdout).toBe('b');
  });

  it('--save-config records the file as the last applied configuration', async () => {
    await kfake(['create', '-f', '-'], CM('a'));
    await kfake(['replace', '--save-config', '-f', '-'], CM('b'));
    const annotations = JSON.parse((await kfake(['get', 'cm', 'settings', '-o', 'jsonpath={.metadata.annotations}'])).stdout);
    expect(annotations['kubectl.kubernetes.io/last-applied-configuration']).toBe(
      '{"apiVersion":"v1","data":{"mode":"b"},"kind":"ConfigMap","metadata":{"annotations":{},"name":"settings","namespace":"default"}}\n',
    );
  });
});
