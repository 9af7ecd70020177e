/*
 * Thumb instruction classes for the Cortex-M4 cycle model, decoded from the ARMv7-M encodings
 * (section and table names below are those of the ARMv7-M Architecture Reference Manual).
 * Only what changes the class is decoded; operands matter only for LDM/STM register counts and
 * for the load/store pipelining rule.
 */
#include "thumb-classify.h"

#define THUMB_CLASS_NAME_(name) #name,
const char *const thumb_class_names[THUMB_CLASS_COUNT] = {THUMB_CLASSES(THUMB_CLASS_NAME_)};
#undef THUMB_CLASS_NAME_

const char *const thumb_reg_counter_names[THUMB_REG_COUNTER_COUNT] = {"ldmRegs", "stmRegs", "vldmRegs", "vstmRegs"};

int thumb_insn_size(uint16_t hw1) {
  unsigned top = hw1 >> 11;
  return (top == 0x1D || top == 0x1E || top == 0x1F) ? 4 : 2;
}

static void set(struct thumb_insn *o, enum thumb_class cls) { o->cls = (uint8_t)cls; }

static void set_multi(struct thumb_insn *o, enum thumb_class cls, enum thumb_reg_counter counter, unsigned regs) {
  o->cls = (uint8_t)cls;
  o->reg_counter = (uint8_t)counter;
  o->regs = (uint8_t)regs;
}

static void set_single(struct thumb_insn *o, int load, unsigned rt, unsigned rn, unsigned rm) {
  o->cls = (uint8_t)(load ? THUMB_ldr : THUMB_str);
  o->load_dest = (uint8_t)(load ? rt : THUMB_NO_REG);
  o->addr_reg[0] = (uint8_t)rn;
  o->addr_reg[1] = (uint8_t)rm;
}

/* 16-bit "Miscellaneous 16-bit instructions" (hw bits 15:12 = 1011). */
static void classify_misc16(uint16_t h, struct thumb_insn *o) {
  unsigned op = (h >> 5) & 0x7F;
  if ((h & 0x0500) == 0x0100) set(o, THUMB_branch);                                 /* CBZ, CBNZ */
  else if (op == 0x33) set(o, THUMB_system);                                        /* CPS */
  else if ((op & 0x78) == 0x00) set(o, THUMB_alu);                                  /* ADD/SUB SP, #imm */
  else if ((op & 0x78) == 0x10) set(o, THUMB_alu);                                  /* SXTH SXTB UXTH UXTB */
  else if ((op & 0x70) == 0x20) set_multi(o, THUMB_stm, THUMB_REGS_STM, (unsigned)__builtin_popcount(h & 0x1FF)); /* PUSH (+LR) */
  else if ((op & 0x78) == 0x50) set(o, THUMB_alu);                                  /* REV REV16 REVSH */
  else if ((op & 0x70) == 0x60) set_multi(o, THUMB_ldm, THUMB_REGS_LDM, (unsigned)__builtin_popcount(h & 0x1FF)); /* POP (+PC) */
  else if ((op & 0x78) == 0x78) set(o, (h & 0xF) ? THUMB_it : THUMB_system);       /* IT, or NOP/WFI/... hints */
  else set(o, THUMB_system);                                                        /* BKPT, undefined */
}

