/* Image normalisation (see image.h). */
#include "image.h"

/* ITU-R 601-2 luma weights divided by 255 (as the reference applies them to 0..255 values). */
#define LUMA_R (0.299f / 255.0f)
#define LUMA_G (0.587f / 255.0f)
#define LUMA_B (0.114f / 255.0f)

int ik_image_run(const ik_image_config *cfg, const float *input, float *output)
{
    uint32_t i;
    if (input == NULL || output == NULL) {
        return IK_DSP_ERR_NULL;
    }
    for (i = 0; i < cfg->pixels; i++) {
        const float *px = input + i * cfg->channels;
        float r = px[0];
        float g = cfg->channels == 1 ? r : px[1];
        float b = cfg->channels == 1 ? r : px[2];
        if (cfg->grayscale) {
            output[i] = LUMA_R * r + LUMA_G * g + LUMA_B * b;
        } else {
            output[3 * i] = r / 255.0f;
            output[3 * i + 1] = g / 255.0f;
            output[3 * i + 2] = b / 255.0f;
        }
    }
    return IK_DSP_OK;
}
