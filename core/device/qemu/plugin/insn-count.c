/*
 * impulse-kit's QEMU TCG plugin: counts the instructions a Cortex-M firmware executes inside
 * measurement regions (probe.h), by class (thumb-classify.h), with taken control transfers.
 *
 * Arguments (-plugin insn-count.so,out=FILE,region=ID:BEGIN:END,...,mnemonics=on):
 *   out=FILE            where the counts are written at exit (text, one key=value record a line)
 *   region=ID:BEGIN:END probe id and the addresses (hex) of impulse_probe_begin_ID / _end_ID
 *   probe_code=LO:HI    address range of the markers' code (never counted in a region)
 *   mnemonics=on        also count disassembler mnemonics per region (slower translation)
 *
 * Speed: instructions are decoded once, when QEMU translates a block; at run time one callback
 * per executed translation block adds 1 to that block's counter for each active region. Class
 * histograms are multiplied out at exit. A block ends at every branch, so the fall-through
 * address of the previous block tells whether control was transferred (a taken branch, a call, a
 * return, a load into PC, an exception).
 *
 * Markers: a block that starts at a marker address, or lies in the markers' code, is never counted
 * in a region; entering a marker switches its region on or off. The instruction that transferred control into an end marker
 * (the call) is subtracted from that region, so a region counts exactly the instructions between
 * the return from BEGIN and the call to END. Enclosing regions do count an inner region's calls.
 */
#define _POSIX_C_SOURCE 200809L /* strdup */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu-plugin-api.h"
#include "thumb-classify.h"

IMPULSE_PLUGIN_EXPORT int qemu_plugin_version = IMPULSE_QEMU_PLUGIN_API_VERSION;

#define MAX_REGIONS 32
#define SLOT_TOTAL 0 /* slot 0: the whole run; slots 1..n: the requested regions */
#define MAX_SLOTS (MAX_REGIONS + 1)

/* MARKER_CODE: the markers' own code (helpers they call), counted in no region. */
enum marker { MARKER_NONE, MARKER_BEGIN, MARKER_END, MARKER_CODE };

struct region {
  unsigned probe_id;
  uint64_t begin_addr, end_addr;
  uint64_t entries;
  uint64_t taken;
  uint64_t unbalanced_ends;
  unsigned depth;
  /* the end-marker correction: the calling instructions, to subtract at exit */
  int64_t adjust_insns;
  int64_t adjust_class[THUMB_CLASS_COUNT];
  int64_t adjust_regs[THUMB_REG_COUNTER_COUNT];
  int64_t *adjust_mnemonic; /* indexed by mnemonic id, grown on demand */
  uint32_t adjust_mnemonic_len;
};

struct tb_info {
  uint64_t vaddr, fallthrough;
  uint32_t n_insns;
  uint8_t marker;       /* enum marker */
  uint8_t marker_slot;
  uint8_t last_cls, last_reg_counter, last_regs;
  uint32_t last_mnemonic;
  uint32_t class_count[THUMB_CLASS_COUNT];
  uint32_t reg_count[THUMB_REG_COUNTER_COUNT];
  uint32_t *mnemonic_ids; /* per instruction, when mnemonics are counted */
  uint64_t *exec;         /* per slot: executions while the slot was active */
  struct tb_info *next;
};

static struct region regions[MAX_SLOTS];
static unsigned n_slots = 1;
static char *out_path;
static int count_mnemonics;
static uint64_t probe_code_start, probe_code_end; /* the .impulse_probe sections, if given */

static struct tb_info *all_tbs;
static uint64_t total_taken;
static uint32_t active_mask;      /* bit s set: slot s is counting (bit 0, the total, always) */
static const struct tb_info *prev_tb;
static uint32_t prev_mask;        /* slots that counted prev_tb */

/* --- mnemonic interning (only with mnemonics=on) --- */

static char **mnemonic_names;
static uint32_t n_mnemonics, cap_mnemonics;

