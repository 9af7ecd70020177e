/**
 * Reads the report the board support (board/startup.c) leaves in QEMU's working directory: after
 * a normal exit the stack and heap peaks; after a fault, which exception and where.
 */

/** The file name startup.c writes (REPORT_FILE there). */
export const BOARD_REPORT_FILE = '.impulse-board-report';

export type BoardReport =
  | {
      readonly kind: 'exit';
      readonly stackPeakBytes: number;
      readonly stackBytes: number;
      readonly heapPeakBytes: number;
      readonly heapBytes: number;
      /** By probe id: deepest stack use below the caller's stack pointer at BEGIN (regions that completed). */
      readonly regionStackPeakBytes: ReadonlyMap<number, number>;
    }
  | {
      readonly kind: 'fault';
      readonly exception: string;
      readonly pc: number;
      readonly lr: number;
      readonly cfsr: number;
      readonly hfsr: number;
      /** The lowest word of the stack reservation was overwritten before the fault. */
      readonly stackOverflowed: boolean;
    };

function keyValues(text: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const line of text.split('\n')) {
    const [k, v] = line.trim().split(/\s+/, 2);
    if (k && v !== undefined) m.set(k, v);
  }
  return m;
}

/** undefined when the text is not a complete report (the firmware never got to write one). */
export function parseBoardReport(text: string): BoardReport | undefined {
  const kv = keyValues(text);
  const n = (k: string): number | undefined => {
    const v = kv.get(k);
    return v === undefined ? undefined : Number(v);
  };
  const fault = kv.get('fault');
  if (fault !== undefined) {
    return {
      kind: 'fault',
      exception: fault,
      pc: n('pc') ?? 0,
      lr: n('lr') ?? 0,
      cfsr: n('cfsr') ?? 0,
      hfsr: n('hfsr') ?? 0,
      stackOverflowed: n('stack_overflowed') === 1,
    };
  }
  const stackPeakBytes = n('stack_peak');
  const stackBytes = n('stack_size');
  const heapPeakBytes = n('heap_peak');
  const heapBytes = n('heap_size');
  if (stackPeakBytes === undefined || stackBytes === undefined || heapPeakBytes === undefined || heapBytes === undefined) return undefined;
  const regionStackPeakBytes = new Map<number, number>();
  for (const [k, v] of kv) {
    const m = /^region_stack_(\d+)$/.exec(k);
    if (m) regionStackPeakBytes.set(Number(m[1]), Number(v));
  }
  return { kind: 'exit', stackPeakBytes, stackBytes, heapPeakBytes, heapBytes, regionStackPeakBytes };
}

/** What the Configurable Fault Status Register's set bits mean, for the fault message. */
export function describeCfsr(cfsr: number): string[] {
  const bits: Array<[number, string]> = [
    [0, 'instruction access violation (MPU)'],
    [1, 'data access violation (MPU)'],
    [8, 'instruction bus error'],
    [9, 'precise data bus error (a load or store to an unmapped address)'],
    [10, 'imprecise data bus error'],
    [16, 'undefined instruction'],
    [17, 'invalid state (e.g. a call through a function pointer without the Thumb bit)'],
    [18, 'invalid exception return'],
    [19, 'no coprocessor (FPU instruction with the FPU disabled)'],
    [24, 'unaligned access'],
    [25, 'division by zero'],
  ];
  return bits.filter(([bit]) => (cfsr >>> bit) & 1).map(([, what]) => what);
}
