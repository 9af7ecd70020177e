/**
 * Build-time tables of the shared C code (blocks/dsp/common/c): FFT plans, sparse mel filterbanks,
 * biquad cascades and decimators, emitted as `static const` C for one instance. Computed in float64
 * and rounded once to float32.
 */
import { floatTable, uintTable, cFloat, type CTable } from './c-emit.js';
import { decimator, type Section } from './iir.js';
import { sparseMel, type MelFilterbank } from './mel.js';
import { rfftTables, twiddleCount } from './rfft.js';

export { twiddleCount };

/** C code (tables, then the struct) and the name of the struct and its tables' flash bytes. */
export interface CPart {
  readonly code: string;
  readonly name: string;
  readonly bytes: number;
}

function join(tables: readonly CTable[], tail: string, name: string, structBytes: number): CPart {
  return { code: tables.map((t) => t.code).join('\n') + '\n' + tail, name, bytes: tables.reduce((a, t) => a + t.bytes, 0) + structBytes };
}

/** Flash bytes of an `ik_rfft_plan` of n points (tables + struct). */
export function fftFlashBytes(n: number): number {
  const m = n >> 1;
  return 2 * m + 8 * twiddleCount(m) + 8 * ((m >> 1) + 1) + 16;
}

/** `static const ik_rfft_plan <prefix>_fft` for an n-point real FFT (n a power of two ≥ 2): the tables the TS twin (rfft.ts) uses. */
export function fftPlan(prefix: string, n: number): CPart {
  const m = n >> 1;
  const t = rfftTables(n);
  const tables = [
    uintTable(`${prefix}_fft_bitrev`, 'uint16_t', t.bitrev, `FFT ${n}: bit-reversed order of the ${m} complex points`),
    floatTable(`${prefix}_fft_twiddle`, t.twiddle, `FFT ${n}: (re, im) of W_${m}^j = e^(−2πi·j/${m}), j < ${t.twiddle.length / 2}`),
    floatTable(`${prefix}_fft_split`, t.split, `FFT ${n}: (re, im) of W_${n}^k = e^(−2πi·k/${n}), k = 0 .. ${m >> 1}`),
  ];
  const name = `${prefix}_fft`;
  const tail = `static const ik_rfft_plan ${name} = { ${n}u, ${prefix}_fft_bitrev, ${prefix}_fft_twiddle, ${prefix}_fft_split };\n`;
  return join(tables, tail, name, 16);
}

/** `static const ik_mel_bank <prefix>_mel`: each filter's non-zero weights only (the TS twin's sparseMel). */
export function melBank(prefix: string, fb: MelFilterbank): CPart {
  const bank = sparseMel(fb);
  const tables = [
    uintTable(`${prefix}_mel_first_bin`, 'uint16_t', bank.firstBin, `mel filterbank: FFT bin of each filter's first non-zero weight`),
    uintTable(`${prefix}_mel_offset`, 'uint32_t', bank.offset, `mel filterbank: filter i's weights are weights[offset[i] .. offset[i+1])`),
    floatTable(`${prefix}_mel_weights`, bank.weights, `mel filterbank: ${bank.weights.length} triangle weights, filter after filter`),
  ];
  const name = `${prefix}_mel`;
  const tail = `static const ik_mel_bank ${name} = { ${fb.numFilters}u, ${prefix}_mel_first_bin, ${prefix}_mel_offset, ${prefix}_mel_weights };\n`;
  return join(tables, tail, name, 16);
}

/** `static const ik_biquad name[sections]` (b0 b1 b2 a1 a2 per row; a0 = 1). */
export function biquads(name: string, sos: readonly Section[], comment: string): CPart {
  const rows = sos.map((s) => `    { ${[s[0], s[1], s[2], s[4], s[5]].map(cFloat).join(', ')} },`);
  const code = `/* ${comment}: b0, b1, b2, a1, a2 per section (a0 = 1) */\nstatic const ik_biquad ${name}[${sos.length}] = {\n${rows.join('\n')}\n};\n`;
  return { code, name, bytes: 20 * sos.length };
}

/**
 * The sections of the reference's Chebyshev I decimator by `ratio` (`<prefix>_decimate<ratio>_sos`)
 * and the initializer of its `ik_decimator` (to put in an array of stages).
 */
export function decimatorTables(prefix: string, ratio: number): { code: string; init: string; bytes: number } {
  const d = decimator(ratio);
  const base = `${prefix}_decimate${ratio}`;
  const filter = biquads(`${base}_sos`, d.sos, `decimation by ${ratio}: Chebyshev I, order 8, 0.05 dB ripple, cut-off 0.8/${ratio} of Nyquist`);
  return { code: filter.code, init: `{ ${ratio}u, ${d.sos.length}u, ${base}_sos, ${cFloat(d.dcGain)} }`, bytes: filter.bytes };
}
