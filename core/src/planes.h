/*
 * planes.h — the caller's audio planes, as audio.c and the event drain
 * (events.h) address them.
 */
#ifndef RBS_PLANES_H
#define RBS_PLANES_H

#include "ring_internal.h"

/* The caller's planes: its own array of pointers (C), or `stride` floats
 * apart from `base` (the WebAssembly host's staging block). */
typedef struct {
    float *const *ptrs;
    float *base;
    uint32_t stride;
} planes_t;

RBS__HOT float *plane(planes_t p, uint32_t c) {
    return p.ptrs != NULL ? p.ptrs[c] : p.base + (size_t)c * p.stride;
}

/* Frames [from, from + n) of every plane become silence. */
RBS__HOT void silence(planes_t planes, uint32_t ch, uint32_t from, uint32_t n) {
    if (n == 0) return;
    for (uint32_t c = 0; c < ch; c++)
        __builtin_memset(plane(planes, c) + from, 0, (size_t)n * 4u);
}

/* Frames [from, to) of every plane times g (nothing to do for g == 1). */
RBS__HOT void rbs__scale(planes_t planes, uint32_t ch, uint32_t from, uint32_t to, float g) {
    if (g == 1.0f || from >= to) return;
    for (uint32_t c = 0; c < ch; c++) {
        float *p = plane(planes, c);
        for (uint32_t i = from; i < to; i++)
            p[i] *= g;
    }
}

#endif /* RBS_PLANES_H */
