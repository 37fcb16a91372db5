// Pod rows. Cases ported from k8s.io/kubernetes pkg/printers/internalversion/printers_test.go
// (TestPrintPod, TestPrintPodWithRestartableInitContainer, TestPrintPodwide,
// TestPrintNonTerminatedPod), plus the Terminating / NodeLost / exit-code branches of printPod.
import { describe, expect, it } from 'vitest';
import type { Container, ContainerStatus, Pod, PodSpec, PodStatus } from '../../../src/api/types.ts';
import { podSummary } from '../../../src/printers/columns/pod.ts';
import { DAY, MINUTE, NOW, ago, columnNames, rowCells } from './rows.ts';

function pod(name: string, spec: Partial<PodSpec>, status: PodStatus, deletionTimestamp?: string): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, ...(deletionTimestamp ? { deletionTimestamp } : {}) },
    spec: { containers: [], ...spec },
    status,
  };
}

/** `make([]api.Container, n)`: unnamed containers. */
function containers(n: number): Container[] {
  return Array.from({ length: n }, () => ({ name: '' }));
}

function cs(s: Partial<ContainerStatus>): ContainerStatus {
  return { name: '', ready: false, restartCount: 0, image: '', imageID: '', ...s };
}

const running = { running: {} };
const finishedAgo = (seconds: number) => ({ terminated: { exitCode: 0, finishedAt: ago(seconds) } });
const sidecar = (name: string): Container => ({ name, restartPolicy: 'Always' });

describe('pod columns', () => {
  it('has the v1.32 column set', () => {
    expect(columnNames('pods')).toEqual(['Name', 'Ready', 'Status', 'Restarts', 'Age']);
    expect(columnNames('pods', true)).toEqual([
      'Name', 'Ready', 'Status', 'Restarts', 'Age', 'IP', 'Node', 'Nominated Node', 'Readiness Gates',
    ]);
  });
});

