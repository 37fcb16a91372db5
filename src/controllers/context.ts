/**
 * What every controller gets: the cluster state of this transaction, the time, the seeded
 * randomness, the cluster settings and an event recorder. Controllers are level-triggered: a
 * sync looks at the current state of its object and makes the world match, so running it again
 * changes nothing.
 */
import type { ClusterState } from '../store/state.ts';
import type { ClusterConfig } from '../store/meta.ts';
import type { Random } from '../util/random.ts';
import type { EventRecorder } from './events.ts';

export interface ControllerContext {
  state: ClusterState;
  now: Date;
  /** `now` as metav1.Time text. */
  nowText: string;
  rng: Random;
  config: ClusterConfig;
  events: EventRecorder;
}
