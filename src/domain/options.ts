import { asInputError } from '../action/guard.js';
import type { Clock } from '../clock/index.js';
import type { DataLayer } from '../data-layer/types.js';
import { InvalidError, type Issue } from '../errors/index.js';
import type { AnyResource } from '../resource/resource.js';

/** What `createDomain` takes. */
export interface DomainOptions<Rs extends AnyResource> {
  /** The resources this domain serves. */
  resources: readonly Rs[];
  /** The data layer of resources that name none (default: a new in-memory data layer). */
  dataLayer?: DataLayer;
  /** Where "now" and timers come from (default: the system clock). Tests pass a `ManualClock`. */
  clock?: Clock;
}

const OPTIONS = ['resources', 'dataLayer', 'clock'];

/** Checks what `createDomain` was given, listing every problem with its path. @internal */
export function checkDomainOptions(options: unknown): asserts options is DomainOptions<AnyResource> {
  try {
    checkOptionsOf(options);
  } catch (error) {
    throw asInputError(error, 'createDomain');
  }
}

function checkOptionsOf(options: unknown): asserts options is DomainOptions<AnyResource> {
  const issues: Issue[] = [];
  if (!options || typeof options !== 'object') {
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'createDomain takes { resources: [...] }' }],
      'createDomain',
    );
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!OPTIONS.includes(k))
      issues.push({
        path: [k],
        code: 'unknown_option',
        message: `createDomain takes no option ${k}; it takes ${OPTIONS.join(', ')}`,
      });
  }
  if (!Array.isArray(o.resources)) {
    issues.push({
      path: ['resources'],
      code: 'invalid_type',
      message: 'must be a list of resources made by defineResource',
    });
  } else {
    const names = new Set<string>();
    o.resources.forEach((r: unknown, i: number) => {
      if (!r || typeof r !== 'object' || !(r as AnyResource)['~internal']) {
        issues.push({
          path: ['resources', i],
          code: 'invalid_type',
          message: 'must be a resource made by defineResource',
        });
      } else if (names.has((r as AnyResource).name)) {
        issues.push({
          path: ['resources', i],
          code: 'duplicate_name',
          message: `a second resource named ${(r as AnyResource).name}`,
        });
      } else names.add((r as AnyResource).name);
    });
  }
  if (o.dataLayer !== undefined && !isDataLayer(o.dataLayer)) {
    issues.push({
      path: ['dataLayer'],
      code: 'invalid_type',
      message: 'must be a data layer, e.g. memoryDataLayer() or actorDataLayer()',
    });
  }
  const clock = o.clock as Record<string, unknown> | undefined;
  if (
    clock !== undefined &&
    (typeof clock !== 'object' ||
      clock === null ||
      typeof clock.now !== 'function' ||
      typeof clock.setTimer !== 'function')
  ) {
    issues.push({
      path: ['clock'],
      code: 'invalid_type',
      message: 'must be a Clock (now, setTimer, clearTimer), e.g. systemClock or a ManualClock',
    });
  }
  if (issues.length) throw new InvalidError(issues, 'createDomain');
}

/** Whether a value has the methods of a data layer. @internal */
export function isDataLayer(value: unknown): value is DataLayer {
  const layer = value as Record<string, unknown> | null;
  return (
    typeof layer === 'object' &&
    layer !== null &&
    typeof layer.attach === 'function' &&
    typeof layer.can === 'function' &&
    typeof layer.execute === 'function' &&
    typeof layer.instantiate === 'function'
  );
}
