/**
 * Real FFT power spectrum in float32 — the TS twin of c/fft.c, operation for operation (same
 * bit-reversal, radix-2 first stage when log2(n/2) is odd, radix-4 stages, split step, same float32
 * tables), so a power spectrum here has the same bits as on the device. See c/fft.h:
 *
 *   n real samples → m = n/2 complex points z[j] = x[2j] + i·x[2j+1] → m-point complex FFT
 *   → X[k] = ½·(Z[k] + conj Z[m−k]) − ½·i·W_n^k·(Z[k] − conj Z[m−k]) → |X[k]|²/n, k = 0 .. n/2.
 *
 * The tables (`rfftTables`) are computed once in float64 and rounded to float32; c-tables.ts prints
 * the same values into the C (exactly: 9 significant digits). Every float32 operation of the C is one
 * Math.fround here, or a store into a Float32Array (which rounds the same way).
 */
const f = Math.fround;

export interface RfftTables {
  /** Real FFT points, a power of two ≥ 2. */
  readonly n: number;
  /** m = n/2 entries: j with its log2(m) bits reversed. */
  readonly bitrev: Uint16Array;
  /** (re, im) of W_m^j = e^(−2πi·j/m) for j < twiddleCount(m). */
  readonly twiddle: Float32Array;
  /** (re, im) of W_n^k = e^(−2πi·k/n), k = 0 .. m/2. */
  readonly split: Float32Array;
}

/** e^(−2πi·j/m) in float64, with exact values at multiples of a quarter turn. */
function unitRoot(j: number, m: number): [number, number] {
  const r = ((j % m) + m) % m;
  if ((4 * r) % m === 0) {
    const q = (4 * r) / m;
    return ([[1, 0], [0, -1], [-1, 0], [0, 1]] as const)[q] as [number, number];
  }
  const a = (2 * Math.PI * r) / m;
  return [Math.cos(a), -Math.sin(a)];
}

/** 1 when m (a power of two) is an odd power of two (2, 8, 32 …): the FFT then starts with a radix-2 stage. */
function oddPowerOfTwo(m: number): boolean {
  return Math.round(Math.log2(m)) % 2 === 1;
}

/** Twiddles W_m^j the complex FFT reads: j < this count (a radix-4 stage of quarter q reads W_m^(3k·m/(4q)), k < q). */
export function twiddleCount(m: number): number {
  let need = 1;
  let quarter = oddPowerOfTwo(m) ? 2 : 4;
  while (4 * quarter <= m) {
    need = Math.max(need, 3 * (quarter - 1) * (m / (4 * quarter)) + 1);
    quarter *= 4;
  }
  return need;
}

const tableCache = new Map<number, RfftTables>();

/** The float32 tables of an n-point real FFT (cached). */
export function rfftTables(n: number): RfftTables {
  let t = tableCache.get(n);
  if (!t) {
    const m = n >> 1;
    const bits = Math.round(Math.log2(m));
    const bitrev = new Uint16Array(m);
    for (let j = 0; j < m; j++) {
      let r = 0;
      for (let b = 0; b < bits; b++) if (j & (1 << b)) r |= 1 << (bits - 1 - b);
      bitrev[j] = r;
    }
    const count = twiddleCount(m);
    const twiddle = new Float32Array(2 * count);
    for (let j = 0; j < count; j++) twiddle.set(unitRoot(j, m), 2 * j);
    const split = new Float32Array(2 * ((m >> 1) + 1));
    for (let k = 0; k <= m >> 1; k++) split.set(unitRoot(k, n), 2 * k);
    t = { n, bitrev, twiddle, split };
    tableCache.set(n, t);
  }
  return t;
}

