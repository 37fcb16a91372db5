// Event rows. Cases ported from k8s.io/kubernetes pkg/printers/internalversion/printers_test.go
// (TestPrintEvent): LAST SEEN / FIRST SEEN fall back from lastTimestamp to firstTimestamp to
// eventTime, a series overrides the last time and the count, a missing count prints 1.
import { describe, expect, it } from 'vitest';
import type { Event } from '../../../src/api/types.ts';
import { DAY, ago, columnNames, rowCells } from './rows.ts';

function event(name: string, e: Partial<Event>): Event {
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name },
    involvedObject: { kind: 'Deployment', name: 'Deployment Name', fieldPath: 'spec.containers{foo}' },
    reason: 'Event Reason',
    message: 'Message Data',
    type: 'Warning',
    ...e,
  };
}

const kubeletOnNode1 = { source: { component: 'kubelet', host: 'Node1' } };

describe('event columns', () => {
  it('has the v1.32 default and wide layouts', () => {
    expect(columnNames('events')).toEqual(['Last Seen', 'Type', 'Reason', 'Object', 'Message']);
    expect(columnNames('events', true)).toEqual([
      'Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name',
    ]);
  });
});

describe('printEvent (TestPrintEvent)', () => {
  it('basic event, default columns', () => {
    const e = event('event1', {
      source: { component: 'kubelet' },
      involvedObject: { kind: 'Pod', name: 'Pod Name', fieldPath: 'spec.containers{foo}' },
      firstTimestamp: ago(3 * DAY),
      lastTimestamp: ago(2 * DAY),
      count: 6,
      type: 'Normal',
    });
    expect(rowCells('events', e)).toEqual(['2d', 'Normal', 'Event Reason', 'pod/Pod Name', 'Message Data']);
  });

  it.each<[string, Partial<Event>, string[]]>([
    [
      'basic event, wide',
      { ...kubeletOnNode1, firstTimestamp: ago(3 * DAY), lastTimestamp: ago(2 * DAY), count: 6 },
      ['2d', '3d', '6'],
    ],
    ['without firstTimestamp', { ...kubeletOnNode1, eventTime: ago(3 * DAY), lastTimestamp: ago(3 * DAY), count: 1 }, ['3d', '3d', '1']],
    ['without lastTimestamp', { ...kubeletOnNode1, eventTime: ago(3 * DAY), firstTimestamp: ago(3 * DAY), count: 1 }, ['3d', '3d', '1']],
    ['with only eventTime', { ...kubeletOnNode1, eventTime: ago(3 * DAY), count: 1 }, ['3d', '3d', '1']],
    [
      'a series without first/last timestamps and count',
      { ...kubeletOnNode1, series: { count: 2, lastObservedTime: ago(2 * DAY) }, eventTime: ago(3 * DAY) },
      ['2d', '3d', '2'],
    ],
    ['a singleton without count', { ...kubeletOnNode1, eventTime: ago(3 * DAY) }, ['3d', '3d', '1']],
  ])('%s', (_, fields, [last, first, count]) => {
    const e = event('event2', fields);
    expect(rowCells('events', e, true)).toEqual([
      last, 'Warning', 'Event Reason', 'deployment/Deployment Name', 'spec.containers{foo}', 'kubelet, Node1', 'Message Data', first, count, 'event2',
    ]);
  });

  it('takes the source from reportingComponent / reportingInstance when source is empty', () => {
    const e = event('event2', {
      reportingComponent: 'kubelet',
      reportingInstance: 'test',
      firstTimestamp: ago(3 * DAY),
      lastTimestamp: ago(2 * DAY),
      count: 6,
    });
    expect(rowCells('events', e, true)[5]).toBe('kubelet, test');
  });

  it('shows the component alone without a host, and trims the message', () => {
    const e = event('e', { source: { component: 'service-controller' }, message: '  Ensuring load balancer \n' });
    const cells = rowCells('events', e, true);
    expect(cells[5]).toBe('service-controller');
    expect(cells[6]).toBe('Ensuring load balancer');
  });

  it('shows just the kind when the involved object has no name, and <unknown> without any time', () => {
    const e = event('e', { involvedObject: { kind: 'Node' } });
    expect(rowCells('events', e)).toEqual(['<unknown>', 'Warning', 'Event Reason', 'node', 'Message Data']);
  });
});
