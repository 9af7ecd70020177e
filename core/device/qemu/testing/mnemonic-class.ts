/**
 * Test oracle for the plugin's bit-level Thumb decoder: the instruction class that objdump's
 * mnemonic implies, by a route independent of the decoder (text, not bits). Returns undefined for
 * mnemonics it does not know (data disassembled as code, coprocessor forms a Cortex-M4 lacks).
 */
import type { InsnClass } from '../insn-classes.js';

const CONDITIONS = ['eq', 'ne', 'cs', 'hs', 'cc', 'lo', 'mi', 'pl', 'vs', 'vc', 'hi', 'ls', 'ge', 'lt', 'gt', 'le', 'al'];

const PARALLEL = ['s', 'q', 'sh', 'u', 'uq', 'uh'].flatMap((p) => ['add16', 'asx', 'sax', 'sub16', 'add8', 'sub8'].map((o) => p + o));
const XY = ['bb', 'bt', 'tb', 'tt'];

const TABLE: Record<string, InsnClass> = {};
function put(cls: InsnClass, names: readonly string[]): void {
  for (const n of names) TABLE[n] = cls;
}
put('alu', [
  'mov', 'movs', 'movw', 'movt', 'mvn', 'mvns', 'add', 'adds', 'addw', 'sub', 'subs', 'subw', 'rsb', 'rsbs', 'adc', 'adcs',
  'sbc', 'sbcs', 'and', 'ands', 'orr', 'orrs', 'orn', 'orns', 'eor', 'eors', 'bic', 'bics', 'cmp', 'cmn', 'tst', 'teq',
  'lsl', 'lsls', 'lsr', 'lsrs', 'asr', 'asrs', 'ror', 'rors', 'rrx', 'rrxs', 'neg', 'negs', 'ubfx', 'sbfx', 'bfi', 'bfc',
  'clz', 'rbit', 'rev', 'rev16', 'revsh', 'uxtb', 'uxth', 'sxtb', 'sxth', 'uxtab', 'uxtah', 'sxtab', 'sxtah', 'ssat',
  'usat', 'adr', 'qadd', 'qsub', 'qdadd', 'qdsub',
]);
put('simd', ['sxtb16', 'uxtb16', 'sxtab16', 'uxtab16', 'sel', 'pkhbt', 'pkhtb', 'usad8', 'usada8', 'ssat16', 'usat16', ...PARALLEL]);
put('mul', ['mul', 'muls', ...XY.map((x) => 'smul' + x), 'smulwb', 'smulwt', 'smmul', 'smmulr', 'smuad', 'smuadx', 'smusd', 'smusdx']);
put('mla', ['mla', 'mls', ...XY.map((x) => 'smla' + x), 'smlawb', 'smlawt', 'smmla', 'smmlar', 'smmls', 'smmlsr']);
put('smlad', ['smlad', 'smladx', 'smlsd', 'smlsdx']);
put('mull', ['smull', 'umull', 'smlal', 'umlal', 'umaal', ...XY.map((x) => 'smlal' + x), 'smlald', 'smlaldx', 'smlsld', 'smlsldx']);
put('div', ['sdiv', 'udiv']);
put('ldr', ['ldr', 'ldrb', 'ldrh', 'ldrsb', 'ldrsh', 'ldrex', 'ldrexb', 'ldrexh', 'ldrt', 'ldrbt', 'ldrht', 'ldrsbt', 'ldrsht']);
put('str', ['str', 'strb', 'strh', 'strex', 'strexb', 'strexh', 'strt', 'strbt', 'strht']);
put('ldrd', ['ldrd']);
put('strd', ['strd']);
put('ldm', ['ldm', 'ldmia', 'ldmfd', 'ldmdb', 'ldmea', 'pop']);
put('stm', ['stm', 'stmia', 'stmea', 'stmdb', 'stmfd', 'push']);
put('branch', ['b', 'bl', 'bx', 'blx', 'cbz', 'cbnz']);
put('tableBranch', ['tbb', 'tbh']);
put('vldr', ['vldr']);
put('vstr', ['vstr']);
put('vldm', ['vldmia', 'vldmdb', 'vldm', 'vpop']);
put('vstm', ['vstmia', 'vstmdb', 'vstm', 'vpush']);
put('vadd', ['vadd', 'vsub']);
put('vmul', ['vmul', 'vnmul']);
put('vmac', ['vmla', 'vmls', 'vnmla', 'vnmls', 'vfma', 'vfms', 'vfnma', 'vfnms']);
put('vdiv', ['vdiv']);
put('vsqrt', ['vsqrt']);
put('vmisc', ['vmov', 'vcvt', 'vcvtb', 'vcvtt', 'vcvtr', 'vcmp', 'vcmpe', 'vabs', 'vneg', 'vmrs', 'vmsr']);
put('system', ['nop', 'wfi', 'wfe', 'sev', 'yield', 'bkpt', 'svc', 'udf', 'cpsid', 'cpsie', 'mrs', 'msr', 'dsb', 'dmb', 'isb', 'pld', 'pli', 'clrex']);