/** Puts z_j at position bitrev(j). */
function bitReverse(z: Float32Array, bitrev: Uint16Array, m: number): void {
  for (let j = 0; j < m; j++) {
    const r = bitrev[j] as number;
    if (j < r) {
      const re = z[2 * j] as number;
      const im = z[2 * j + 1] as number;
      z[2 * j] = z[2 * r] as number;
      z[2 * j + 1] = z[2 * r + 1] as number;
      z[2 * r] = re;
      z[2 * r + 1] = im;
    }
  }
}

/** 4-point DFTs of consecutive points (radix4_first_stage). */
function radix4FirstStage(z: Float32Array, m: number): void {
  for (let g = 0; g < m; g += 4) {
    const p = 2 * g;
    const p0 = z[p] as number, p1 = z[p + 1] as number, p2 = z[p + 2] as number, p3 = z[p + 3] as number;
    const p4 = z[p + 4] as number, p5 = z[p + 5] as number, p6 = z[p + 6] as number, p7 = z[p + 7] as number;
    const s0r = f(p0 + p2), s0i = f(p1 + p3);
    const s1r = f(p0 - p2), s1i = f(p1 - p3);
    const s2r = f(p4 + p6), s2i = f(p5 + p7);
    const s3r = f(p4 - p6), s3i = f(p5 - p7);
    z[p] = s0r + s2r;
    z[p + 1] = s0i + s2i;
    z[p + 4] = s0r - s2r;
    z[p + 5] = s0i - s2i;
    z[p + 2] = s1r + s3i;
    z[p + 3] = s1i - s3r;
    z[p + 6] = s1r - s3i;
    z[p + 7] = s1i + s3r;
  }
}

/** One radix-4 stage combining DFTs of `quarter` points (radix4_stage). */
function radix4Stage(z: Float32Array, m: number, quarter: number, tw: Float32Array): void {
  const stride = m / (4 * quarter);
  for (let k = 0; k < quarter; k++) {
    const w1 = 2 * (k * stride);
    const w2 = 2 * (2 * k * stride);
    const w3 = 2 * (3 * k * stride);
    const w1r = tw[w1] as number, w1i = tw[w1 + 1] as number;
    const w2r = tw[w2] as number, w2i = tw[w2 + 1] as number;
    const w3r = tw[w3] as number, w3i = tw[w3 + 1] as number;
    for (let base = k; base < m; base += 4 * quarter) {
      const a = 2 * base;
      const b = a + 2 * quarter;
      const c = b + 2 * quarter;
      const d = c + 2 * quarter;
      const br = z[b] as number, bi = z[b + 1] as number;
      const cr = z[c] as number, ci = z[c + 1] as number;
      const dr = z[d] as number, di = z[d + 1] as number;
      const ar = z[a] as number, ai = z[a + 1] as number;
      const q1r = f(f(w2r * br) - f(w2i * bi)), q1i = f(f(w2r * bi) + f(w2i * br));
      const q2r = f(f(w1r * cr) - f(w1i * ci)), q2i = f(f(w1r * ci) + f(w1i * cr));
      const q3r = f(f(w3r * dr) - f(w3i * di)), q3i = f(f(w3r * di) + f(w3i * dr));
      const s0r = f(ar + q1r), s0i = f(ai + q1i);
      const s1r = f(ar - q1r), s1i = f(ai - q1i);
      const s2r = f(q2r + q3r), s2i = f(q2i + q3i);
      const s3r = f(q2r - q3r), s3i = f(q2i - q3i);
      z[a] = s0r + s2r;
      z[a + 1] = s0i + s2i;
      z[c] = s0r - s2r;
      z[c + 1] = s0i - s2i;
      z[b] = s1r + s3i;
      z[b + 1] = s1i - s3r;
      z[d] = s1r - s3i;
      z[d + 1] = s1i + s3r;
    }
  }
}