describe('printPod (TestPrintPod)', () => {
  it.each<[string, Pod, string[]]>([
    [
      'name, containers, restarts, ready',
      pod('test1', { containers: containers(2) }, {
        phase: 'podPhase' as PodStatus['phase'],
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })],
      }),
      ['test1', '1/2', 'podPhase', '6', '<unknown>'],
    ],
    [
      'a container waiting reason overrides the phase',
      pod('test2', { containers: containers(2) }, {
        phase: 'podPhase' as PodStatus['phase'],
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: running }),
          cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
        ],
      }),
      ['test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'the first container overrides the rest',
      pod('test3', { containers: containers(2) }, {
        phase: 'podPhase' as PodStatus['phase'],
        containerStatuses: [
          cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
          cs({ state: { terminated: { exitCode: 0, reason: 'ContainerTerminatedReason' } }, restartCount: 3 }),
        ],
      }),
      ['test3', '0/2', 'ContainerWaitingReason', '6', '<unknown>'],
    ],
    [
      'ready is not enough for running',
      pod('test4', { containers: containers(2) }, {
        phase: 'podPhase' as PodStatus['phase'],
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ ready: true, restartCount: 3 })],
      }),
      ['test4', '1/2', 'podPhase', '6', '<unknown>'],
    ],
    [
      'status.reason wins over the phase',
      pod('test5', { containers: containers(2) }, {
        reason: 'podReason',
        phase: 'podPhase' as PodStatus['phase'],
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ ready: true, restartCount: 3 })],
      }),
      ['test5', '1/2', 'podReason', '6', '<unknown>'],
    ],
    [
      'one running and one completed container, no Ready condition',
      pod('test6', { containers: containers(2) }, {
        phase: 'Running',
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }),
          cs({ ready: true, restartCount: 3, state: running }),
        ],
      }),
      ['test6', '1/2', 'NotReady', '6', '<unknown>'],
    ],
    [
      'one running and one completed container, Ready condition',
      pod('test6', { containers: containers(2) }, {
        phase: 'Running',
        containerStatuses: [
          cs({ ready: true, restartCount: 3, state: { terminated: { reason: 'Completed', exitCode: 0 } } }),
          cs({ ready: true, restartCount: 3, state: running }),
        ],
        conditions: [{ type: 'Ready', status: 'True', lastProbeTime: ago(0) }],
      }),
      ['test6', '1/2', 'Running', '6', '<unknown>'],
    ],
    [
      'an init container restarting, the container not running',
      pod('test7', { initContainers: containers(1), containers: containers(1) }, {
        phase: 'podPhase' as PodStatus['phase'],
        initContainerStatuses: [cs({ restartCount: 3, state: running, lastState: finishedAgo(10) })],
        containerStatuses: [cs({ state: { waiting: {} } })],
      }),
      ['test7', '0/1', 'Init:0/1', '3 (10s ago)', '<unknown>'],
    ],
    [
      'two init containers, one restarting and one not running',
      pod('test8', { initContainers: containers(2), containers: containers(1) }, {
        phase: 'podPhase' as PodStatus['phase'],
        initContainerStatuses: [
          cs({ restartCount: 3, state: running, lastState: finishedAgo(10) }),
          cs({ state: { waiting: {} } }),
        ],
        containerStatuses: [cs({ state: { waiting: {} } })],
      }),
      ['test8', '0/1', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'two init containers, one completed without restarts and one restarting',
      pod('test9', { initContainers: containers(2), containers: containers(1) }, {
        phase: 'podPhase' as PodStatus['phase'],
        initContainerStatuses: [
          cs({ state: { terminated: { exitCode: 0 } } }),
          cs({ restartCount: 3, state: running, lastState: finishedAgo(10) }),
        ],
        containerStatuses: [cs({ state: { waiting: {} } })],
      }),
      ['test9', '0/1', 'Init:1/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'two init containers, one completed with restarts and one restarting',
      pod('test10', { initContainers: containers(2), containers: containers(1) }, {
        phase: 'podPhase' as PodStatus['phase'],
        initContainerStatuses: [
          cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: finishedAgo(2 * MINUTE) }),
          cs({ restartCount: 3, state: running, lastState: finishedAgo(10) }),
        ],
        containerStatuses: [cs({ state: { waiting: {} } })],
      }),
      ['test10', '0/1', 'Init:1/2', '5 (10s ago)', '<unknown>'],
    ],
    [
      'an init container completed with restarts, the container restarting',
      pod('test11', { initContainers: containers(1), containers: containers(1) }, {
        phase: 'Running',
        initContainerStatuses: [
          cs({ restartCount: 2, state: { terminated: { exitCode: 0 } }, lastState: finishedAgo(2 * MINUTE) }),
        ],
        containerStatuses: [cs({ restartCount: 4, state: running, lastState: finishedAgo(20) })],
      }),
      ['test11', '0/1', 'Running', '4 (20s ago)', '<unknown>'],
    ],
    [
      'a container that restarted 5d ago',
      pod('test12', { containers: containers(1) }, {
        phase: 'Running',
        containerStatuses: [cs({ ready: true, restartCount: 3, state: running, lastState: finishedAgo(5 * DAY) })],
      }),
      ['test12', '1/1', 'Running', '3 (5d ago)', '<unknown>'],
    ],
    [
      'one container never restarted, the other 10d ago',
      pod('test13', { containers: containers(2) }, {
        phase: 'Running',
        containerStatuses: [
          cs({ ready: true, state: running }),
          cs({ ready: true, restartCount: 3, state: running, lastState: finishedAgo(10 * DAY) }),
        ],
      }),
      ['test13', '2/2', 'Running', '3 (10d ago)', '<unknown>'],
    ],
    [
      'the most recent restart is shown',
      pod('test14', { containers: containers(2) }, {
        phase: 'Running',
        containerStatuses: [
          cs({ ready: true, restartCount: 6, state: running, lastState: finishedAgo(5 * DAY) }),
          cs({ ready: true, restartCount: 3, state: running, lastState: finishedAgo(20 * DAY) }),
        ],
      }),
      ['test14', '2/2', 'Running', '9 (5d ago)', '<unknown>'],
    ],
    [
      'a scheduling-gated pod',
      pod('test15', { containers: containers(2) }, {
        phase: 'podPhase' as PodStatus['phase'],
        conditions: [{ type: 'PodScheduled', status: 'False', reason: 'SchedulingGated' }],
      }),
      ['test15', '0/2', 'SchedulingGated', '0', '<unknown>'],
    ],
  ])('%s', (_, p, want) => {
    expect(rowCells('pods', p)).toEqual(want);
  });
});

