// ARMv8-M secure-world test code for the isa/thumb decoder tests, built
// for Cortex-M33 (mainline, FPv5-SP, DSP) and Cortex-M23 (baseline) with
// -mcmse and -mpure-code: entry functions reached through SG veneers,
// non-secure calls (BLXNS), TT queries, DSP intrinsics, function pointer
// tables (addresses made with MOVW/MOVT under -mpure-code) and a switch.
#include <arm_cmse.h>
#include <stdint.h>
#if defined(__ARM_FEATURE_DSP)
#include <arm_acle.h>
#endif

typedef int __attribute__((cmse_nonsecure_call)) ns_cb(int);

static ns_cb *callback;
static volatile int counter;

int __attribute__((cmse_nonsecure_entry)) sec_register(ns_cb *cb) {
	if (cmse_check_address_range((void *)cb, 4, CMSE_NONSECURE) == 0)
		return -1;
	callback = (ns_cb *)cmse_nsfptr_create(cb);
	return 0;
}

int __attribute__((cmse_nonsecure_entry)) sec_notify(int v) {
	counter += v;
	if (callback != 0)
		return callback(counter);
	return counter;
}

int __attribute__((cmse_nonsecure_entry)) sec_is_secure(void *p) {
	cmse_address_info_t info = cmse_TT(p);
	return info.flags.mpu_region_valid;
}

#if defined(__ARM_FP)
float __attribute__((cmse_nonsecure_entry)) sec_scale(float x, float k) {
	return x * k + 0.5f;
}
#endif

#if defined(__ARM_FEATURE_DSP)
int32_t dsp_mix(uint32_t a, uint32_t b, int32_t acc) {
	acc = __smlad(a, b, acc);
	acc = __smlsd(a, b, acc);
	uint32_t s = __uadd8(a, b);
	s = __sel(s, a);
	return acc + (int32_t)__usad8(s, b) + __qadd(acc, 7);
}
#endif

static int op_add(int a, int b) { return a + b; }
static int op_sub(int a, int b) { return a - b; }
static int op_mul(int a, int b) { return a * b; }
static int op_div(int a, int b) { return b ? a / b : 0; }

int (*const ops[])(int, int) = {op_add, op_sub, op_mul, op_div};

int apply(unsigned k, int a, int b) {
	int (*f)(int, int) = op_add;
	switch (k) {
	case 0: f = op_add; break;
	case 1: f = op_sub; break;
	case 2: f = op_mul; break;
	case 3: f = op_div; break;
	case 4: return ops[(a + b) & 3](a, b);
	case 5: return -a;
	case 6: return a << b;
	case 7: return a >> b;
	case 8: return a ^ b;
	default: return 0;
	}
	return f(a, b);
}