/** The base mnemonic: without .n/.w, data-type suffixes (.f32) and a condition code (IT blocks). */
export function baseMnemonic(mnemonic: string): string {
  const m = mnemonic.toLowerCase().split('.')[0]!;
  if (TABLE[m] || /^it[te]{0,3}$/.test(m)) return m;
  const cond = m.slice(-2);
  if (CONDITIONS.includes(cond) && TABLE[m.slice(0, -2)]) return m.slice(0, -2);
  return m;
}

/** Registers in an operand list like `{r4, r5, r7-r9, lr}` or `{s16-s23}` / `{d8-d9}` (words). */
export function registerWords(operands: string): number {
  const list = /\{([^}]*)\}/.exec(operands)?.[1];
  if (!list) return 0;
  let words = 0;
  for (const part of list.split(',').map((p) => p.trim()).filter(Boolean)) {
    const range = /^([a-z]+)(\d+)-[a-z]+(\d+)$/.exec(part);
    const count = range ? Number(range[3]) - Number(range[2]) + 1 : 1;
    const perReg = (range ? range[1] : part.replace(/\d+$/, '')) === 'd' ? 2 : 1;
    words += count * perReg;
  }
  return words;
}

/**
 * The class objdump's text implies for the instruction with these halfwords (`"f8d3 3004"`), or
 * undefined when the oracle does not know the mnemonic or the encoding is one a Cortex-M4 does not
 * have (Advanced SIMD, BLX to an immediate, UNPREDICTABLE writes to PC) and no compiler emits.
 */
export function classOfDisassembly(hex: string, mnemonic: string, operands: string): InsnClass | undefined {
  const halfwords = hex.trim().split(/\s+/);
  const wide = halfwords.length === 2;
  const top = parseInt(halfwords[0]!, 16) >> 8;
  if (wide && (top === 0xef || top === 0xff || top === 0xf9)) return undefined; // Advanced SIMD
  const base = baseMnemonic(mnemonic);
  const ops = operands.trim();
  if (/overflow|illegal|invalid|UNPREDICTABLE|undefined|FPCXT/.test(ops)) return undefined;
  if (/^(FPSCR|VPR|P0)/.test(ops)) return undefined; // Armv8.1-M system-register VLDR/VSTR
  if (/\bd(1[6-9]|[2-9]\d)\b/.test(ops)) return undefined; // d16-d31: not in FPv4-SP's register file
  if (/^it[te]{0,3}$/.test(base)) return 'it';
  if (base === 'nop' && /mov r8, r8/.test(ops)) return 'alu'; // objdump's name for MOV r8, r8
  if (base === 'blx' && !/^(r\d+|sb|sl|fp|ip|lr)\b/.test(ops)) return undefined; // BLX <imm>: not in ARMv7-M
  const cls = TABLE[base];
  if (!cls) return undefined;
  const toPc = /^pc\b/.test(ops);
  if (cls === 'alu' && toPc && !['cmp', 'cmn', 'tst', 'teq'].includes(base)) return wide ? undefined : 'branch'; // 16-bit MOV/ADD pc
  if (cls === 'ldr' && toPc && base !== 'ldr') return undefined; // byte/halfword "loads" into PC are memory hints
  return cls;
}