describe('printPod with sidecars (TestPrintPodWithRestartableInitContainer)', () => {
  const sidecars = { initContainers: [sidecar('restartable-init-1'), sidecar('restartable-init-2')], containers: containers(1) };

  it.each<[string, Pod, string[]]>([
    [
      'the first sidecar running but not started',
      pod('test1', sidecars, {
        phase: 'Pending',
        initContainerStatuses: [
          cs({ name: 'restartable-init-1', restartCount: 3, state: running, started: false, lastState: finishedAgo(10) }),
          cs({ name: 'restartable-init-2', state: { waiting: {} }, started: false }),
        ],
        containerStatuses: [cs({ state: { waiting: {} } })],
        conditions: [{ type: 'Initialized', status: 'False' }],
      }),
      ['test1', '0/3', 'Init:0/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'the first sidecar started, the second running but not started',
      pod('test1', sidecars, {
        phase: 'Pending',
        initContainerStatuses: [
          cs({ name: 'restartable-init-1', restartCount: 3, state: running, started: true, lastState: finishedAgo(10) }),
          cs({ name: 'restartable-init-2', state: running, started: false }),
        ],
        containerStatuses: [cs({ state: { waiting: {} } })],
        conditions: [{ type: 'Initialized', status: 'False' }],
      }),
      ['test1', '0/3', 'Init:1/2', '3 (10s ago)', '<unknown>'],
    ],
    [
      'both sidecars started, the container running',
      pod('test2', sidecars, {
        phase: 'Running',
        initContainerStatuses: [
          cs({ name: 'restartable-init-1', restartCount: 3, state: running, started: true, lastState: finishedAgo(10) }),
          cs({ name: 'restartable-init-2', state: running, started: true }),
        ],
        containerStatuses: [cs({ ready: true, restartCount: 4, state: running, lastState: finishedAgo(20) })],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      ['test2', '1/3', 'Running', '7 (10s ago)', '<unknown>'],
    ],
    [
      'sidecars failed, the container completed',
      pod('test3', sidecars, {
        phase: 'Succeeded',
        initContainerStatuses: [
          cs({
            name: 'restartable-init-1',
            restartCount: 3,
            state: { terminated: { reason: 'Error', exitCode: 137 } },
            started: false,
            lastState: finishedAgo(10),
          }),
          cs({ name: 'restartable-init-2', state: { terminated: { reason: 'Error', exitCode: 137 } }, started: false }),
        ],
        containerStatuses: [
          cs({ restartCount: 4, state: { terminated: { reason: 'Completed', exitCode: 0 } }, lastState: finishedAgo(20) }),
        ],
        conditions: [{ type: 'Initialized', status: 'True' }],
      }),
      ['test3', '0/3', 'Completed', '7 (10s ago)', '<unknown>'],
    ],
    [
      'statuses of containers the spec does not have',
      pod('test4', {
        initContainers: [{ name: 'init1', image: 'initimage' }, { ...sidecar('sidecar1'), image: 'sidecarimage' }],
        containers: [{ name: 'container1', image: 'containerimage' }],
      }, {
        phase: 'Running',
        initContainerStatuses: [cs({ name: 'initinvalid' }), cs({ name: 'init1' }), cs({ name: 'sidecar1' })],
        containerStatuses: [cs({ name: 'containerinvalid' }), cs({ name: 'container1' })],
      }),
      ['test4', '0/2', 'Init:0/2', '0', '<unknown>'],
    ],
  ])('%s', (_, p, want) => {
    expect(rowCells('pods', p)).toEqual(want);
  });
});

describe('printPod wide (TestPrintPodwide)', () => {
  const gates = { readinessGates: [{ conditionType: 'condition1' }, { conditionType: 'condition2' }, { conditionType: 'condition3' }] };
  const conditions: PodStatus['conditions'] = [
    { type: 'condition1', status: 'False' },
    { type: 'condition2', status: 'True' },
  ];
  const statuses = [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })];

  it('shows IP, node, nominated node and readiness gates', () => {
    const p = pod('test1', { containers: containers(2), nodeName: 'test1', ...gates }, {
      conditions,
      phase: 'podPhase' as PodStatus['phase'],
      podIPs: [{ ip: '1.1.1.1' }],
      containerStatuses: statuses,
      nominatedNodeName: 'node1',
    });
    expect(rowCells('pods', p, true)).toEqual(['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3']);
  });

  it('shows only the first of several pod IPs', () => {
    const p = pod('test1', { containers: containers(2), nodeName: 'test1', ...gates }, {
      conditions,
      phase: 'podPhase' as PodStatus['phase'],
      podIPs: [{ ip: '1.1.1.1' }, { ip: '2001:db8::' }],
      containerStatuses: statuses,
      nominatedNodeName: 'node1',
    });
    expect(rowCells('pods', p, true)).toEqual(['test1', '1/2', 'podPhase', '6', '<unknown>', '1.1.1.1', 'test1', 'node1', '1/3']);
  });

  it('prints <none> for what is missing', () => {
    const p = pod('test2', { containers: containers(2) }, {
      phase: 'podPhase' as PodStatus['phase'],
      containerStatuses: [
        cs({ ready: true, restartCount: 3, state: running }),
        cs({ state: { waiting: { reason: 'ContainerWaitingReason' } }, restartCount: 3 }),
      ],
    });
    expect(rowCells('pods', p, true)).toEqual([
      'test2', '1/2', 'ContainerWaitingReason', '6', '<unknown>', '<none>', '<none>', '<none>', '<none>',
    ]);
  });

  it('takes status.podIP as authoritative over podIPs, as the v1 conversion does', () => {
    const p = pod('p', { containers: [] }, { podIP: '10.244.0.9', podIPs: [{ ip: '10.244.0.5' }] });
    expect(rowCells('pods', p, true)[5]).toBe('10.244.0.9');
  });
});

describe('printPod phases (TestPrintNonTerminatedPod)', () => {
  it.each<[PodStatus['phase'], string]>([
    ['Running', 'Running'],
    ['Pending', 'Pending'],
    ['Unknown', 'Unknown'],
    ['Succeeded', 'Succeeded'],
    ['Failed', 'Failed'],
  ])('phase %s prints as %s', (phase, want) => {
    const p = pod('test', { containers: containers(2) }, {
      phase,
      containerStatuses: [cs({ ready: true, restartCount: 3, state: running }), cs({ restartCount: 3 })],
    });
    expect(rowCells('pods', p)).toEqual(['test', '1/2', want, '6', '<unknown>']);
  });
});

describe('printPod, other branches', () => {
  const one = { containers: [{ name: 'app', image: 'nginx' }] };

  it('shows Terminating for a deleted pod that has not finished', () => {
    const p = pod('t', one, { phase: 'Running', containerStatuses: [cs({ ready: true, state: running })] }, ago(5));
    expect(podSummary(p, NOW)).toEqual({ ready: '1/1', status: 'Terminating', restarts: '0' });
  });

  it('keeps the phase of a deleted pod that already finished', () => {
    const p = pod('t', one, { phase: 'Succeeded', containerStatuses: [cs({ state: { terminated: { exitCode: 0, reason: 'Completed' } } })] }, ago(5));
    expect(podSummary(p, NOW).status).toBe('Completed');
  });

  it('shows Unknown for a deleted pod on an unreachable node', () => {
    const p = pod('t', one, { phase: 'Running', reason: 'NodeLost' }, ago(5));
    expect(podSummary(p, NOW).status).toBe('Unknown');
  });

  it('shows an eviction reason', () => {
    const p = pod('t', one, { phase: 'Failed', reason: 'Evicted' });
    expect(podSummary(p, NOW).status).toBe('Evicted');
  });

  it.each<[ContainerStatus['state'], string]>([
    [{ waiting: { reason: 'CrashLoopBackOff' } }, 'CrashLoopBackOff'],
    [{ waiting: { reason: 'ImagePullBackOff' } }, 'ImagePullBackOff'],
    [{ terminated: { exitCode: 137, reason: 'OOMKilled' } }, 'OOMKilled'],
    [{ terminated: { exitCode: 2 } }, 'ExitCode:2'],
    [{ terminated: { exitCode: 0, signal: 9 } }, 'Signal:9'],
  ])('container state %j gives %s', (state, want) => {
    const p = pod('t', one, { phase: 'Running', containerStatuses: [cs({ state })] });
    expect(podSummary(p, NOW).status).toBe(want);
  });

  it.each<[ContainerStatus['state'], string]>([
    [{ terminated: { exitCode: 1, reason: 'Error' } }, 'Init:Error'],
    [{ terminated: { exitCode: 3 } }, 'Init:ExitCode:3'],
    [{ terminated: { exitCode: 1, signal: 15 } }, 'Init:Signal:15'],
    [{ waiting: { reason: 'ImagePullBackOff' } }, 'Init:ImagePullBackOff'],
    [{ waiting: { reason: 'PodInitializing' } }, 'Init:0/1'],
  ])('init container state %j gives %s', (state, want) => {
    const p = pod('t', { ...one, initContainers: [{ name: 'init' }] }, {
      phase: 'Pending',
      initContainerStatuses: [cs({ name: 'init', state })],
      containerStatuses: [cs({ name: 'app', state: { waiting: { reason: 'PodInitializing' } } })],
    });
    expect(podSummary(p, NOW).status).toBe(want);
  });

  it('counts a started, ready sidecar in READY', () => {
    const p = pod('t', { ...one, initContainers: [sidecar('proxy')] }, {
      phase: 'Running',
      initContainerStatuses: [cs({ name: 'proxy', ready: true, started: true, state: running })],
      containerStatuses: [cs({ name: 'app', ready: true, state: running })],
      conditions: [{ type: 'Initialized', status: 'True' }],
    });
    expect(podSummary(p, NOW)).toEqual({ ready: '2/2', status: 'Running', restarts: '0' });
  });

  it('shows a restart count without a time when the last termination time is unknown', () => {
    const p = pod('t', one, { phase: 'Running', containerStatuses: [cs({ ready: true, restartCount: 2, state: running })] });
    expect(podSummary(p, NOW).restarts).toBe('2');
  });
});
