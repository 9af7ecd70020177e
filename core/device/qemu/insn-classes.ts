/**
 * The instruction classes the QEMU plugin counts (plugin/thumb-classify.h, in the same order and
 * with the same names; a test checks that the plugin reports exactly these) and the register
 * counters kept beside them.
 */
export const INSN_CLASSES = [
  'alu', // data processing, moves, shifts, compares, extends, bit fields, SSAT/USAT
  'simd', // DSP-extension SIMD: parallel add/sub, SXTB16/UXTB16(+A), PKHBT/TB, SEL, USAD8, SSAT16
  'it', // IT (if-then)
  'mul', // MUL, SMULxy, SMULWy, SMMUL, SMUAD, SMUSD
  'mla', // MLA, MLS, SMLAxy, SMLAWy, SMMLA, SMMLS
  'smlad', // SMLAD, SMLSD (dual 16-bit multiply-accumulate)
  'mull', // 64-bit results: SMULL, UMULL, SMLAL, UMLAL, UMAAL, SMLALxy, SMLALD, SMLSLD
  'div', // SDIV, UDIV
  'ldr', // single load (LDR, LDRB, LDRH, LDRSB, LDRSH, LDREX), not pipelined
  'ldrPipelined', // single load right after a single load/store whose result it does not use as an address
  'str', // single store, not pipelined
  'strPipelined', // single store right after a single load/store
  'ldrd', // LDRD
  'strd', // STRD
  'ldm', // LDM, POP (registers in ldmRegs)
  'stm', // STM, PUSH (registers in stmRegs)
  'branch', // B, BL, BX, BLX, CBZ, CBNZ, data processing writing PC
  'tableBranch', // TBB, TBH
  'vldr', // VLDR
  'vstr', // VSTR
  'vldm', // VLDM, VPOP (words in vldmRegs)
  'vstm', // VSTM, VPUSH (words in vstmRegs)
  'vadd', // VADD, VSUB
  'vmul', // VMUL, VNMUL
  'vmac', // VMLA, VMLS, VNMLA, VNMLS, VFMA, VFMS, VFNMA, VFNMS
  'vdiv', // VDIV
  'vsqrt', // VSQRT
  'vmisc', // other floating point: VMOV, VCVT, VCMP, VABS, VNEG, VMRS, VMSR
  'system', // hints (NOP), barriers, MRS/MSR, CPS, SVC, BKPT, UDF, PLD, undefined encodings
] as const;

export type InsnClass = (typeof INSN_CLASSES)[number];

/** Registers (for VLDM/VSTM: 32-bit words) moved by the multiple-transfer instructions. */
export const REGISTER_COUNTERS = ['ldmRegs', 'stmRegs', 'vldmRegs', 'vstmRegs'] as const;

export type RegisterCounter = (typeof REGISTER_COUNTERS)[number];

/** Executed instructions per class; the classes sum to the instruction count. */
export type InsnHistogram = Record<InsnClass, number>;

/** Registers moved by LDM/POP, STM/PUSH, VLDM/VPOP and VSTM/VPUSH. */
export type RegisterCounts = Record<RegisterCounter, number>;

export function emptyHistogram(): InsnHistogram {
  return Object.fromEntries(INSN_CLASSES.map((c) => [c, 0])) as InsnHistogram;
}

export function emptyRegisterCounts(): RegisterCounts {
  return Object.fromEntries(REGISTER_COUNTERS.map((c) => [c, 0])) as RegisterCounts;
}
