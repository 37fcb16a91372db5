import { describe, expect, it } from 'vitest';
import { parseResourceArgs } from '../../src/cli/resources.ts';

const kinds = (args: string[]) => parseResourceArgs(args, 'kfake').requests.map((r) => r.info.resource);

describe('resource arguments', () => {
  it('expands the all category alone and inside a list, as kubectl 1.32 does (get all,endpoints)', () => {
    const all = kinds(['all']);
    expect(all).toEqual(expect.arrayContaining(['pods', 'services', 'deployments', 'replicasets']));
    expect(kinds(['all,endpoints'])).toEqual([...all, 'endpoints']);
    expect(kinds(['svc,all'])).toEqual(['services', ...all.filter((r) => r !== 'services')]);
    expect(parseResourceArgs(['all,endpoints'], 'kfake').multipleTypes).toBe(true);
  });

  it('refuses unknown types and names after all, with kubectl’s errors', () => {
    expect(() => kinds(['all,nope'])).toThrow('the server doesn\'t have a resource type "nope"');
    expect(() => kinds(['all', 'web'])).toThrow('you must specify only one resource');
  });
});
