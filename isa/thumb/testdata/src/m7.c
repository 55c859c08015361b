// Cortex-M7 (ARMv7E-M, FPv5 double precision, DSP) test code for the
// isa/thumb decoder tests: double-precision arithmetic and conversions,
// FPv5 rounding, callee-saved FP registers, DSP intrinsics, 64-bit
// arithmetic, a variable-length array (SP set from a register), a large
// frame, and switch tables.
#include <arm_acle.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

double mix(double a, double b, float c) {
	double x = a * b + (double)c;
	x = fma(x, a, b);
	x = sqrt(fabs(x)) + round(x) + floor(b) + trunc(a);
	return x / (b + 1.0);
}

int64_t to_fixed(double v) { return (int64_t)lrint(v * 65536.0); }

float many_regs(const float *v) {
	float s0 = v[0], s1 = v[1], s2 = v[2], s3 = v[3], s4 = v[4], s5 = v[5];
	float s6 = v[6], s7 = v[7], s8 = v[8], s9 = v[9], s10 = v[10], s11 = v[11];
	for (int i = 12; i < 64; i++) {
		s0 = s0 * v[i] + s1; s1 = s1 * v[i] + s2; s2 = s2 * v[i] + s3;
		s3 = s3 * v[i] + s4; s4 = s4 * v[i] + s5; s5 = s5 * v[i] + s6;
		s6 = s6 * v[i] + s7; s7 = s7 * v[i] + s8; s8 = s8 * v[i] + s9;
		s9 = s9 * v[i] + s10; s10 = s10 * v[i] + s11; s11 = s11 * v[i] + s0;
	}
	return s0 + s1 + s2 + s3 + s4 + s5 + s6 + s7 + s8 + s9 + s10 + s11;
}

uint32_t simd(uint32_t a, uint32_t b) {
	uint32_t r = __uqadd8(a, b);
	r = __shadd16(r, b);
	r = (uint32_t)__smuad(r, a) + __usada8(a, b, r);
	return r ^ __ssat16(a, 9) ^ (uint32_t)__smlald(a, b, r);
}

uint64_t mul64(uint64_t a, uint64_t b, uint32_t c) { return a * b + (uint64_t)c * c; }

int vla(int n, const int *src) {
	int buf[n];
	memcpy(buf, src, (size_t)n * sizeof buf[0]);
	int s = 0;
	for (int i = 0; i < n; i++)
		s += buf[i] * i;
	return s;
}

int big_frame(int k) {
	volatile char buf[5000];
	buf[k] = (char)k;
	return buf[k / 2];
}

const char *name(int k) {
	switch (k) {
	case 0: return "zero";
	case 1: return "one";
	case 2: return "two";
	case 3: return "three";
	case 10: return "ten";
	case 11: return "eleven";
	case 12: return "twelve";
	case 13: return "thirteen";
	case 14: return "fourteen";
	case 15: return "fifteen";
	case 16: return "sixteen";
	case 17: return "seventeen";
	case 18: return "eighteen";
	case 19: return "nineteen";
	default: return "many";
	}
}

int wide_switch(int k, int a) {
	switch (k) {
	case 0: a += 3; break;
	case 1: a *= 5; break;
	case 2: a -= 7; break;
	case 3: a ^= 11; break;
	case 4: a = a / 3 + mul64(a, k, 2); break;
	case 5: a = (int)to_fixed(a); break;
	case 6: a = (int)simd(a, k); break;
	case 7: a = vla(a & 15, &k); break;
	case 8: a = big_frame(a & 1023); break;
	case 9: a = (int)mix(a, k, 0.5f); break;
	default: a = 0; break;
	}
	return a + 1;
}
