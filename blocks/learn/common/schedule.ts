/** Learning-rate schedules, per epoch (0-based). */
export type Schedule = 'constant' | 'cosine' | 'step';

/**
 * constant: `base` throughout. cosine: from `base` down to 1% of it over the run (cosine curve).
 * step: halved after each quarter of the epochs (×1, ×0.5, ×0.25, ×0.125).
 */
export function learningRateAt(schedule: Schedule, base: number, epoch: number, epochs: number): number {
  if (schedule === 'cosine') {
    const t = epochs <= 1 ? 0 : epoch / (epochs - 1);
    const floor = 0.01 * base;
    return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
  }
  if (schedule === 'step') {
    const quarter = Math.max(1, Math.floor(epochs / 4));
    return base * 0.5 ** Math.min(3, Math.floor(epoch / quarter));
  }
  return base;
}
