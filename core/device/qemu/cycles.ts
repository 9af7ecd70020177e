/**
 * Estimated Cortex-M4 cycles from counted instructions: a per-class cost table (Cortex-M4
 * Technical Reference Manual, "Processor instructions" and the FPU's instruction timings) plus a
 * pipeline refill for every taken control transfer.
 *
 *   class                                   cycles
 *   alu, simd, it, mul, mla, smlad, mull    1      (the M4's single-cycle 32×32 MAC and DSP ops)
 *   div (SDIV, UDIV)                        7      (TRM: 2–12, early termination on the operand
 *                                                   sizes, which the count cannot see; 7 is the
 *                                                   middle, so an estimate errs ±5 per division)
 *   ldr, str                                2
 *   ldrPipelined, strPipelined              1      (a single load/store right after another, whose
 *                                                   address does not need the register just loaded)
 *   ldrd, strd                              3
 *   ldm, stm (incl. PUSH/POP)               1 + N  (N registers: ldmRegs/stmRegs)
 *   branch (B, BL, BX, CBZ …)               1      (+ refill when taken, below)
 *   tableBranch (TBB, TBH)                  2      (+ refill)
 *   vldr, vstr                              2
 *   vldm, vstm (incl. VPUSH/VPOP)           1 + N  (N words: vldmRegs/vstmRegs)
 *   vadd, vmul, vmisc                       1
 *   vmac (VMLA, VFMA …)                     3
 *   vdiv, vsqrt                             14
 *   system (NOP, barriers, MRS …)           1
 *   each taken control transfer             +2     (branch taken, call, return, POP/LDR into PC)
 *
 * What the estimate ignores — real parts differ by these, mostly upwards:
 * - flash wait states: an 80 MHz STM32L4 reads flash with 4 wait states behind an accelerator
 *   (ART/prefetch); loads of weights from flash and fetches after branches cost more there;
 * - memory contention and bus stalls (DMA, peripheral accesses), and caches on other cores;
 * - the exact refill (1–3 cycles, the TRM's "P"), IT folding (0 cycles after a 16-bit
 *   instruction), a branch's speculative fetch, and operand-dependent division;
 * - interrupts and their 12-cycle entry (the measured firmware runs none);
 * - VFP register dependencies (a VMLA result used at once stalls on hardware).
 * QEMU itself models no timing at all: instructions are counted exactly, cycles are estimated.
 */
import type { InsnClass, InsnHistogram, RegisterCounter, RegisterCounts } from './insn-classes.js';
import { INSN_CLASSES, REGISTER_COUNTERS } from './insn-classes.js';

export interface CycleTable {
  readonly name: string;
  /** Cycles per instruction of each class. */
  readonly perClass: Readonly<Record<InsnClass, number>>;
  /** Extra cycles per register moved by LDM/STM/VLDM/VSTM. */
  readonly perRegister: Readonly<Record<RegisterCounter, number>>;
  /** Pipeline refill per taken control transfer. */
  readonly takenBranchRefill: number;
}

export const CORTEX_M4_CYCLES: CycleTable = {
  name: 'Cortex-M4 (TRM instruction timings, no wait states)',
  perClass: {
    alu: 1,
    simd: 1,
    it: 1,
    mul: 1,
    mla: 1,
    smlad: 1,
    mull: 1,
    div: 7,
    ldr: 2,
    ldrPipelined: 1,
    str: 2,
    strPipelined: 1,
    ldrd: 3,
    strd: 3,
    ldm: 1,
    stm: 1,
    branch: 1,
    tableBranch: 2,
    vldr: 2,
    vstr: 2,
    vldm: 1,
    vstm: 1,
    vadd: 1,
    vmul: 1,
    vmac: 3,
    vdiv: 14,
    vsqrt: 14,
    vmisc: 1,
    system: 1,
  },
  perRegister: { ldmRegs: 1, stmRegs: 1, vldmRegs: 1, vstmRegs: 1 },
  takenBranchRefill: 2,
};

export interface InstructionCounts {
  readonly histogram: InsnHistogram;
  readonly registers: RegisterCounts;
  readonly takenBranches: number;
}

export interface CycleEstimate {
  readonly cycles: number;
  /** Cycles by class, with `registers` (LDM/STM transfers) and `branchRefill` apart. */
  readonly breakdown: Readonly<Record<InsnClass | 'registers' | 'branchRefill', number>>;
}

export function estimateCycles(counts: InstructionCounts, table: CycleTable = CORTEX_M4_CYCLES): CycleEstimate {
  const breakdown = {} as Record<InsnClass | 'registers' | 'branchRefill', number>;
  let cycles = 0;
  for (const c of INSN_CLASSES) {
    breakdown[c] = counts.histogram[c] * table.perClass[c];
    cycles += breakdown[c];
  }
  breakdown.registers = REGISTER_COUNTERS.reduce((sum, r) => sum + counts.registers[r] * table.perRegister[r], 0);
  breakdown.branchRefill = counts.takenBranches * table.takenBranchRefill;
  cycles += breakdown.registers + breakdown.branchRefill;
  return { cycles, breakdown };
}