static uint32_t intern_mnemonic(const char *disas) {
  char name[32];
  size_t n = 0;
  while (disas[n] && disas[n] != ' ' && disas[n] != '\t' && n + 1 < sizeof name) {
    name[n] = disas[n];
    n++;
  }
  name[n] = 0;
  for (uint32_t i = 0; i < n_mnemonics; i++) {
    if (strcmp(mnemonic_names[i], name) == 0) return i;
  }
  if (n_mnemonics == cap_mnemonics) {
    cap_mnemonics = cap_mnemonics ? cap_mnemonics * 2 : 256;
    mnemonic_names = realloc(mnemonic_names, cap_mnemonics * sizeof *mnemonic_names);
    if (!mnemonic_names) abort();
  }
  mnemonic_names[n_mnemonics] = strdup(name);
  return n_mnemonics++;
}

static void adjust_mnemonic(struct region *r, uint32_t id) {
  if (id >= r->adjust_mnemonic_len) {
    uint32_t len = id + 64;
    r->adjust_mnemonic = realloc(r->adjust_mnemonic, len * sizeof *r->adjust_mnemonic);
    if (!r->adjust_mnemonic) abort();
    memset(r->adjust_mnemonic + r->adjust_mnemonic_len, 0, (len - r->adjust_mnemonic_len) * sizeof *r->adjust_mnemonic);
    r->adjust_mnemonic_len = len;
  }
  r->adjust_mnemonic[id]--;
}

/* --- run time --- */

static void on_tb_exec(unsigned int vcpu_index, void *userdata) {
  (void)vcpu_index;
  struct tb_info *tb = userdata;
  struct region *closing = tb->marker == MARKER_END ? &regions[tb->marker_slot] : NULL;

  /* A control transfer out of the previous block counts for the slots that counted that block,
   * except the call into an end marker, which belongs to no region it closes. */
  if (prev_tb && prev_tb->fallthrough != tb->vaddr) {
    total_taken++;
    for (uint32_t m = prev_mask & ~1u; m; m &= m - 1) {
      unsigned s = (unsigned)__builtin_ctz(m);
      if (&regions[s] != closing) regions[s].taken++;
    }
  }

  tb->exec[SLOT_TOTAL]++;
  if (tb->marker == MARKER_NONE) {
    for (uint32_t m = active_mask & ~1u; m; m &= m - 1) tb->exec[__builtin_ctz(m)]++;
    prev_mask = active_mask;
  } else if (tb->marker == MARKER_CODE) {
    prev_mask = 1u;
  } else {
    struct region *r = &regions[tb->marker_slot];
    uint32_t bit = 1u << tb->marker_slot;
    if (tb->marker == MARKER_BEGIN) {
      if (r->depth++ == 0) {
        r->entries++;
        active_mask |= bit;
      }
    } else if (r->depth == 0) {
      r->unbalanced_ends++;
    } else {
      if (prev_tb && (prev_mask & bit) && prev_tb->n_insns > 0) {
        r->adjust_insns--;
        r->adjust_class[prev_tb->last_cls]--;
        if (prev_tb->last_reg_counter != THUMB_NO_REG) r->adjust_regs[prev_tb->last_reg_counter] -= prev_tb->last_regs;
        if (prev_tb->mnemonic_ids) adjust_mnemonic(r, prev_tb->last_mnemonic);
      }
      if (--r->depth == 0) active_mask &= ~bit;
    }
    prev_mask = 1u; /* the marker's own body counts only for the total */
  }
  prev_tb = tb;
}

/* --- translation time --- */

static void find_marker(uint64_t vaddr, struct tb_info *info) {
  for (unsigned s = 1; s < n_slots; s++) {
    if (vaddr == regions[s].begin_addr) { info->marker = MARKER_BEGIN; info->marker_slot = (uint8_t)s; return; }
    if (vaddr == regions[s].end_addr) { info->marker = MARKER_END; info->marker_slot = (uint8_t)s; return; }
  }
  if (vaddr >= probe_code_start && vaddr < probe_code_end) info->marker = MARKER_CODE;
}

