/**
 * Deployment and ReplicaSet validation (kubernetes/kubernetes pkg/apis/apps/validation/validation.go,
 * and the selector immutability their registry strategies add on update for apps/v1).
 */
import { FieldError, fieldErr, GoValue } from '../errors.ts';
import {
  goLabelSelector,
  goStringMap,
  IMMUTABLE,
  isObj,
  nameIsDNSSubdomain,
  nonNegative,
  num,
  objects,
  selectorMatches,
  str,
  stringMap,
  type Obj,
  validateLabelSelector,
  validateObjectMeta,
  validateObjectMetaUpdate,
  validatePositiveIntOrPercent,
} from './common.ts';
import { validatePodTemplate } from './pod.ts';

/** The selector part shared by DeploymentSpec and ReplicaSetSpec, then the template against it. */
function validateSelectorAndTemplate(spec: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const selector = isObj(spec.selector) ? spec.selector : undefined;
  if (!selector) {
    errs.push(fieldErr.required('spec.selector'));
  } else {
    errs.push(...validateLabelSelector(selector, 'spec.selector'));
    if (Object.keys(stringMap(selector.matchLabels)).length + objects(selector.matchExpressions).length === 0) {
      // The ReplicaSet message says "deployment" too.
      errs.push(fieldErr.invalid('spec.selector', goLabelSelector(selector), 'empty selector is invalid for deployment'));
    }
  }
  // ValidatePodTemplateSpecForReplicaSet: a nil selector matches nothing; an empty one everything.
  const template = isObj(spec.template) ? spec.template : {};
  const labels = stringMap(isObj(template.metadata) ? template.metadata.labels : undefined);
  const empty = selector && Object.keys(stringMap(selector.matchLabels)).length + objects(selector.matchExpressions).length === 0;
  if (!empty && !(selector && selectorMatches(selector, labels))) {
    const templateLabels = isObj(template.metadata) ? template.metadata.labels : undefined;
    errs.push(fieldErr.invalid('spec.template.metadata.labels', goStringMap(templateLabels), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodTemplate(template, 'spec.template'));
  const podSpec = isObj(template.spec) ? template.spec : {};
  const restartPolicy = str(podSpec.restartPolicy);
  if (restartPolicy !== 'Always') errs.push(fieldErr.notSupported('spec.template.spec.restartPolicy', restartPolicy, ['Always']));
  if (podSpec.activeDeadlineSeconds != null) {
    // Deployments share ValidatePodTemplateSpecForReplicaSet, message included.
    errs.push(fieldErr.forbidden('spec.template.spec.activeDeadlineSeconds', 'activeDeadlineSeconds in ReplicaSet is not Supported'));
  }
  return errs;
}

/** IntOrString percentages as getIntOrPercentValue reads them. */
function intOrPercent(v: unknown): { value: number; percent: boolean } {
  if (typeof v === 'string') {
    const m = /^([0-9]+)%$/.exec(v);
    return { value: m ? Number(m[1]) : 0, percent: !!m };
  }
  return { value: num(v), percent: false };
}

/** The bad-value rendering of an IntOrString: its String() (the number or the string, unquoted). */
const intOrStringValue = (v: unknown) => new GoValue(typeof v === 'string' ? v : String(num(v)));

function validateStrategy(strategy: Obj): FieldError[] {
  const errs: FieldError[] = [];
  const type = str(strategy.type);
  if (type === 'Recreate') {
    if (strategy.rollingUpdate != null) {
      errs.push(fieldErr.forbidden('spec.strategy.rollingUpdate', "may not be specified when strategy `type` is 'Recreate'"));
    }
  } else if (type === 'RollingUpdate') {
    if (!isObj(strategy.rollingUpdate)) {
      errs.push(fieldErr.required('spec.strategy.rollingUpdate', 'this should be defaulted and never be nil'));
    } else {
      const ru = strategy.rollingUpdate;
      const path = 'spec.strategy.rollingUpdate';
      errs.push(...validatePositiveIntOrPercent(ru.maxUnavailable, `${path}.maxUnavailable`));
      errs.push(...validatePositiveIntOrPercent(ru.maxSurge, `${path}.maxSurge`));
      if (intOrPercent(ru.maxUnavailable).value === 0 && intOrPercent(ru.maxSurge).value === 0) {
        errs.push(fieldErr.invalid(`${path}.maxUnavailable`, intOrStringValue(ru.maxUnavailable), 'may not be 0 when `maxSurge` is 0'));
      }
      const mu = intOrPercent(ru.maxUnavailable);
      if (mu.percent && mu.value > 100) {
        errs.push(fieldErr.invalid(`${path}.maxUnavailable`, intOrStringValue(ru.maxUnavailable), 'must not be greater than 100%'));
      }
    }
  } else {
    // %#v of the internal struct; a set pointer prints as an address, which differs per process.
    const rolling = isObj(strategy.rollingUpdate) ? '(*apps.RollingUpdateDeployment)(0xc000000000)' : '(*apps.RollingUpdateDeployment)(nil)';
    errs.push(
      fieldErr.notSupported('spec.strategy', new GoValue(`apps.DeploymentStrategy{Type:${JSON.stringify(type)}, RollingUpdate:${rolling}}`), [
        'Recreate',
        'RollingUpdate',
      ]),
    );
  }
  return errs;
}

function selectorImmutable(spec: Obj, oldSpec: Obj): FieldError[] {
  const sel = isObj(spec.selector) ? spec.selector : {};
  const oldSel = isObj(oldSpec.selector) ? oldSpec.selector : {};
  return goLabelSelector(sel).text === goLabelSelector(oldSel).text
    ? []
    : [fieldErr.invalid('spec.selector', goLabelSelector(sel), IMMUTABLE)];
}

/** ValidateDeployment / ValidateDeploymentUpdate. */
export function validateDeployment(d: Obj, old: Obj | undefined): FieldError[] {
  const meta = isObj(d.metadata) ? d.metadata : {};
  const errs = old
    ? validateObjectMetaUpdate(meta, isObj(old.metadata) ? old.metadata : {})
    : validateObjectMeta(meta, true, nameIsDNSSubdomain);
  const spec = isObj(d.spec) ? d.spec : {};
  errs.push(...nonNegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...validateSelectorAndTemplate(spec));
  errs.push(...validateStrategy(isObj(spec.strategy) ? spec.strategy : {}));
  errs.push(...nonNegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  if (typeof spec.revisionHistoryLimit === 'number') errs.push(...nonNegative(spec.revisionHistoryLimit, 'spec.revisionHistoryLimit'));
  if (typeof spec.progressDeadlineSeconds === 'number') {
    errs.push(...nonNegative(spec.progressDeadlineSeconds, 'spec.progressDeadlineSeconds'));
    if (spec.progressDeadlineSeconds <= num(spec.minReadySeconds)) {
      errs.push(fieldErr.invalid('spec.progressDeadlineSeconds', spec.progressDeadlineSeconds, 'must be greater than minReadySeconds'));
    }
  }
  if (old) errs.push(...selectorImmutable(spec, isObj(old.spec) ? old.spec : {}));
  return errs;
}

/** ValidateReplicaSet / ValidateReplicaSetUpdate. */
export function validateReplicaSet(rs: Obj, old: Obj | undefined): FieldError[] {
  const meta = isObj(rs.metadata) ? rs.metadata : {};
  const errs = old
    ? validateObjectMetaUpdate(meta, isObj(old.metadata) ? old.metadata : {})
    : validateObjectMeta(meta, true, nameIsDNSSubdomain);
  const spec = isObj(rs.spec) ? rs.spec : {};
  errs.push(...nonNegative(num(spec.replicas), 'spec.replicas'));
  errs.push(...nonNegative(num(spec.minReadySeconds), 'spec.minReadySeconds'));
  errs.push(...validateSelectorAndTemplate(spec));
  if (old) errs.push(...selectorImmutable(spec, isObj(old.spec) ? old.spec : {}));
  return errs;
}
