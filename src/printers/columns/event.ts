/** Core v1 Event rows: printEvent in k8s.io/kubernetes pkg/printers/internalversion/printers.go. */
import type { Event, KObject } from '../../api/types.ts';
import { age } from '../../util/duration.ts';
import { column, nameOf, type KindPrinter } from './common.ts';

export const eventPrinter: KindPrinter = {
  columns: [
    column('Last Seen'),
    column('Type'),
    column('Reason'),
    column('Object'),
    column('Subobject', 1),
    column('Source', 1),
    column('Message'),
    column('First Seen', 1),
    column('Count', 1),
    // The name column comes last and only with -o wide, so a kind prefix (several kinds in one
    // `get`) shows only there.
    { name: 'Name', priority: 1, format: 'name' },
  ],
  cells: (object: KObject, now: Date) => {
    const event = object as Event;
    // An event written through events.k8s.io may carry only eventTime.
    const firstSeen = event.firstTimestamp ? age(event.firstTimestamp, now) : age(event.eventTime, now);
    let lastSeen = event.lastTimestamp ? age(event.lastTimestamp, now) : firstSeen;
    let count = event.count ?? 0;
    if (event.series) {
      lastSeen = age(event.series.lastObservedTime, now);
      count = event.series.count ?? 0;
    } else if (count === 0) {
      // Singleton events don't have a count set in the new API.
      count = 1;
    }
    const involved = event.involvedObject ?? {};
    const kind = (involved.kind ?? '').toLowerCase();
    return [
      lastSeen,
      event.type ?? '',
      event.reason ?? '',
      involved.name ? `${kind}/${involved.name}` : kind,
      involved.fieldPath ?? '',
      eventSource(event),
      (event.message ?? '').trim(),
      firstSeen,
      String(count),
      nameOf(event),
    ];
  },
};

/**
 * formatEventSource: the component (else reportingComponent), then `, <host>` (else
 * reportingInstance) when there is one.
 */
function eventSource(event: Event): string {
  const component = event.source?.component || event.reportingComponent || '';
  const instance = event.source?.host || event.reportingInstance || '';
  return instance ? `${component}, ${instance}` : component;
}
