/* Hand-written instruction forms for the isa/x86 decoder tests (see
   ../gen.sh): calls, jumps and returns of every encoding, every way
   compiled code moves the stack pointer, RIP-relative and absolute
   references, prefixes, padding, SSE, AVX, AVX-512 and x87 instructions.
   Linked at a fixed address; nothing runs it. */
	.intel_syntax noprefix
	.text
	.globl _start
_start:
	endbr64
	push rbp
	mov rbp, rsp
	push r15
	push 0x12
	push 0x12345
	pushfq
	popfq
	.byte 0x66, 0x50		/* push ax */
	.byte 0x66, 0x58		/* pop ax */
	sub rsp, 0x18
	sub rsp, 0x1000
	add rsp, 0x18
	add rsp, -8
	lea rsp, [rsp-0x20]
	lea rsp, [rsp+0x20]
	lea rsp, [rbp-0x10]
	and rsp, -32
	mov rsp, rbp
	sub rsp, rax
	add esp, 8
	sub spl, 1
	xchg rsp, rax
	pop rsp
	pop qword ptr [rsp+8]
	push qword ptr [rip+data]
	leave
	enter 0x20, 0
	enter 0x10, 3
	pop r15
	pop rbp

	/* Calls, jumps, returns. */
	call far_function
	call rax
	call qword ptr [rax+8]
	call qword ptr [rip+data]
	jmp qword ptr [rip+data]
	jmp rax
	notrack jmp rax
	bnd jmp rax
	bnd call far_function
	jmp qword ptr [rax*8+table]
	jmp 1f
	jmp far_function
1:	je 1b
	jne far_function
	jrcxz 1b
	loop 1b
	loopne 1b
	.byte 0x67, 0xe3, 0xfb		/* jecxz */
	ret
	ret 8
	repz ret
	retfq
	int3
	int 0x80
	ud2
	hlt
	syscall

	/* References. */
	lea rdi, [rip+data]
	mov rax, [rip+data]
	mov [rip+data], rax
	mov dword ptr [rip+data], 1
	cmp qword ptr [rip+data], 0
	movsd xmm0, [rip+data]
	movsd [rip+data], xmm0
	mov rax, qword ptr fs:0x28
	mov eax, dword ptr [table]
	movabs rax, [0x1122334455667788]
	movabs [0x1122334455667788], eax
	lea rsi, [rip+far_function]
	mov edi, offset far_function

	/* Padding and prefixes. */
	nop
	xchg ax, ax
	nop dword ptr [rax]
	nop word ptr [rax+rax*1+0]
	.byte 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0
	.byte 0x66, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0
	pause
	lock cmpxchg [rdi], ecx
	lock xadd [rdi], eax
	rep stosq
	rep movsb
	repne scasb
	cdqe
	cqo
	movsxd rax, ecx
	movzx eax, byte ptr [rdi]
	cmovne eax, ecx
	sete al
	bswap eax
	popcnt rax, rcx
	tzcnt eax, ecx
	bsr eax, ecx
	imul eax, ecx, 100

	/* SSE, AVX, AVX-512, x87. */
	movups xmm0, [rdi]
	movaps [rsp], xmm1
	pxor xmm0, xmm0
	cvtsi2sd xmm0, rax
	cvttsd2si rax, xmm0
	movq rax, xmm0
	movd xmm1, ecx
	pshufd xmm0, xmm1, 0x1b
	pshufb xmm0, xmm1
	pextrd eax, xmm0, 1
	vmovdqu ymm0, [rdi]
	vpaddd ymm0, ymm1, ymm2
	vmovsd xmm0, [rip+data]
	vzeroupper
	vzeroall
	.byte 0xc4, 0xe1, 0x78, 0x77	/* vzeroupper, 3-byte VEX */
	vpaddd zmm0, zmm1, zmm2
	vmovdqu64 zmm0, [rdi+64]
	vmovdqu32 zmm1{k1}{z}, [rsp]
	adcx rax, rcx
	adox eax, dword ptr [rip+data]
	andn eax, ebx, ecx
	shlx rax, rbx, rcx
	fld qword ptr [rsp]
	fstp qword ptr [rip+data]
	fxch st(1)
	faddp st(1), st
	cpuid
	rdtsc
	ret

far_function:
	ret

	.data
	.balign 8
data:	.quad far_function
table:	.quad far_function, _start
