/*
 * Classifies ARMv7E-M Thumb instructions (Cortex-M4F: Thumb-2, DSP extension, single-precision
 * FPv4) into the classes that the Cortex-M4 cycle model (core/device/qemu/cycles.ts) prices.
 * Decoded from the instruction bits (the ARMv7-M encodings), not from disassembly text: fast,
 * exact register counts for LDM/STM, and independent of how QEMU was built.
 *
 * The class names printed by the plugin are the names in cycles.ts; keep both lists in step
 * (a test checks it).
 */
#ifndef IMPULSE_THUMB_CLASSIFY_H
#define IMPULSE_THUMB_CLASSIFY_H

#include <stdint.h>

#define THUMB_CLASSES(X)                                                                 \
  X(alu)          /* data processing, moves, shifts, compares, extends, bit fields, SSAT */ \
  X(simd)         /* DSP-extension SIMD: parallel add/sub, SXTB16/UXTB16, PKH, SEL, USAD8 */ \
  X(it)           /* IT (if-then) */                                                     \
  X(mul)          /* MUL, SMULxy, SMULWy, SMMUL, SMUAD, SMUSD */                          \
  X(mla)          /* MLA, MLS, SMLAxy, SMLAWy, SMMLA, SMMLS */                            \
  X(smlad)        /* SMLAD, SMLSD (dual 16-bit multiply-accumulate) */                     \
  X(mull)         /* 64-bit results: SMULL, UMULL, SMLAL, UMLAL, UMAAL, SMLALxy, SMLALD */ \
  X(div)          /* SDIV, UDIV */                                                       \
  X(ldr)          /* single load (byte/half/word, any addressing, LDREX) */               \
  X(ldrPipelined) /* single load right after a single load/store it does not depend on */ \
  X(str)          /* single store */                                                     \
  X(strPipelined) /* single store right after a single load/store */                     \
  X(ldrd)         /* LDRD */                                                             \
  X(strd)         /* STRD */                                                             \
  X(ldm)          /* LDM, POP (registers moved counted in ldmRegs) */                      \
  X(stm)          /* STM, PUSH (stmRegs) */                                                \
  X(branch)       /* B, BL, BX, BLX, CBZ, CBNZ, data processing that writes PC */         \
  X(tableBranch)  /* TBB, TBH */                                                         \
  X(vldr)         /* VLDR */                                                             \
  X(vstr)         /* VSTR */                                                             \
  X(vldm)         /* VLDM, VPOP (words moved in vldmRegs) */                              \
  X(vstm)         /* VSTM, VPUSH (vstmRegs) */                                            \
  X(vadd)         /* VADD, VSUB */                                                       \
  X(vmul)         /* VMUL, VNMUL */                                                      \
  X(vmac)         /* VMLA, VMLS, VNMLA, VNMLS, VFMA, VFMS, VFNMA, VFNMS */                \
  X(vdiv)         /* VDIV */                                                             \
  X(vsqrt)        /* VSQRT */                                                            \
  X(vmisc)        /* other FP: VMOV, VCVT, VCMP, VABS, VNEG, VMRS, VMSR */                \
  X(system)       /* hints, barriers, MRS/MSR, CPS, SVC, BKPT, UDF, PLD, undefined */

#define THUMB_CLASS_ENUM_(name) THUMB_##name,
enum thumb_class { THUMB_CLASSES(THUMB_CLASS_ENUM_) THUMB_CLASS_COUNT };
#undef THUMB_CLASS_ENUM_

extern const char *const thumb_class_names[THUMB_CLASS_COUNT];

/* Transfer-register counters kept beside the classes (cost 1 cycle per register). */
enum thumb_reg_counter { THUMB_REGS_LDM, THUMB_REGS_STM, THUMB_REGS_VLDM, THUMB_REGS_VSTM, THUMB_REG_COUNTER_COUNT };
extern const char *const thumb_reg_counter_names[THUMB_REG_COUNTER_COUNT];

#define THUMB_NO_REG 0xFFu

struct thumb_insn {
  uint8_t size;         /* 2 or 4 bytes */
  uint8_t cls;          /* enum thumb_class (before the pipelining pass) */
  uint8_t reg_counter;  /* enum thumb_reg_counter, or THUMB_NO_REG */
  uint8_t regs;         /* registers (words) moved by LDM/STM/VLDM/VSTM */
  uint8_t load_dest;    /* Rt of a single load, or THUMB_NO_REG */
  uint8_t addr_reg[2];  /* base and offset registers of a single load/store, or THUMB_NO_REG */
};

/* Size in bytes of the instruction whose first halfword is hw1. */
int thumb_insn_size(uint16_t hw1);

/* Decodes one instruction; hw2 is ignored for 16-bit instructions. */
void thumb_classify(uint16_t hw1, uint16_t hw2, struct thumb_insn *out);

/* Marks single loads/stores that pipeline behind the previous instruction (prev may be NULL:
 * the first instruction of a block, which follows a branch and its pipeline refill). */
void thumb_mark_pipelined(const struct thumb_insn *prev, struct thumb_insn *cur);

#endif /* IMPULSE_THUMB_CLASSIFY_H */