static void classify16(uint16_t h, struct thumb_insn *o) {
  unsigned op = h >> 10;
  if ((op & 0x30) == 0x00) set(o, THUMB_alu); /* shift (imm), add, subtract, move, compare */
  else if (op == 0x10) set(o, ((h >> 6) & 0xF) == 0xD ? THUMB_mul : THUMB_alu); /* data processing; MULS */
  else if (op == 0x11) {                                                        /* special data, BX/BLX */
    unsigned opc = (h >> 6) & 0xF;
    unsigned rd = ((h >> 4) & 8) | (h & 7);
    if ((opc & 0xC) == 0xC) set(o, THUMB_branch);          /* BX, BLX */
    else if ((opc & 0xC) == 0x4) set(o, THUMB_alu);        /* CMP (high registers) */
    else set(o, rd == 15 ? THUMB_branch : THUMB_alu);      /* ADD, MOV: to PC is a branch */
  } else if ((op & 0x3E) == 0x12) set_single(o, 1, (h >> 8) & 7, 15, THUMB_NO_REG); /* LDR (literal) */
  else if ((op & 0x3C) == 0x14) {                                                  /* load/store, register offset */
    unsigned opb = (h >> 9) & 7;
    set_single(o, opb >= 3, h & 7, (h >> 3) & 7, (h >> 6) & 7);
  } else if ((op & 0x38) == 0x18 || (op & 0x3C) == 0x20) {                         /* STR/LDR(B/H) #imm */
    set_single(o, (h >> 11) & 1, h & 7, (h >> 3) & 7, THUMB_NO_REG);
  } else if ((op & 0x3C) == 0x24) set_single(o, (h >> 11) & 1, (h >> 8) & 7, 13, THUMB_NO_REG); /* SP-relative */
  else if ((op & 0x3C) == 0x28) set(o, THUMB_alu);                                 /* ADR, ADD SP */
  else if ((op & 0x3C) == 0x2C) classify_misc16(h, o);
  else if ((op & 0x3E) == 0x30) set_multi(o, THUMB_stm, THUMB_REGS_STM, (unsigned)__builtin_popcount(h & 0xFF));
  else if ((op & 0x3E) == 0x32) set_multi(o, THUMB_ldm, THUMB_REGS_LDM, (unsigned)__builtin_popcount(h & 0xFF));
  else if ((op & 0x3C) == 0x34) {                                                  /* B<c>, UDF, SVC */
    unsigned cond = (h >> 8) & 0xF;
    set(o, cond >= 0xE ? THUMB_system : THUMB_branch);
  } else set(o, THUMB_branch);                                                     /* B */
}

/* "Load/store dual or exclusive, table branch". */
static void classify_dual(uint16_t h1, uint16_t h2, struct thumb_insn *o) {
  unsigned op1 = (h1 >> 7) & 3, op2 = (h1 >> 4) & 3, op3 = (h2 >> 4) & 0xF;
  unsigned rn = h1 & 0xF, rt = h2 >> 12;
  if (op1 == 0 && op2 == 0) set_single(o, 0, rt, rn, THUMB_NO_REG);                     /* STREX */
  else if (op1 == 0 && op2 == 1) set_single(o, 1, rt, rn, THUMB_NO_REG);                /* LDREX */
  else if (op1 == 1 && op2 == 0) set_single(o, 0, rt, rn, THUMB_NO_REG);                /* STREXB/H */
  else if (op1 == 1 && op2 == 1) {
    if (op3 <= 1) set(o, THUMB_tableBranch);                                            /* TBB, TBH */
    else set_single(o, 1, rt, rn, THUMB_NO_REG);                                        /* LDREXB/H */
  } else set(o, (op2 & 1) ? THUMB_ldrd : THUMB_strd);                                   /* LDRD, STRD */
}

/* "Data processing (register)": shifts by register, extends, SIMD add/sub, misc. */
static void classify_dp_reg(uint16_t h1, uint16_t h2, struct thumb_insn *o) {
  unsigned a = (h1 >> 4) & 0xF, b = (h2 >> 4) & 0xF;
  if (a < 8 && b == 0) set(o, THUMB_alu);                          /* LSL LSR ASR ROR (register) */
  else if (a < 6 && (b & 8)) set(o, (a == 2 || a == 3) ? THUMB_simd : THUMB_alu); /* (S|U)XTA?B16 : other extends */
  else if ((a & 8) && (b & 8) == 0) set(o, THUMB_simd);            /* parallel add/subtract */
  else if ((a & 0xC) == 0x8 && (b & 0xC) == 0x8) set(o, a == 0xA ? THUMB_simd : THUMB_alu); /* SEL : QADD REV CLZ ... */
  else set(o, THUMB_system);                                       /* undefined */
}

