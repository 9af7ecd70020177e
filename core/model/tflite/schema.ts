/**
 * The facts of the TFLite flatbuffer schema (tensorflow/lite/schema/schema.fbs, schema version 3)
 * that the reader and the writer need, as named constants. Hand-written from the published schema:
 * enum values, union type ids and each table's field slots.
 *
 * A field's slot is its position in the table declaration; a union field takes two slots (its
 * type, then its value). In the flatbuffer a field's vtable entry sits at byte 4 + 2 × slot of the
 * vtable (`vtableOffset`), and the Builder's `addField*` calls take the slot itself.
 */

/** The 4 bytes after the root offset: "TFL3". */
export const FILE_IDENTIFIER = 'TFL3';
/** Model.version: the schema version every current runtime reads. */
export const SCHEMA_VERSION = 3;

/** The byte offset of a field's entry in a vtable (vtable header: vtable size, object size). */
export const vtableOffset = (slot: number): number => 4 + 2 * slot;

/** enum TensorType : byte (only the values we name in messages or map to IR dtypes). */
export const TensorType = {
  FLOAT32: 0,
  FLOAT16: 1,
  INT32: 2,
  UINT8: 3,
  INT64: 4,
  STRING: 5,
  BOOL: 6,
  INT16: 7,
  COMPLEX64: 8,
  INT8: 9,
  FLOAT64: 10,
  COMPLEX128: 11,
  UINT64: 12,
  RESOURCE: 13,
  VARIANT: 14,
  UINT32: 15,
  UINT16: 16,
  INT4: 17,
} as const;

/** enum BuiltinOperator : int32 (the codes the reader and writer use by name). */
export const BuiltinOperator = {
  ADD: 0,
  AVERAGE_POOL_2D: 1,
  CONCATENATION: 2,
  CONV_2D: 3,
  DEPTHWISE_CONV_2D: 4,
  DEQUANTIZE: 6,
  FULLY_CONNECTED: 9,
  /** Not in the IR: the tests' example of an op we refuse. */
  LOGISTIC: 14,
  MAX_POOL_2D: 17,
  RESHAPE: 22,
  SOFTMAX: 25,
  CUSTOM: 32,
  PAD: 34,
  QUANTIZE: 114,
  /**
   * OperatorCode.deprecated_builtin_code is a byte: codes from 127 on are stored there as this
   * placeholder, and the real code is in OperatorCode.builtin_code.
   */
  PLACEHOLDER_FOR_GREATER_OP_CODES: 127,
} as const;