/** 2-point DFTs of consecutive points, no products (radix2_first_stage: the first stage when log2(m) is odd). */
function radix2FirstStage(z: Float32Array, m: number): void {
  for (let g = 0; g < m; g += 2) {
    const p = 2 * g;
    const ar = z[p] as number, ai = z[p + 1] as number;
    const br = z[p + 2] as number, bi = z[p + 3] as number;
    z[p] = ar + br;
    z[p + 1] = ai + bi;
    z[p + 2] = ar - br;
    z[p + 3] = ai - bi;
  }
}

/**
 * Z (m complex points in z) → power[k] = |X[k]|²/n at power[offset + k], k = 0 .. m; returns the sum
 * of the bins in the C's order (split_power).
 */
function splitPower(z: Float32Array, m: number, split: Float32Array, power: Float32Array, offset: number): number {
  const scale = f(1 / (2 * m));
  const halfScale = f(0.25 * scale);
  const z0 = z[0] as number, z1 = z[1] as number;
  const dc = f(z0 + z1);
  const nyquist = f(z0 - z1);
  power[offset] = f(dc * dc) * scale;
  power[offset + m] = f(nyquist * nyquist) * scale;
  let energy = f((power[offset] as number) + (power[offset + m] as number));
  for (let k = 1; 2 * k <= m; k++) {
    const mk = m - k;
    const zr = z[2 * k] as number, zi = z[2 * k + 1] as number;
    const cr = z[2 * mk] as number, ci = -(z[2 * mk + 1] as number);
    const er = f(zr + cr), ei = f(zi + ci);
    const dr = f(zr - cr), di = f(zi - ci);
    const wr = split[2 * k] as number, wi = split[2 * k + 1] as number;
    const tr = f(f(di * wr) + f(dr * wi));
    const ti = f(f(di * wi) - f(dr * wr));
    const ar = f(er + tr), ai = f(ei + ti);
    const pk = f(f(f(ar * ar) + f(ai * ai)) * halfScale);
    power[offset + k] = pk;
    energy = f(energy + pk);
    if (mk !== k) {
      const br = f(er - tr), bi = f(ti - ei);
      const pm = f(f(f(br * br) + f(bi * bi)) * halfScale);
      power[offset + mk] = pm;
      energy = f(energy + pm);
    }
  }
  return energy;
}

/** An n-point real FFT power spectrum with its tables. */
export class RealFft {
  readonly n: number;
  /** n/2 + 1. */
  readonly bins: number;
  readonly tables: RfftTables;

  constructor(n: number) {
    this.n = n;
    this.bins = (n >> 1) + 1;
    this.tables = rfftTables(n);
  }

  /**
   * ik_rfft_power: `work` (n floats) holds the frame in natural order (cropped / zero-padded by the
   * caller) and is destroyed; power[offset + k] = |X[k]|²/n for k = 0 .. n/2. Returns the sum of the
   * bins (the frame energy).
   */
  power(work: Float32Array, power: Float32Array, offset = 0): number {
    const m = this.n >> 1;
    const { bitrev, twiddle, split } = this.tables;
    bitReverse(work, bitrev, m);
    let quarter = 1;
    if (oddPowerOfTwo(m)) {
      radix2FirstStage(work, m);
      quarter = 2;
    } else if (m >= 4) {
      radix4FirstStage(work, m);
      quarter = 4;
    }
    while (4 * quarter <= m) {
      radix4Stage(work, m, quarter, twiddle);
      quarter *= 4;
    }
    return splitPower(work, m, split, power, offset);
  }
}

const plans = new Map<number, RealFft>();

/** The shared plan of an n-point real FFT (n a power of two ≥ 2; callers validate). */
export function realFft(n: number): RealFft {
  let p = plans.get(n);
  if (!p) {
    p = new RealFft(n);
    plans.set(n, p);
  }
  return p;
}

/** ik_all_zero: 1 when every value of v[start, start + n) is 0 (a frame of digital silence). */
export function allZero(v: ArrayLike<number>, start: number, n: number): boolean {
  for (let i = 0; i < n; i++) if ((v[start + i] as number) !== 0) return false;
  return true;
}
