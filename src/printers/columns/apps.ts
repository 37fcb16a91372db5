/**
 * Deployment and ReplicaSet rows: printDeployment / printReplicaSet in
 * k8s.io/kubernetes pkg/printers/internalversion/printers.go.
 */
import type { Deployment, KObject, ReplicaSet } from '../../api/types.ts';
import { formatLabelSelector, selectorFromLabelSelector, selectorString } from '../../selectors/labels.ts';
import { AGE, NAME, ageOf, column, containerCells, nameOf, type KindPrinter } from './common.ts';

// The apiserver defaults spec.replicas to 1 for both kinds; the printers read the defaulted value.
const DEFAULT_REPLICAS = 1;

export const deploymentPrinter: KindPrinter = {
  columns: [
    NAME,
    column('Ready'),
    column('Up-to-date'),
    column('Available'),
    AGE,
    column('Containers', 1),
    column('Images', 1),
    column('Selector', 1),
  ],
  cells: (object: KObject, now: Date) => {
    const d = object as Deployment;
    const status = d.status ?? {};
    const [containers, images] = containerCells(d.spec?.template?.spec?.containers);
    return [
      nameOf(d),
      `${status.readyReplicas ?? 0}/${d.spec?.replicas ?? DEFAULT_REPLICAS}`,
      String(status.updatedReplicas ?? 0),
      String(status.availableReplicas ?? 0),
      ageOf(d, now),
      containers,
      images,
      // LabelSelectorAsSelector(...).String(): unlike FormatLabelSelector, empty stays empty.
      selectorString(selectorFromLabelSelector(d.spec?.selector ?? {})),
    ];
  },
};

export const replicaSetPrinter: KindPrinter = {
  columns: [
    NAME,
    column('Desired'),
    column('Current'),
    column('Ready'),
    AGE,
    column('Containers', 1),
    column('Images', 1),
    column('Selector', 1),
  ],
  cells: (object: KObject, now: Date) => {
    const rs = object as ReplicaSet;
    const [containers, images] = containerCells(rs.spec?.template?.spec?.containers);
    return [
      nameOf(rs),
      String(rs.spec?.replicas ?? DEFAULT_REPLICAS),
      String(rs.status?.replicas ?? 0),
      String(rs.status?.readyReplicas ?? 0),
      ageOf(rs, now),
      containers,
      images,
      formatLabelSelector(rs.spec?.selector),
    ];
  },
};