/** Names of the builtin operator codes 0–161 (index = code), so an error names any op a file may hold. */
const BUILTIN_OPERATOR_NAMES: readonly string[] = [
  'ADD', 'AVERAGE_POOL_2D', 'CONCATENATION', 'CONV_2D', 'DEPTHWISE_CONV_2D', 'DEPTH_TO_SPACE', 'DEQUANTIZE',
  'EMBEDDING_LOOKUP', 'FLOOR', 'FULLY_CONNECTED', 'HASHTABLE_LOOKUP', 'L2_NORMALIZATION', 'L2_POOL_2D',
  'LOCAL_RESPONSE_NORMALIZATION', 'LOGISTIC', 'LSH_PROJECTION', 'LSTM', 'MAX_POOL_2D', 'MUL', 'RELU', 'RELU_N1_TO_1',
  'RELU6', 'RESHAPE', 'RESIZE_BILINEAR', 'RNN', 'SOFTMAX', 'SPACE_TO_DEPTH', 'SVDF', 'TANH', 'CONCAT_EMBEDDINGS',
  'SKIP_GRAM', 'CALL', 'CUSTOM', 'EMBEDDING_LOOKUP_SPARSE', 'PAD', 'UNIDIRECTIONAL_SEQUENCE_RNN', 'GATHER',
  'BATCH_TO_SPACE_ND', 'SPACE_TO_BATCH_ND', 'TRANSPOSE', 'MEAN', 'SUB', 'DIV', 'SQUEEZE',
  'UNIDIRECTIONAL_SEQUENCE_LSTM', 'STRIDED_SLICE', 'BIDIRECTIONAL_SEQUENCE_RNN', 'EXP', 'TOPK_V2', 'SPLIT',
  'LOG_SOFTMAX', 'DELEGATE', 'BIDIRECTIONAL_SEQUENCE_LSTM', 'CAST', 'PRELU', 'MAXIMUM', 'ARG_MAX', 'MINIMUM', 'LESS',
  'NEG', 'PADV2', 'GREATER', 'GREATER_EQUAL', 'LESS_EQUAL', 'SELECT', 'SLICE', 'SIN', 'TRANSPOSE_CONV',
  'SPARSE_TO_DENSE', 'TILE', 'EXPAND_DIMS', 'EQUAL', 'NOT_EQUAL', 'LOG', 'SUM', 'SQRT', 'RSQRT', 'SHAPE', 'POW',
  'ARG_MIN', 'FAKE_QUANT', 'REDUCE_PROD', 'REDUCE_MAX', 'PACK', 'LOGICAL_OR', 'ONE_HOT', 'LOGICAL_AND',
  'LOGICAL_NOT', 'UNPACK', 'REDUCE_MIN', 'FLOOR_DIV', 'REDUCE_ANY', 'SQUARE', 'ZEROS_LIKE', 'FILL', 'FLOOR_MOD',
  'RANGE', 'RESIZE_NEAREST_NEIGHBOR', 'LEAKY_RELU', 'SQUARED_DIFFERENCE', 'MIRROR_PAD', 'ABS', 'SPLIT_V', 'UNIQUE',
  'CEIL', 'REVERSE_V2', 'ADD_N', 'GATHER_ND', 'COS', 'WHERE', 'RANK', 'ELU', 'REVERSE_SEQUENCE', 'MATRIX_DIAG',
  'QUANTIZE', 'MATRIX_SET_DIAG', 'ROUND', 'HARD_SWISH', 'IF', 'WHILE', 'NON_MAX_SUPPRESSION_V4',
  'NON_MAX_SUPPRESSION_V5', 'SCATTER_ND', 'SELECT_V2', 'DENSIFY', 'SEGMENT_SUM', 'BATCH_MATMUL',
  'PLACEHOLDER_FOR_GREATER_OP_CODES', 'CUMSUM', 'CALL_ONCE', 'BROADCAST_TO', 'RFFT2D', 'CONV_3D', 'IMAG', 'REAL',
  'COMPLEX_ABS', 'HASHTABLE', 'HASHTABLE_FIND', 'HASHTABLE_IMPORT', 'HASHTABLE_SIZE', 'REDUCE_ALL',
  'CONV_3D_TRANSPOSE', 'VAR_HANDLE', 'READ_VARIABLE', 'ASSIGN_VARIABLE', 'BROADCAST_ARGS', 'RANDOM_STANDARD_NORMAL',
  'BUCKETIZE', 'RANDOM_UNIFORM', 'MULTINOMIAL', 'GELU', 'DYNAMIC_UPDATE_SLICE', 'RELU_0_TO_1',
  'UNSORTED_SEGMENT_PROD', 'UNSORTED_SEGMENT_MAX', 'UNSORTED_SEGMENT_SUM', 'ATAN2', 'UNSORTED_SEGMENT_MIN', 'SIGN',
  'BITCAST', 'BITWISE_XOR', 'RIGHT_SHIFT',
];

/** Name of a builtin operator code, for messages ("operator 12 (LSTM v4)"). */
export function builtinOperatorName(code: number): string {
  return BUILTIN_OPERATOR_NAMES[code] ?? `builtin operator ${code}`;
}

/** Name of a tensor type, for messages. */
export function tensorTypeName(type: number): string {
  for (const [name, value] of Object.entries(TensorType)) if (value === type) return name;
  return `tensor type ${type}`;
}

/** union BuiltinOptions: the type id stored in Operator.builtin_options_type (0 = NONE). */
export const BuiltinOptions = {
  NONE: 0,
  Conv2DOptions: 1,
  DepthwiseConv2DOptions: 2,
  Pool2DOptions: 5,
  FullyConnectedOptions: 8,
  SoftmaxOptions: 9,
  ConcatenationOptions: 10,
  AddOptions: 11,
  ReshapeOptions: 17,
  PadOptions: 22,
  SqueezeOptions: 30,
  DequantizeOptions: 38,
  QuantizeOptions: 89,
} as const;

/** enum ActivationFunctionType : byte */
export const ActivationFunctionType = {
  NONE: 0,
  RELU: 1,
  RELU_N1_TO_1: 2,
  RELU6: 3,
  TANH: 4,
  SIGN_BIT: 5,
} as const;

/** enum Padding : byte */
export const Padding = { SAME: 0, VALID: 1 } as const;

/** enum FullyConnectedOptionsWeightsFormat : byte */
export const FullyConnectedWeightsFormat = { DEFAULT: 0, SHUFFLED4x16INT8: 1 } as const;

/** enum QuantizationDetails (union): 0 = NONE, anything else is a custom quantization. */
export const QUANTIZATION_DETAILS_NONE = 0;

// ---- field slots of the tables -------------------------------------------------------------------

/** table Model (the root) */
export const Model = {
  version: 0,
  operator_codes: 1,
  subgraphs: 2,
  description: 3,
  buffers: 4,
  metadata_buffer: 5,
  metadata: 6,
  signature_defs: 7,
  COUNT: 8,
} as const;

/** table SubGraph */
export const SubGraph = { tensors: 0, inputs: 1, outputs: 2, operators: 3, name: 4, COUNT: 5 } as const;

