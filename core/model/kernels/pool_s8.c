/* pool_s8 — int8 pooling over the taps inside the image (TFLite Micro reference MaxPool / AveragePool). */
#include "pool_s8.h"
#include "fixed_point.h"

/* The window of output (oy, ox) clipped to the image: [*y0, *y1) x [*x0, *x1) in input coordinates. */
static void pool_window(const pool_s8_params_t *p, int32_t oy, int32_t ox, int32_t *y0, int32_t *y1, int32_t *x0, int32_t *x1) {
  const int32_t top = oy * p->stride_h - p->pad_top;
  const int32_t left = ox * p->stride_w - p->pad_left;
  *y0 = top < 0 ? 0 : top;
  *y1 = top + p->k_h > p->in_h ? p->in_h : top + p->k_h;
  *x0 = left < 0 ? 0 : left;
  *x1 = left + p->k_w > p->in_w ? p->in_w : left + p->k_w;
}

void max_pool_s8(const pool_s8_params_t *p, const int8_t *input, int8_t *output) {
  int32_t oy, ox, c, y, x, y0, y1, x0, x1;
  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
      for (c = 0; c < p->channels; c++) {
        int32_t best = -128;
        for (y = y0; y < y1; y++) {
          for (x = x0; x < x1; x++) {
            const int32_t v = input[(y * p->in_w + x) * p->channels + c];
            if (v > best) best = v;
          }
        }
        output[(oy * p->out_w + ox) * p->channels + c] = (int8_t)fp_clamp(best, p->act_min, p->act_max);
      }
    }
  }
}

void avg_pool_s8(const pool_s8_params_t *p, const int8_t *input, int8_t *output) {
  int32_t oy, ox, c, y, x, y0, y1, x0, x1;
  for (oy = 0; oy < p->out_h; oy++) {
    for (ox = 0; ox < p->out_w; ox++) {
      int32_t count;
      pool_window(p, oy, ox, &y0, &y1, &x0, &x1);
      count = (y1 - y0) * (x1 - x0);
      for (c = 0; c < p->channels; c++) {
        int32_t sum = 0;
        int32_t avg;
        for (y = y0; y < y1; y++) {
          for (x = x0; x < x1; x++) sum += input[(y * p->in_w + x) * p->channels + c];
        }
        avg = sum > 0 ? (sum + count / 2) / count : (sum - count / 2) / count;
        output[(oy * p->out_w + ox) * p->channels + c] = (int8_t)fp_clamp(avg, p->act_min, p->act_max);
      }
    }
  }
}
