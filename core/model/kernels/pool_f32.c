/* pool_f32 — float pooling over the taps inside the image. */
#include <float.h>
#include "pool_f32.h"

static void pool_window(const pool_f32_params_t *p, int32_t oy, int32_t ox, int32_t *y0, int32_t *y1, int32_t *x0, int32_t *x1) {
  const int32_t top = oy * p->stride_h - p->pad_top;
  const int32_t left = ox * p->stride_w - p->pad_left;
  *y0 = top < 0 ? 0 : top;
  *y1 = top + p->k_h > p->in_h ? p->in_h : top + p->k_h;
  *x0 = left < 0 ? 0 : left;
  *x1 = left + p->k_w > p->in_w ? p->in_w : left + p->k_w;
}

static float clampf(float v, float lo, float hi) { return v < lo ? lo : (v > hi ? hi : v); }

void max_pool_f32(const pool_f32_params_t *p, const float *input, float *output) {
  int32_t oy, ox, c, y, x, y0, y1, x0, x1;
  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
      for (c = 0; c < p->channels; c++) {
        float best = -FLT_MAX;
        for (y = y0; y < y1; y++) {
          for (x = x0; x < x1; x++) {
            const float v = input[(y * p->in_w + x) * p->channels + c];
            if (v > best) best = v;
          }
        }
        output[(oy * p->out_w + ox) * p->channels + c] = clampf(best, p->act_min, p->act_max);
      }
    }
  }
}

void avg_pool_f32(const pool_f32_params_t *p, const float *input, float *output) {
  int32_t oy, ox, c, y, x, y0, y1, x0, x1;
  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      float count;
      pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
      count = (float)((y1 - y0) * (x1 - x0));
      for (c = 0; c < p->channels; c++) {
        float sum = 0.0f;
        for (y = y0; y < y1; y++) {
          for (x = x0; x < x1; x++) sum += input[(y * p->in_w + x) * p->channels + c];
        }
        output[(oy * p->out_w + ox) * p->channels + c] = clampf(sum / count, p->act_min, p->act_max);
      }
    }
  }
}