/** table Tensor */
export const Tensor = {
  shape: 0,
  type: 1,
  /** uint: index into Model.buffers; 0 is the always-empty sentinel buffer. */
  buffer: 2,
  name: 3,
  quantization: 4,
  is_variable: 5,
  sparsity: 6,
  /** Shape with -1 for unknown (dynamic) dimensions. */
  shape_signature: 7,
  has_rank: 8,
  variant_tensors: 9,
  COUNT: 10,
} as const;

/** table QuantizationParameters: real = scale × (q − zero_point). */
export const QuantizationParameters = {
  min: 0,
  max: 1,
  /** [float] */
  scale: 2,
  /** [long] */
  zero_point: 3,
  details_type: 4,
  details: 5,
  /** int: the dimension the per-channel scales run along. */
  quantized_dimension: 6,
  COUNT: 7,
} as const;

/** table Operator */
export const Operator = {
  opcode_index: 0,
  inputs: 1,
  outputs: 2,
  builtin_options_type: 3,
  builtin_options: 4,
  custom_options: 5,
  custom_options_format: 6,
  mutating_variable_inputs: 7,
  intermediates: 8,
  large_custom_options_offset: 9,
  large_custom_options_size: 10,
  builtin_options_2_type: 11,
  builtin_options_2: 12,
  COUNT: 13,
} as const;

/** table OperatorCode */
export const OperatorCode = {
  /** byte: the code when below 127, else PLACEHOLDER_FOR_GREATER_OP_CODES. */
  deprecated_builtin_code: 0,
  custom_code: 1,
  /** int, default 1 */
  version: 2,
  /** int32 BuiltinOperator (schema 3a); files before it leave it 0 (= ADD) and set only the deprecated byte. */
  builtin_code: 3,
  COUNT: 4,
} as const;
export const OPERATOR_CODE_DEFAULT_VERSION = 1;

/** table Buffer */
export const Buffer = {
  /** [ubyte] (force_align: 16) */
  data: 0,
  /**
   * ulong offset and size of data stored after the flatbuffer (schema 3c, for models over 2 GB):
   * relative to the start of the file, and only meaningful when offset > 1.
   */
  offset: 1,
  size: 2,
  COUNT: 3,
} as const;
/** The alignment the schema asks for Buffer.data. */
export const BUFFER_DATA_ALIGNMENT = 16;

/** table Metadata */
export const Metadata = { name: 0, buffer: 1, COUNT: 2 } as const;

// ---- builtin options tables ----------------------------------------------------------------------

/** table Conv2DOptions */
export const Conv2DOptions = {
  padding: 0,
  stride_w: 1,
  stride_h: 2,
  fused_activation_function: 3,
  /** int, default 1 */
  dilation_w_factor: 4,
  /** int, default 1 */
  dilation_h_factor: 5,
  /** TensorType (conv version 8, int16 activations): 0 = not set. */
  quantized_bias_type: 6,
  COUNT: 7,
} as const;

/** table DepthwiseConv2DOptions */
export const DepthwiseConv2DOptions = {
  padding: 0,
  stride_w: 1,
  stride_h: 2,
  /** Redundant with the shapes (ignored by current kernels, which derive it from them). */
  depth_multiplier: 3,
  fused_activation_function: 4,
  /** int, default 1 */
  dilation_w_factor: 5,
  /** int, default 1 */
  dilation_h_factor: 6,
  COUNT: 7,
} as const;

/** table Pool2DOptions */
export const Pool2DOptions = {
  padding: 0,
  stride_w: 1,
  stride_h: 2,
  filter_width: 3,
  filter_height: 4,
  fused_activation_function: 5,
  COUNT: 6,
} as const;

/** table FullyConnectedOptions */
export const FullyConnectedOptions = {
  fused_activation_function: 0,
  weights_format: 1,
  keep_num_dims: 2,
  asymmetric_quantize_inputs: 3,
  quantized_bias_type: 4,
  COUNT: 5,
} as const;

/** table SoftmaxOptions */
export const SoftmaxOptions = { beta: 0, COUNT: 1 } as const;

/** table ConcatenationOptions */
export const ConcatenationOptions = { axis: 0, fused_activation_function: 1, COUNT: 2 } as const;

/** table AddOptions */
export const AddOptions = {
  fused_activation_function: 0,
  /** bool, default true (int16 only) */
  pot_scale_int16: 1,
  COUNT: 2,
} as const;

/** table ReshapeOptions */
export const ReshapeOptions = { new_shape: 0, COUNT: 1 } as const;

/** table SqueezeOptions */
export const SqueezeOptions = { squeeze_dims: 0, COUNT: 1 } as const;

/** PadOptions, QuantizeOptions, DequantizeOptions: tables without fields. */
export const EMPTY_OPTIONS_COUNT = 0;
