/* Float and double code for the isa/riscv decoder tests, built for
   rv32imafdc/ilp32d by ../gen.sh: it exercises the F and D instructions
   (including the RV32-only compressed c.flw/c.fsw and the c.fld/c.fsd
   forms), calls through a table of function pointers, AUIPC/LUI address
   pairs, atomics, a variable-length array (a dynamic stack pointer), a
   frame too large for one addi, and machine-mode instructions. It is linked
   without a C library at fixed addresses (fd.ld). */

typedef float (*unary_f)(float);

static float square(float x) { return x * x; }
static float half(float x) { return x * 0.5f; }
static float negate(float x) { return -x; }

unary_f const g_unary[] = {square, half, negate};

volatile float g_floats[16];
volatile double g_doubles[8];
volatile int g_counter;
int g_small = 3; /* in .sdata: gp-relative after relaxation */
void (*volatile g_hook)(void);

__attribute__((noinline)) double dot(const double *a, const double *b, int n)
{
	double s = 0;
	for (int i = 0; i < n; i++)
		s += a[i] * b[i];
	return s;
}

__attribute__((noinline)) float dotf(const float *a, const float *b, int n)
{
	float s = 0;
	for (int i = 0; i < n; i++)
		s = __builtin_fmaf(a[i], b[i], s);
	return s;
}

__attribute__((noinline)) void scale(float *v, int n, float k)
{
	for (int i = 0; i < n; i += 4) {
		float a = v[i], b = v[i + 1], c = v[i + 2], d = v[i + 3];
		v[i] = a * k;
		v[i + 1] = b * k;
		v[i + 2] = c * k;
		v[i + 3] = d * k;
	}
}

__attribute__((noinline)) float apply(unsigned i, float x)
{
	return g_unary[i % 3](x);
}

__attribute__((noinline)) double mix(float a, double b, int c)
{
	double r = (double)a * b + (double)c / b;
	if (r < 0)
		r = -r;
	return __builtin_sqrt(r) + (float)(r * 0.25);
}

__attribute__((noinline)) int convert(double d, float f)
{
	unsigned u = (unsigned)f;
	int i = (int)d;
	return i + (int)u + (d == (double)f) + (f < 2.0f);
}

__attribute__((noinline)) double keep_live(double x, double y)
{
	/* x and y live across calls: saved in fs0/fs1 with (c.)fsd/fld. */
	double a = dot(&x, &y, 1);
	double b = mix((float)a, y, 3);
	return a * x + b * y + apply(1, (float)(a + b));
}

__attribute__((noinline)) int vla_sum(int n)
{
	volatile int buf[n];
	for (int i = 0; i < n; i++)
		buf[i] = i * g_small;
	int s = 0;
	for (int i = 0; i < n; i++)
		s += buf[i];
	return s;
}

__attribute__((noinline)) float big_frame(int k)
{
	volatile float big[1500];
	for (int i = 0; i < 1500; i++)
		big[i] = (float)(i + k);
	return big[k % 1500] + big[(k + 7) % 1500];
}

__attribute__((noinline)) int atomics(int v)
{
	int old = __atomic_fetch_add(&g_counter, v, __ATOMIC_SEQ_CST);
	int expected = old + v;
	__atomic_compare_exchange_n(&g_counter, &expected, 0, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
	return __atomic_exchange_n(&g_counter, old, __ATOMIC_RELAXED) + expected;
}

__attribute__((interrupt("machine"))) void machine_isr(void)
{
	g_floats[0] += 1.0f;
	if (g_hook)
		g_hook();
}

__attribute__((noinline)) void privileged(void)
{
	unsigned long x;
	__asm__ volatile("csrw mtvec, %0" : : "r"(machine_isr));
	__asm__ volatile("csrr %0, mcause" : "=r"(x));
	__asm__ volatile("csrs mstatus, %0" : : "r"(x & 8));
	__asm__ volatile("fence rw, rw");
	__asm__ volatile("fence.i");
	__asm__ volatile("wfi");
}

__attribute__((noreturn, noinline)) void trap(void)
{
	__builtin_trap();
}

int main(void)
{
	double a[4] = {1, 2, 3, 4};
	float f[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	scale(f, 8, 1.5f);
	g_doubles[0] = dot(a, a, 4) + keep_live(a[1], a[2]);
	g_floats[1] = dotf(f, f, 8) + big_frame(g_small);
	g_counter = convert(g_doubles[0], g_floats[1]) + vla_sum(g_small * 5) + atomics(2);
	privileged();
	if (g_counter == 12345)
		trap();
	return 0;
}

__attribute__((section(".text.entry"), naked, noreturn)) void _start(void)
{
	__asm__ volatile(
		".option push\n\t"
		".option norelax\n\t"
		"la gp, __global_pointer$\n\t"
		".option pop\n\t"
		"la sp, __stack_top\n\t"
		"call main\n\t"
		"1: j 1b\n\t");
}
