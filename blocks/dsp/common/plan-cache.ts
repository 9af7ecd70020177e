/**
 * Per-params precomputation (filterbanks, DCT tables, FFT plans, filters, scratch buffers),
 * cached at module level by a key of the params and the input's shape and frequency, so a
 * block's `process` does the setup once per worker rather than once per window.
 */
export class PlanCache<T> {
  private readonly plans = new Map<string, T>();
  constructor(private readonly limit = 32) {}

  get(key: string, make: () => T): T {
    let p = this.plans.get(key);
    if (p === undefined) {
      p = make();
      if (this.plans.size >= this.limit) this.plans.clear();
      this.plans.set(key, p);
    }
    return p;
  }
}

/** Stable key of params + input info (params are small plain objects). */
export function planKey(params: unknown, shape: readonly number[], frequency?: number): string {
  return `${JSON.stringify(params)}|${shape.join('x')}|${frequency ?? ''}`;
}

/**
 * A block's plan function, cached: `cachedPlan(planMfcc)` gives `(params, shape, fs) => plan`,
 * built once per distinct params + input shape + frequency.
 */
export function cachedPlan<P, T>(make: (params: P, shape: readonly number[], frequency?: number) => T): (params: P, shape: readonly number[], frequency?: number) => T {
  const plans = new PlanCache<T>();
  return (params, shape, frequency) => plans.get(planKey(params, shape, frequency), () => make(params, shape, frequency));
}
