/**
 * Measuring C code on an emulated Cortex-M4F (QEMU mps2-an386): build firmware, run it with the
 * instruction-counting plugin, estimate cycles, read flash/RAM. See README.md.
 */
export { buildFirmware, FIRMWARE_CFLAGS, type FirmwareBuild, type FirmwareBuildOptions, type FirmwareObject } from './build-firmware.js';
export { runOnQemu, MAX_PROBE_ID, type QemuRunOptions, type QemuRunResult, type RegionMeasurement } from './run-on-qemu.js';
export { firmwareSizes, sizesFromTexts, DEFAULT_SIZE_RULES, OTHER_GROUP, type FirmwareSizes, type FirmwareSizesOptions, type ObjectSizes, type SectionKind, type SectionSizes, type SizeRule } from './sizes.js';
export { estimateCycles, CORTEX_M4_CYCLES, type CycleEstimate, type CycleTable, type InstructionCounts } from './cycles.js';
export { INSN_CLASSES, REGISTER_COUNTERS, type InsnClass, type InsnHistogram, type RegisterCounter, type RegisterCounts } from './insn-classes.js';
export { BOARD_LIMITS, type FirmwareMemory } from './linker-script.js';
export { CORTEX_M4F_FLAGS, probeIncludeDir } from './board-files.js';
export { qemuPluginPath } from './build-plugin.js';
