/*
 * Image block: pixels 0..255 → 0..1, as RGB (3 channels, each / 255) or grayscale (ITU-R 601-2
 * luma, (0.299·R + 0.587·G + 0.114·B) / 255). Input: height × width × channels (1 gray, 3 RGB,
 * 4 RGBA with alpha ignored), row-major, channels interleaved. A gray input is R = G = B.
 */
#ifndef IK_IMAGE_H
#define IK_IMAGE_H

#include "../common/dsp.h"

typedef struct {
    /* Pixels (height × width). */
    uint32_t pixels;
    /* Input channels per pixel: 1, 3 or 4. */
    uint32_t channels;
    /* 1: grayscale output (1 value per pixel); 0: RGB (3 values per pixel). */
    int grayscale;
} ik_image_config;

/* No scratch. Returns IK_DSP_OK, or IK_DSP_ERR_NULL. */
int ik_image_run(const ik_image_config *cfg, const float *input, float *output);

#endif /* IK_IMAGE_H */
