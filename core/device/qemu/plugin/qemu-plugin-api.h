/*
 * The part of QEMU's TCG plugin API (API version 1, as exported by QEMU 7.2) that
 * insn-count.c uses, declared from the API's documentation. Debian's qemu-system-arm exports
 * these symbols but ships no qemu-plugin.h, so the plugin declares what it calls.
 *
 * Only opaque handles are used: the plugin never looks inside QEMU's structures, so the
 * declarations do not depend on their layout.
 */
#ifndef IMPULSE_QEMU_PLUGIN_API_H
#define IMPULSE_QEMU_PLUGIN_API_H

#include <stddef.h>
#include <stdint.h>

#define IMPULSE_PLUGIN_EXPORT __attribute__((visibility("default")))

/* The API version this plugin is written for; QEMU refuses to load a plugin whose version it
 * does not support, with a message naming both versions. */
#define IMPULSE_QEMU_PLUGIN_API_VERSION 1

typedef uint64_t qemu_plugin_id_t;

/* Opaque handles. */
typedef struct qemu_info_t qemu_info_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;

/* Whether a callback reads or writes guest registers; ours read none. */
enum qemu_plugin_cb_flags {
  QEMU_PLUGIN_CB_NO_REGS,
  QEMU_PLUGIN_CB_R_REGS,
  QEMU_PLUGIN_CB_RW_REGS,
};

typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);

/* Called at translation time for every new translation block. */
void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);

/* Called every time the translation block starts executing. */
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void *userdata);

/* Called when QEMU exits (also on a guest-requested exit such as semihosting SYS_EXIT). */
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void *userdata);

size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);

/* API v1: a pointer to the instruction's bytes, valid during the translation callback. */
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *insn);

/* Disassembly text, allocated by QEMU (glib's allocator, which is the C library's malloc). */
char *qemu_plugin_insn_disas(const struct qemu_plugin_insn *insn);

#endif /* IMPULSE_QEMU_PLUGIN_API_H */