/* "Multiply, multiply accumulate, and absolute difference". Ra = 15 is the non-accumulating form. */
static void classify_mul(uint16_t h1, uint16_t h2, struct thumb_insn *o) {
  unsigned op1 = (h1 >> 4) & 7, op2 = (h2 >> 4) & 3;
  int acc = (h2 >> 12) != 15;
  switch (op1) {
    case 0: set(o, op2 == 1 || acc ? THUMB_mla : THUMB_mul); break; /* MUL, MLA, MLS */
    case 1: /* SMULxy / SMLAxy */
    case 3: /* SMULWy / SMLAWy */
    case 5: set(o, acc ? THUMB_mla : THUMB_mul); break;            /* SMMUL / SMMLA */
    case 2:                                                        /* SMUAD / SMLAD */
    case 4: set(o, acc ? THUMB_smlad : THUMB_mul); break;          /* SMUSD / SMLSD */
    case 6: set(o, THUMB_mla); break;                              /* SMMLS */
    default: set(o, THUMB_simd); break;                            /* USAD8, USADA8 */
  }
}

/* "Long multiply, long multiply accumulate, and divide". */
static void classify_mull(uint16_t h1, uint16_t h2, struct thumb_insn *o) {
  unsigned op1 = (h1 >> 4) & 7, op2 = (h2 >> 4) & 0xF;
  set(o, ((op1 == 1 || op1 == 3) && op2 == 0xF) ? THUMB_div : THUMB_mull);
}

/* "Floating-point data-processing instructions" (VFP, CDP encoding). */
static void classify_vfp_dp(uint16_t h1, uint16_t h2, struct thumb_insn *o) {
  unsigned opc1 = (h1 >> 4) & 0xB, opc2 = h1 & 0xF, opc3 = (h2 >> 6) & 3;
  switch (opc1) {
    case 0x0: case 0x1: case 0x9: case 0xA: set(o, THUMB_vmac); break; /* V(N)MLA/S, VF(N)MA/S */
    case 0x2: set(o, THUMB_vmul); break;                               /* VMUL, VNMUL */
    case 0x3: set(o, THUMB_vadd); break;                               /* VADD, VSUB */
    case 0x8: set(o, (opc3 & 1) ? THUMB_system : THUMB_vdiv); break;   /* VDIV */
    case 0xB: set(o, (opc2 == 1 && opc3 == 3) ? THUMB_vsqrt : THUMB_vmisc); break; /* VSQRT : VMOV VABS VNEG VCVT VCMP */
    default: set(o, THUMB_system); break;
  }
}

/* "Coprocessor instructions": on a Cortex-M4F only the FPU (coprocessors 10 and 11). */
static void classify_coproc(uint16_t h1, uint16_t h2, struct thumb_insn *o) {
  unsigned c1 = (h1 >> 4) & 0x3F, cp = (h2 >> 8) & 0xF;
  if ((h1 & 0x1000) || (cp & 0xE) != 0xA) { set(o, THUMB_system); return; }
  if ((c1 & 0x3E) == 0x04) set(o, THUMB_vmisc);                       /* VMOV two core registers */
  else if ((c1 & 0x20) == 0) {                                        /* extension register load/store */
    if ((c1 & 0x3A) == 0) { set(o, THUMB_system); return; }
    unsigned p = (h1 >> 8) & 1, w = (h1 >> 5) & 1, l = (h1 >> 4) & 1;
    if (p && !w) set(o, l ? THUMB_vldr : THUMB_vstr);
    else set_multi(o, l ? THUMB_vldm : THUMB_vstm, l ? THUMB_REGS_VLDM : THUMB_REGS_VSTM, h2 & 0xFF);
  } else if ((c1 & 0x30) == 0x20) {
    if ((h2 >> 4) & 1) set(o, THUMB_vmisc);                           /* VMOV core<->single, VMRS, VMSR */
    else classify_vfp_dp(h1, h2, o);
  } else set(o, THUMB_system);
}

