import { describe, expect, it } from 'vitest';
import { DESCRIBE_TABWRITER, GET_TABWRITER, tabwrite } from '../../src/printers/tabwriter.ts';

describe('tabwrite (get)', () => {
  it('pads every column but the last to max(6, longest + 3)', () => {
    const text = 'NAME\tTYPE\tAGE\nsample-clusterip\tClusterIP\t4s\nx\tNodePort\t10m\n';
    expect(tabwrite(text, GET_TABWRITER)).toBe(
      'NAME               TYPE        AGE\n' + 'sample-clusterip   ClusterIP   4s\n' + 'x                  NodePort    10m\n',
    );
  });

  it('keeps the padding of an empty non-last cell (trailing blanks)', () => {
    expect(tabwrite('A\tB\t\nxx\tyy\t\n', GET_TABWRITER)).toBe('A     B     \nxx    yy    \n');
  });

  it('matches kubectl get_test TestGetTableObjects', () => {
    const text = 'NAME\tREADY\tSTATUS\tRESTARTS\tAGE\nfoo\t0/0\t\t0\t<unknown>\n';
    expect(tabwrite(text, GET_TABWRITER)).toBe(
      'NAME   READY   STATUS   RESTARTS   AGE\nfoo    0/0              0          <unknown>\n',
    );
  });
});

describe('tabwrite (describe)', () => {
  it('restarts alignment after a line without tabs', () => {
    const text = 'Name:\tweb\nNamespace:\tdefault\nSubsets:\n  Addresses:\t10.0.0.1\n';
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe(
      'Name:       web\nNamespace:  default\nSubsets:\n  Addresses:  10.0.0.1\n',
    );
  });

  it('aligns nested columns per block', () => {
    const text = 'Port:\thttp\t80/TCP\nTargetPort:\t8080/TCP\n';
    expect(tabwrite(text, DESCRIBE_TABWRITER)).toBe('Port:        http  80/TCP\nTargetPort:  8080/TCP\n');
  });
});
