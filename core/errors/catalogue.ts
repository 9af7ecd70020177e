/**
 * Every user-facing error code of impulse-kit and what it means. A test checks that each code
 * thrown anywhere in the sources is listed here (and nothing listed is unused). Plugins use
 * their own codes, prefixed with their package name.
 */
export const ERROR_CATALOGUE = {
  // The impulse file
  E_IMPULSE_NOT_FOUND: 'No impulse file at the given path, or no impulse.yaml/impulse.ts in the folder.',
  E_SPEC_YAML: 'The impulse file is not valid YAML.',
  E_SPEC_TS: 'The TypeScript impulse failed to load or has no default export.',
  E_SPEC_UNKNOWN_KEY: 'A key the schema does not know (with the closest valid one).',
  E_SPEC_REQUIRED: 'A required key is missing.',
  E_SPEC_TYPE: 'A value has the wrong type.',
  E_SPEC_VALUE: 'A value is not one of the allowed ones.',
  E_SPEC_RANGE: 'A number or list is out of its allowed range.',
  E_SPEC_FORMAT: 'A string does not have the required form (name, duration, regular expression …).',
  E_SPEC_INVALID: 'A value breaks another schema rule.',
  E_SPEC_ID: 'A block id is not a valid identifier, or is used twice.',
  E_SPEC_UNKNOWN_BLOCK: 'A block type no built-in or plugin provides.',
  E_SPEC_UNKNOWN_TARGET: 'A deployment target no built-in or plugin provides.',
  E_SPEC_DANGLING_FROM: 'A `from` reference names no block.',
  E_SPEC_CYCLE: 'DSP blocks read from each other in a cycle.',
  E_SPEC_PORT: 'A block reads a kind of data it does not accept (e.g. raw signal into a classifier).',
  E_SPEC_DATA_MISSING: 'data.source names a folder that does not exist.',
  E_SPEC_PATH_ESCAPE: 'A relative path in the impulse leads outside the project folder.',
  E_SPEC_DURATION: 'A duration is not a positive number of ms or a string like 500ms / 2s.',
  E_SPEC_FREQUENCY: 'The sampling frequency is missing or invalid for the data.',
  E_SPEC_WINDOW: 'The window is shorter than one frame at this frequency.',
  // Plugins
  E_PLUGIN_NOT_FOUND: 'A plugin package or file cannot be found.',
  E_PLUGIN_LOAD: 'A plugin module threw while loading.',
  E_PLUGIN_EMPTY: 'A plugin exports no block or target.',
  E_PLUGIN_CONFLICT: 'Two plugins (or a plugin and a built-in) register the same type.',
  // Data
  E_DATA_EMPTY: 'The data folder holds no samples.',
  E_DATA_NO_LABEL: "A sample's label cannot be derived from its path.",
  E_DATA_INFO_LABELS: 'An info.labels file is malformed.',
  E_DATA_BAD_SAMPLE: 'A sample cannot be used (corrupt, truncated, wrong rate, NaN …).',
  E_DATA_EMPTY_CLASS: 'A label has no usable samples left.',
  E_DATA_NO_WINDOWS: 'The input block produced no windows.',
  E_DATA_NO_TEST: 'The test split is empty.',
  E_DATA_UNKNOWN_LABEL: 'Test samples have a label the trained classifier does not know.',
  E_DATA_INPUT_MISMATCH: 'New samples decode to windows of another shape, frequency or axes than the impulse was trained on.',
  E_DATASET_UNKNOWN: 'dataset:<name> names no known public dataset.',
  E_DATASET_UNAVAILABLE: 'A public dataset is not available locally and could not be downloaded.',
  E_DATASET_CHECKSUM: 'A downloaded dataset file does not match its pinned checksum.',
  // Blocks
  E_DSP_PARAMS: "A DSP block's parameters do not fit each other or the input.",
  E_LEARN_UNKNOWN_LAYER: 'A layer list names a layer type that does not exist.',
  E_LEARN_BAD_LAYER: 'A layer has bad options or does not fit the shape it receives.',
  E_LEARN_UNKNOWN_PRESET: '`layers: preset/...` names no preset.',
  E_LEARN_NO_TRAINING_DATA: 'No training rows (or none of the chosen labels).',
  E_LEARN_BAD_TARGET: 'A regression label is not a number.',
  E_LEARN_BAD_PARAM: 'A learn param the block cannot use with this data.',
  E_LEARN_UNKNOWN_LABEL: 'A label named in params is not in the data.',
  E_LEARN_BAD_MODEL: 'A model folder is missing or was not written by this block.',
  E_LEARN_MODEL_FILE: "An expert block's model module is missing, outside the project, fails to load or exports no builder.",
  E_LEARN_EXPERT_MODEL: "An expert block's network does not fit the features and labels, or building, training or saving it failed.",
  // Models (core/model)
  E_MODEL_MISSING: 'A model IR file is missing, unreadable or of another IR version.',
  E_MODEL_TFLITE: 'A .tflite file is not a valid TFLite flatbuffer (truncated, wrong identifier, an index out of range).',
  E_MODEL_UNSUPPORTED_OP: 'A model uses an op, op option or tensor type the model IR does not support.',
  E_MODEL_UNSUPPORTED_LAYER: 'A trained network has a layer or activation the model IR cannot express.',
  // Firmware builds and measurements on the emulated Cortex-M4 (core/device/qemu)
  E_FIRMWARE_TOOL_MISSING: 'A tool to build or measure Cortex-M firmware (arm-none-eabi-gcc, arm-none-eabi-nm/size, qemu-system-arm, or the host gcc for the QEMU plugin) is not installed.',
  E_FIRMWARE_COMPILE: 'C sources for the Cortex-M firmware do not compile or link (the message carries the compiler\'s).',
  E_FIRMWARE_TOO_BIG: 'The linked firmware does not fit the flash or RAM given (names the region and by how many bytes it overflows).',
  E_FIRMWARE_MEMORY: 'The flash, RAM or stack size asked for is not a positive size the emulated board (mps2-an386) can hold.',
  E_QEMU_TIMEOUT: 'The firmware did not finish under QEMU within the time limit and was stopped (an endless loop or a hang).',
  E_QEMU_FAULT: 'The firmware crashed under QEMU (HardFault, abort, assert) or QEMU itself failed to run it.',
  E_QEMU_STACK_OVERFLOW: 'The firmware used all of the stack reserved for it (its stack overflowed into static data).',
  E_QEMU_PROBE: 'A measurement region is not in the firmware, or its begin/end markers do not pair up.',
  E_QEMU_PLUGIN: 'The instruction-counting QEMU plugin could not be built, loaded or read.',
  // Engine and CLI
  E_GRAPH_ROWS: 'Features of the DSP blocks a learn block reads do not line up.',
  // Deployment
  E_DEPLOY_CPP: 'The impulse cannot be generated as a C library as it is (a block without C code, several networks in one deploy entry, no int8 model …).',
  E_CLI_UNKNOWN_STAGE: 'A command names a stage the impulse does not have.',
  E_CLI_TEMPLATE: '`impulse init` names no template.',
  E_CLI_EXISTS: '`impulse convert` would overwrite an existing file.',
  E_CLI_NOT_EMPTY: '`impulse init` would write into a folder that is not empty.',
  E_CLI_NOT_TRAINED: 'A command needs trained models, but the learn stages are not cached for the impulse as it is now (run `impulse run`).',
  E_CLI_NO_LEARN: 'The impulse has no learn blocks: there is no model to test or classify with.',
  E_CLI_UNKNOWN_BLOCK: 'A command option names a block the impulse does not have.',
  E_CLI_BAD_OPTION: 'A command-line option has a value it does not accept.',
  E_CLI_NOT_FOUND: 'A sample file or folder given on the command line does not exist or cannot be read.',
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;