static void on_tb_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  struct tb_info *info = calloc(1, sizeof *info);
  if (!info) abort();
  info->exec = calloc(n_slots, sizeof *info->exec);
  if (!info->exec) abort();
  if (count_mnemonics && n) {
    info->mnemonic_ids = calloc(n, sizeof *info->mnemonic_ids);
    if (!info->mnemonic_ids) abort();
  }
  info->vaddr = qemu_plugin_tb_vaddr(tb);
  info->n_insns = (uint32_t)n;
  info->fallthrough = info->vaddr;
  find_marker(info->vaddr, info);

  struct thumb_insn prev, cur;
  for (size_t i = 0; i < n; i++) {
    struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
    const uint8_t *bytes = qemu_plugin_insn_data(insn);
    size_t size = qemu_plugin_insn_size(insn);
    uint16_t hw1 = (uint16_t)(bytes[0] | bytes[1] << 8);
    uint16_t hw2 = size >= 4 ? (uint16_t)(bytes[2] | bytes[3] << 8) : 0;
    thumb_classify(hw1, hw2, &cur);
    thumb_mark_pipelined(i ? &prev : NULL, &cur);
    info->class_count[cur.cls]++;
    if (cur.reg_counter != THUMB_NO_REG) info->reg_count[cur.reg_counter] += cur.regs;
    info->last_cls = cur.cls;
    info->last_reg_counter = cur.reg_counter;
    info->last_regs = cur.regs;
    info->fallthrough = qemu_plugin_insn_vaddr(insn) + size;
    if (info->mnemonic_ids) {
      char *text = qemu_plugin_insn_disas(insn);
      info->mnemonic_ids[i] = intern_mnemonic(text ? text : "?");
      info->last_mnemonic = info->mnemonic_ids[i];
      free(text);
    }
    prev = cur;
  }
  info->next = all_tbs;
  all_tbs = info;
  qemu_plugin_register_vcpu_tb_exec_cb(tb, on_tb_exec, QEMU_PLUGIN_CB_NO_REGS, info);
}

/* --- report --- */

static void write_slot(FILE *f, unsigned s) {
  const struct region *r = &regions[s];
  uint64_t insns = 0;
  uint64_t cls[THUMB_CLASS_COUNT] = {0};
  uint64_t regs[THUMB_REG_COUNTER_COUNT] = {0};
  for (const struct tb_info *tb = all_tbs; tb; tb = tb->next) {
    uint64_t k = tb->exec[s];
    if (!k) continue;
    insns += k * tb->n_insns;
    for (unsigned c = 0; c < THUMB_CLASS_COUNT; c++) cls[c] += k * tb->class_count[c];
    for (unsigned c = 0; c < THUMB_REG_COUNTER_COUNT; c++) regs[c] += k * tb->reg_count[c];
  }
  insns += (uint64_t)r->adjust_insns;
  for (unsigned c = 0; c < THUMB_CLASS_COUNT; c++) cls[c] += (uint64_t)r->adjust_class[c];
  for (unsigned c = 0; c < THUMB_REG_COUNTER_COUNT; c++) regs[c] += (uint64_t)r->adjust_regs[c];

  if (s == SLOT_TOTAL) fprintf(f, "slot=total entries=1 taken=%llu", (unsigned long long)total_taken);
  else
    fprintf(f, "slot=%u entries=%llu taken=%llu open=%u unbalanced=%llu", r->probe_id, (unsigned long long)r->entries,
            (unsigned long long)r->taken, r->depth, (unsigned long long)r->unbalanced_ends);
  fprintf(f, " insns=%llu", (unsigned long long)insns);
  for (unsigned c = 0; c < THUMB_CLASS_COUNT; c++) fprintf(f, " %s=%llu", thumb_class_names[c], (unsigned long long)cls[c]);
  for (unsigned c = 0; c < THUMB_REG_COUNTER_COUNT; c++)
    fprintf(f, " %s=%llu", thumb_reg_counter_names[c], (unsigned long long)regs[c]);
  fputc('\n', f);
}

/* Mnemonic counts: executions of each block times its instructions' mnemonics, less the calls
 * into end markers (as for the classes). */
