/** impulse.hpp: a thin C++ layer over the C API (namespace, array-size checks at compile time). */
import { cCommentText } from '../c-syntax.js';
import type { SdkSpec } from './spec.js';

export function emitCppHeader(spec: SdkSpec): string {
  return `// impulse.hpp — ${cCommentText(spec.name)}: C++ access to the generated library (impulse-kit).
#ifndef IMPULSE_HPP
#define IMPULSE_HPP

#include <cstddef>
#include "impulse.h"

namespace impulse {

using Result = impulse_result_t;
using Status = impulse_status_t;

constexpr std::size_t kInputLength = IMPULSE_INPUT_LENGTH;
constexpr std::size_t kFeatureCount = IMPULSE_FEATURE_COUNT;
constexpr std::size_t kScoreCount = IMPULSE_SCORE_COUNT;

inline Status init() { return impulse_init(); }

// A window whose length the compiler checks.
inline Status run(const float (&signal)[IMPULSE_INPUT_LENGTH], Result &out) { return impulse_run(signal, kInputLength, &out); }
inline Status run(const float *signal, std::size_t len, Result &out) { return impulse_run(signal, len, &out); }
inline Status runFeatures(const float *features, std::size_t len, Result &out) { return impulse_run_features(features, len, &out); }

inline const char *label(std::size_t i) { return i < IMPULSE_LABEL_COUNT ? impulse_labels[i] : ""; }
inline const char *message(Status s) { return impulse_status_message(s); }

}  // namespace impulse

#endif
`;
}
