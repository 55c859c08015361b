/* Compiled code for the isa/x86 decoder tests, built by ../gen.sh with the
   host gcc for x86-64-v4 (AVX-512) with CET (endbr64), stack-clash
   protection and frame pointers where asked: calls through a table of
   function pointers, a switch compiled to a jump table, a variable-length
   array and alloca (the stack pointer set from a register), a stack realigned
   for 64-byte vectors, a frame too large for one probe, and vector loops. It
   is linked without a C library; nothing runs it. */

typedef int (*binop)(int, int);

static int add(int a, int b) { return a + b; }
static int sub(int a, int b) { return a - b; }
static int mul(int a, int b) { return a * b; }

binop const g_ops[] = {add, sub, mul};
volatile int g_sink;
float g_vec[256] __attribute__((aligned(64)));

__attribute__((noinline)) int apply(unsigned i, int a, int b)
{
	return g_ops[i % 3](a, b);
}

__attribute__((noinline)) int classify(int c)
{
	switch (c) {
	case 0: return 11;
	case 1: return apply(0, c, 2);
	case 2: return 27;
	case 3: return apply(1, c, 5);
	case 4: return 8;
	case 5: return 99;
	case 6: return apply(2, c, c);
	case 7: return 3;
	default: return -1;
	}
}

__attribute__((noinline)) int vla(int n)
{
	volatile int buf[n];
	for (int i = 0; i < n; i++)
		buf[i] = i * g_sink;
	int s = 0;
	for (int i = 0; i < n; i++)
		s += buf[i];
	return s;
}

__attribute__((noinline)) int with_alloca(int n)
{
	volatile char *p = __builtin_alloca(n);
	p[0] = 1;
	p[n - 1] = 2;
	return p[0] + p[n - 1];
}

__attribute__((noinline)) float realigned(float k)
{
	float local[64] __attribute__((aligned(64)));
	for (int i = 0; i < 64; i++)
		local[i] = g_vec[i] * k;
	float s = 0;
	for (int i = 0; i < 64; i++)
		s += local[i] * local[(i * 7) & 63];
	return s;
}

__attribute__((noinline)) int big_frame(int k)
{
	volatile int big[40000];
	big[k] = k;
	return big[(k * 3) % 40000];
}

__attribute__((noinline)) void scale(float *v, int n, float k)
{
	for (int i = 0; i < n; i++)
		v[i] *= k;
}

__attribute__((noinline)) double mix(double a, long b)
{
	return a * (double)b + (double)(b >> 3) / a;
}

int entry(void)
{
	scale(g_vec, 256, 1.5f);
	g_sink = classify(g_sink) + vla(g_sink + 3) + with_alloca(g_sink + 16) + big_frame(g_sink & 7);
	g_sink += (int)realigned(2.0f) + (int)mix(g_sink, g_sink);
	if (g_sink == 12345)
		__builtin_trap();
	return g_sink;
}