static void write_mnemonics(FILE *f, unsigned s) {
  uint64_t *counts = calloc(n_mnemonics ? n_mnemonics : 1, sizeof *counts);
  if (!counts) abort();
  for (const struct tb_info *tb = all_tbs; tb; tb = tb->next) {
    uint64_t k = tb->exec[s];
    if (!k || !tb->mnemonic_ids) continue;
    for (uint32_t i = 0; i < tb->n_insns; i++) counts[tb->mnemonic_ids[i]] += k;
  }
  const struct region *r = &regions[s];
  for (uint32_t m = 0; m < r->adjust_mnemonic_len && m < n_mnemonics; m++) counts[m] += (uint64_t)r->adjust_mnemonic[m];
  for (uint32_t m = 0; m < n_mnemonics; m++) {
    if (!counts[m]) continue;
    if (s == SLOT_TOTAL) fprintf(f, "mnemonic slot=total name=%s count=%llu\n", mnemonic_names[m], (unsigned long long)counts[m]);
    else fprintf(f, "mnemonic slot=%u name=%s count=%llu\n", regions[s].probe_id, mnemonic_names[m], (unsigned long long)counts[m]);
  }
  free(counts);
}

static void write_counts_at_exit(qemu_plugin_id_t id, void *userdata) {
  (void)id;
  (void)userdata;
  FILE *f = fopen(out_path, "w");
  if (!f) {
    fprintf(stderr, "impulse-kit insn-count plugin: cannot write %s\n", out_path);
    return;
  }
  fprintf(f, "impulse-insn-count version=1 classes=");
  for (unsigned c = 0; c < THUMB_CLASS_COUNT; c++) fprintf(f, c ? ",%s" : "%s", thumb_class_names[c]);
  fputc('\n', f);
  for (unsigned s = 0; s < n_slots; s++) write_slot(f, s);
  if (count_mnemonics)
    for (unsigned s = 0; s < n_slots; s++) write_mnemonics(f, s);
  fputs("end\n", f);
  fclose(f);
}

/* --- arguments --- */

static int parse_region(const char *value) {
  unsigned id;
  unsigned long long begin, end;
  if (sscanf(value, "%u:%llx:%llx", &id, &begin, &end) != 3 || id >= MAX_REGIONS) return -1;
  if (n_slots == MAX_SLOTS) return -1;
  struct region *r = &regions[n_slots++];
  r->probe_id = id;
  r->begin_addr = begin & ~1ull; /* Thumb function symbols carry bit 0 */
  r->end_addr = end & ~1ull;
  return 0;
}

IMPULSE_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv) {
  (void)info;
  for (int i = 0; i < argc; i++) {
    const char *a = argv[i];
    if (strncmp(a, "out=", 4) == 0) out_path = strdup(a + 4);
    else if (strncmp(a, "region=", 7) == 0) {
      if (parse_region(a + 7) != 0) {
        fprintf(stderr, "impulse-kit insn-count plugin: bad argument %s (want region=ID:BEGINHEX:ENDHEX, at most %d)\n", a, MAX_REGIONS);
        return -1;
      }
    } else if (strncmp(a, "probe_code=", 11) == 0) {
      unsigned long long lo, hi;
      if (sscanf(a + 11, "%llx:%llx", &lo, &hi) != 2 || hi < lo) {
        fprintf(stderr, "impulse-kit insn-count plugin: bad argument %s (want probe_code=STARTHEX:ENDHEX)\n", a);
        return -1;
      }
      probe_code_start = lo & ~1ull;
      probe_code_end = hi;
    } else if (strcmp(a, "mnemonics=on") == 0) count_mnemonics = 1;
    else if (strcmp(a, "mnemonics=off") == 0) count_mnemonics = 0;
    else {
      fprintf(stderr, "impulse-kit insn-count plugin: unknown argument %s\n", a);
      return -1;
    }
  }
  if (!out_path) {
    fprintf(stderr, "impulse-kit insn-count plugin: out=FILE is required\n");
    return -1;
  }
  active_mask = 1u;
  qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_translate);
  qemu_plugin_register_atexit_cb(id, write_counts_at_exit, NULL);
  return 0;
}