static void classify32(uint16_t h1, uint16_t h2, struct thumb_insn *o) {
  unsigned op1 = (h1 >> 11) & 3, op2 = (h1 >> 4) & 0x7F, op = h2 >> 15;
  if (op1 == 1) {
    if ((op2 & 0x64) == 0x00) {                                       /* load/store multiple */
      unsigned kind = (h1 >> 7) & 3;
      if (kind == 1 || kind == 2) {
        unsigned regs = (unsigned)__builtin_popcount(h2);
        if ((h1 >> 4) & 1) set_multi(o, THUMB_ldm, THUMB_REGS_LDM, regs);
        else set_multi(o, THUMB_stm, THUMB_REGS_STM, regs);
      } else set(o, THUMB_system);
    } else if ((op2 & 0x64) == 0x04) classify_dual(h1, h2, o);
    else if ((op2 & 0x60) == 0x20) set(o, ((h1 >> 5) & 0xF) == 6 ? THUMB_simd : THUMB_alu); /* PKH : shifted register */
    else classify_coproc(h1, h2, o);
  } else if (op1 == 2) {
    if (op == 0) {
      unsigned kind = (h1 >> 4) & 0x1F;
      int sat16 = (h1 & 0x0200) && (kind == 0x12 || kind == 0x1A) && (h2 & 0x70C0) == 0; /* SSAT16, USAT16 */
      set(o, sat16 ? THUMB_simd : THUMB_alu);                         /* modified / plain immediate */
    } else if (h2 & 0x1000) set(o, THUMB_branch);                      /* B.W, BL */
    else if (h2 & 0x4000) set(o, THUMB_system);                       /* undefined (BLX imm) */
    else if (((h1 >> 7) & 7) == 7) set(o, THUMB_system);              /* MSR MRS hints barriers UDF */
    else set(o, THUMB_branch);                                        /* B<c>.W */
  } else {
    unsigned rn = h1 & 0xF, rt = h2 >> 12;
    int reg_offset = (h1 & 0x80) == 0 && (h2 & 0x0FC0) == 0 && rn != 15;
    unsigned rm = reg_offset ? (h2 & 0xFu) : THUMB_NO_REG;
    if ((op2 & 0x71) == 0x00) set_single(o, 0, rt, rn, rm);           /* store single */
    else if ((op2 & 0x67) == 0x01 || (op2 & 0x67) == 0x03) {          /* load byte / halfword; Rt=PC: PLD, PLI */
      if (rt == 15) set(o, THUMB_system);
      else set_single(o, 1, rt, rn, rm);
    } else if ((op2 & 0x67) == 0x05) set_single(o, 1, rt, rn, rm);   /* load word */
    else if ((op2 & 0x67) == 0x07) set(o, THUMB_system);              /* undefined */
    else if ((op2 & 0x70) == 0x20) classify_dp_reg(h1, h2, o);
    else if ((op2 & 0x78) == 0x30) classify_mul(h1, h2, o);
    else if ((op2 & 0x78) == 0x38) classify_mull(h1, h2, o);
    else if (op2 & 0x40) classify_coproc(h1, h2, o);
    else set(o, THUMB_system);
  }
}

void thumb_classify(uint16_t hw1, uint16_t hw2, struct thumb_insn *out) {
  out->size = (uint8_t)thumb_insn_size(hw1);
  out->cls = THUMB_system;
  out->reg_counter = THUMB_NO_REG;
  out->regs = 0;
  out->load_dest = THUMB_NO_REG;
  out->addr_reg[0] = out->addr_reg[1] = THUMB_NO_REG;
  if (out->size == 2) classify16(hw1, out);
  else classify32(hw1, hw2, out);
}

static int is_single_ldst(unsigned cls) {
  return cls == THUMB_ldr || cls == THUMB_ldrPipelined || cls == THUMB_str || cls == THUMB_strPipelined;
}

/* Cortex-M4 TRM: neighbouring single loads and stores pipeline their address and data phases, so
 * the second completes in one cycle -- unless its address needs the register the first loads. */
void thumb_mark_pipelined(const struct thumb_insn *prev, struct thumb_insn *cur) {
  if (!prev || !is_single_ldst(prev->cls) || !is_single_ldst(cur->cls)) return;
  if (prev->load_dest != THUMB_NO_REG &&
      (prev->load_dest == cur->addr_reg[0] || prev->load_dest == cur->addr_reg[1])) return;
  if (cur->cls == THUMB_ldr) cur->cls = THUMB_ldrPipelined;
  else if (cur->cls == THUMB_str) cur->cls = THUMB_strPipelined;
}
