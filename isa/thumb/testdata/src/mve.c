// Cortex-M55 (ARMv8.1-M, MVE with floating point, FP16 and FP64) test code
// for the isa/thumb decoder tests: MVE intrinsics with predication, gathers,
// interleaving loads and reductions; loops GCC turns into low-overhead
// loops; scalar FP16 and FP64; a secure entry function and a non-secure
// call (-mcmse); a switch table. None of it is meant to run.
#include <arm_cmse.h>
#include <arm_mve.h>
#include <stdint.h>

void add_i8(int8_t *d, const int8_t *a, const int8_t *b, int n) {
	for (int i = 0; i < n; i++)
		d[i] = (int8_t)(a[i] + b[i]);
}

float dot_f32(const float *a, const float *b, int n) {
	float s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

void scale_q31(int32_t *x, int n, int32_t m) {
	for (int i = 0; i < n; i++)
		x[i] = (int32_t)(((int64_t)x[i] * m) >> 31);
}

_Float16 sum_f16(const _Float16 *a, int n) {
	_Float16 s = 0;
	for (int i = 0; i < n; i++)
		s += a[i];
	return s;
}

double poly_f64(double x, const double *c, int n) {
	double y = 0;
	for (int i = n - 1; i >= 0; i--)
		y = y * x + c[i];
	return y;
}

int32_t dot_s8(const int8_t *a, const int8_t *b, int n) {
	int32_t acc = 0;
	while (n > 0) {
		mve_pred16_t p = vctp8q((uint32_t)n);
		int8x16_t va = vldrbq_z_s8(a, p);
		int8x16_t vb = vldrbq_z_s8(b, p);
		acc = vmladavaq_p_s8(acc, va, vb, p);
		a += 16;
		b += 16;
		n -= 16;
	}
	return acc;
}

int64_t dot_long_s32(const int32_t *a, const int32_t *b, int n) {
	int64_t acc = 0;
	for (int i = 0; i + 4 <= n; i += 4)
		acc = vmlaldavaq_s32(acc, vldrwq_s32(a + i), vldrwq_s32(b + i));
	return acc;
}

void requantize(int8_t *out, const int32_t *in, int n, int32_t mult, int32_t shift, int32_t zp) {
	for (int i = 0; i + 4 <= n; i += 4) {
		int32x4_t v = vldrwq_s32(in + i);
		v = vqrdmulhq_n_s32(v, mult);
		v = vrshlq_n_s32(v, -shift);
		v = vaddq_n_s32(v, zp);
		v = vmaxq_s32(v, vdupq_n_s32(-128));
		v = vminq_s32(v, vdupq_n_s32(127));
		vstrbq_s32(out + i, v);
	}
}

void gather_u32(uint32_t *out, const uint32_t *base, const uint32_t *idx) {
	uint32x4_t offs = vldrwq_u32(idx);
	uint32x4_t v = vldrwq_gather_shifted_offset_u32(base, offs);
	vstrwq_scatter_shifted_offset_u32(out, offs, vaddq_n_u32(v, 1));
}

void deinterleave(int16_t *re, int16_t *im, const int16_t *cplx) {
	int16x8x2_t v = vld2q_s16(cplx);
	vst1q_s16(re, v.val[0]);
	vst1q_s16(im, v.val[1]);
}

void rgba(uint8_t *out, const uint8_t *in) {
	uint8x16x4_t v = vld4q_u8(in);
	v.val[3] = vdupq_n_u8(255);
	vst4q_u8(out, v);
}

int16_t max_s16(const int16_t *a) {
	return vmaxvq_s16(INT16_MIN, vld1q_s16(a));
}

void widen(int16_t *out, const int8_t *in) {
	int8x16_t v = vld1q_s8(in);
	vst1q_s16(out, vmovlbq_s8(v));
	vst1q_s16(out + 8, vmovltq_s8(v));
}

void narrow(int8_t *out, const int16_t *in) {
	int8x16_t r = vdupq_n_s8(0);
	r = vqmovnbq_s16(r, vld1q_s16(in));
	r = vqmovntq_s16(r, vld1q_s16(in + 8));
	vst1q_s8(out, r);
}

void cmul_f32(float *out, const float *a, const float *b) {
	float32x4_t va = vld1q_f32(a), vb = vld1q_f32(b);
	float32x4_t acc = vcmulq_f32(va, vb);
	acc = vcmlaq_rot90_f32(acc, va, vb);
	vst1q_f32(out, vcaddq_rot270_f32(acc, va));
}

void select_gt(int32_t *out, const int32_t *a, const int32_t *b) {
	int32x4_t va = vld1q_s32(a), vb = vld1q_s32(b);
	mve_pred16_t p = vcmpgtq_s32(va, vb);
	vst1q_s32(out, vpselq_s32(va, vb, p));
	vst1q_s32(out + 4, vaddq_m_s32(va, va, vb, p));
}

void f16_ops(float16_t *out, const float16_t *a) {
	float16x8_t v = vld1q_f16(a);
	v = vfmaq_f16(v, v, vdupq_n_f16(2.0f16));
	v = vrndaq_f16(v);
	vst1q_f16(out, v);
}

int32_t lanes(int32x4_t v, int32_t x) {
	v = vsetq_lane_s32(x, v, 2);
	return vgetq_lane_s32(v, 1) + vgetq_lane_s32(v, 2);
}

uint32x4_t ramp(uint32_t start) {
	return vidupq_n_u32(start, 4);
}

int64_t long_shift(int64_t v, int32_t s) {
	return asrl(lsll(v, s), 3);
}

int __attribute__((cmse_nonsecure_entry)) secure_add(int a, int b) {
	return a + b;
}

typedef int __attribute__((cmse_nonsecure_call)) ns_fn(int);

int call_ns(ns_fn *f, int x) {
	return f(x) + 1;
}

int classify(int k) {
	switch (k) {
	case 0: return 11;
	case 1: return 23;
	case 2: return 37;
	case 3: return 41;
	case 4: return 53;
	case 5: return 67;
	case 6: return 71;
	default: return -1;
	}
}
