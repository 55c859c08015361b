@ ARMv8.1-M instructions compilers seldom emit, for the isa/thumb decoder
@ tests: low-overhead loops and branch future in every form, VPT blocks,
@ conditional select and long shifts, the security and pointer
@ authentication extensions, FP system registers on the stack, odd stack
@ adjustments, literal loads, an inline TBB table and coprocessor forms.
@ Assembled for armv8.1-m.main+mve.fp+fp.dp+pacbti; never run.
	.syntax unified
	.thumb
	.text

	.global	v81m_target
	.type	v81m_target, %function
	.p2align 2
v81m_target:
	bx	lr
	.size	v81m_target, . - v81m_target

	.global	v81m_loops
	.type	v81m_loops, %function
	.p2align 2
v81m_loops:
	push	{r4-r7, lr}
	dls	lr, r0
1:	adds	r1, #1
	le	lr, 1b
	wls	lr, r0, 3f
2:	adds	r1, #1
	le	lr, 2b
3:	wlstp.8	lr, r0, 5f
4:	vldrb.u8	q0, [r1], #16
	vstrb.8	q0, [r2], #16
	letp	lr, 4b
5:	dlstp.32	lr, r0
6:	vldrw.u32	q0, [r1], #16
	vstrw.32	q0, [r2], #16
	letp	lr, 6b
	lctp
	vctp.16	r3
	bf	7f, v81m_target
	nop
7:	b	v81m_target
	bfl	8f, v81m_target
	nop
8:	bl	v81m_target
	bfx	9f, r3
	nop
9:	bx	r3
	bflx	10f, r3
	nop
10:	blx	r3
	bfcsel	11f, v81m_target, 12f, eq
	nop
11:	beq	v81m_target
12:	cmp	r0, #1
	le	1b
	pop	{r4-r7, pc}
	.size	v81m_loops, . - v81m_loops

	.global	v81m_scalar
	.type	v81m_scalar, %function
	.p2align 2
v81m_scalar:
	csel	r0, r1, r2, eq
	csinc	r0, r1, r2, ne
	cinc	r0, r1, lt
	cset	r0, gt
	csetm	r0, ge
	csinv	r0, r1, r2, le
	cinv	r0, r1, mi
	csneg	r0, r1, r2, pl
	cneg	r0, r1, vs
	lsll	r0, r1, #3
	lsrl	r0, r1, #5
	asrl	r0, r1, #7
	lsll	r0, r1, r2
	asrl	r0, r1, r3
	uqshll	r0, r1, #2
	urshrl	r0, r1, #4
	srshrl	r0, r1, #6
	sqshll	r0, r1, #8
	uqrshll	r0, r1, #64, r2
	sqrshrl	r0, r1, #48, r2
	uqshl	r0, #1
	urshr	r0, #2
	srshr	r0, #3
	sqshl	r0, #4
	uqrshl	r0, r2
	sqrshr	r0, r3
	bx	lr
	.size	v81m_scalar, . - v81m_scalar

	.global	v81m_secure
	.type	v81m_secure, %function
	.p2align 2
v81m_secure:
	sg
	pacbti	r12, lr, sp
	push	{r4, r12, lr}
	vstr	FPCXTNS, [sp, #-4]!
	vstr	FPSCR, [sp, #-4]!
	vstr	VPR, [sp, #-4]!
	vstr	FPSCR_nzcvqc, [r0]
	tt	r0, r1
	ttt	r0, r1
	tta	r0, r1
	ttat	r0, r1
	pac	r12, lr, sp
	aut	r12, lr, sp
	bti
	pacg	r0, r1, r2
	autg	r0, r1, r2
	vlstm	r0
	vlldm	r0
	blxns	r3
	vldr	VPR, [sp], #4
	vldr	FPSCR, [sp], #4
	vldr	FPCXTNS, [sp], #4
	pop	{r4, r12, lr}
	vscclrm	{s0-s15, VPR}
	vscclrm	{d0-d3, VPR}
	clrm	{r0, r1, r2, r3, ip, APSR}
	bxaut	r12, lr, sp
	bxns	lr
	.size	v81m_secure, . - v81m_secure

	.global	v81m_mve
	.type	v81m_mve, %function
	.p2align 2
v81m_mve:
	vpt.i32	eq, q0, q1
	vaddt.i32	q2, q0, q1
	vpte.s16	gt, q0, r3
	vaddt.i16	q2, q0, q1
	vsube.i16	q2, q0, q1
	vpstt
	vldrwt.u32	q0, [r0]
	vstrwt.32	q0, [r1]
	vpnot
	vpsel	q0, q1, q2
	vcmp.f32	ge, q0, q1
	vmov	r0, r1, q0[2], q0[0]
	vmov	q0[2], q0[0], r0, r1
	vmov.8	q0[3], r2
	vmov.u16	r3, q1[5]
	vldrh.s32	q0, [r1, #8]
	vldrb.u16	q1, [r2], #4
	vstrh.32	q2, [r3, #-8]!
	vldrw.u32	q0, [sp, #32]
	vstrw.32	q0, [sp, #-16]!
	vldrw.u32	q0, [sp], #16
	vldrw.u32	q0, [r0, q1, uxtw #2]
	vstrw.32	q0, [r0, q1, uxtw #2]
	vldrd.u64	q0, [q1, #8]
	vstrd.64	q0, [q1, #-16]!
	vld20.8	{q0, q1}, [r0]
	vld21.8	{q0, q1}, [r0]!
	vst40.32	{q0, q1, q2, q3}, [r1]
	vshlc	q0, r1, #5
	vabav.s8	r0, q0, q1
	vaddlva.s32	r0, r1, q0
	vrmlaldavha.s32	r0, r1, q0, q1
	vmlsdavax.s16	r0, q0, q1
	vbrsr.8	q0, q1, r2
	vqdmladhx.s32	q0, q1, q2
	vddup.u8	q0, r0, #2
	viwdup.u16	q0, r0, r1, #4
	vsbc.i32	q0, q1, q2
	vadci.i32	q0, q1, q2
	vcvtb.f16.f32	q0, q1
	vmaxnmav.f32	r0, q1
	vminnma.f16	q0, q1
	vrev64.8	q0, q1
	vcls.s8	q0, q1
	vqneg.s16	q0, q1
	vsli.8	q0, q1, #3
	vqshrunb.s16	q0, q1, #3
	vmvn.i32	q0, #0xff
	vbic.i16	q0, #0xff00
	vorr.i32	q0, #0x10000
	vmov.f32	q0, #1.0
	vcvta.s32.f32	q0, q1
	vrintm.f32	q0, q1
	vcvt.s32.f32	q0, q1, #8
	bx	lr
	.size	v81m_mve, . - v81m_mve

	.global	v81m_fp
	.type	v81m_fp, %function
	.p2align 2
v81m_fp:
	vpush	{d8-d15}
	vpush	{s16-s19}
	vins.f16	s0, s1
	vmovx.f16	s0, s1
	vmov.f16	s0, r1
	vadd.f16	s0, s1, s2
	vseleq.f64	d0, d1, d2
	vmaxnm.f32	s0, s1, s2
	vrinta.f64	d0, d1
	vcvtm.s32.f64	s0, d1
	vldr.16	s0, 1f
	vldr	s1, 1f
	vldr	d1, 2f
	vldm	r0!, {s0-s3}
	vstmdb	r1!, {d0-d1}
	vpop	{s16-s19}
	vpop	{d8-d15}
	bx	lr
	.p2align 2
1:	.word	0x3c003c00
2:	.word	0, 0x3ff00000
	.size	v81m_fp, . - v81m_fp

	.global	v81m_stack
	.type	v81m_stack, %function
	.p2align 2
v81m_stack:
	str	lr, [sp, #-4]!
	strd	r4, r5, [sp, #-8]!
	stmdb	sp!, {r6, r7}
	sub	sp, #16
	sub.w	sp, sp, #1024
	subw	sp, sp, #100
	.inst.w	0xf10d3dff		@ add.w sp, sp, #0xffffffff
	addw	sp, sp, #101
	add.w	sp, sp, #1024
	add	sp, #16
	mov	r7, sp
	sub	sp, sp, r0
	mov	sp, r7
	add	sp, r1
	ldr	sp, =0x20001000
	msr	msp, r0
	msr	psp, r0
	mrs	r0, msp
	ldm	sp!, {r6, r7}
	ldrd	r4, r5, [sp], #8
	ldr	pc, [sp], #4
	.ltorg
	.size	v81m_stack, . - v81m_stack

	.global	v81m_misc
	.type	v81m_misc, %function
	.p2align 2
v81m_misc:
	push	{r4, lr}
	cmp	r0, #4
	bhi.n	2f
	tbb	[pc, r0]
1:	.byte	(3f - 1b) / 2, (4f - 1b) / 2, (5f - 1b) / 2, (3f - 1b) / 2, (4f - 1b) / 2
	.p2align 1
3:	movs	r0, #1
	pop	{r4, pc}
4:	movs	r0, #2
	pop	{r4, pc}
5:	movs	r0, #3
2:	pop	{r4, pc}
	ldr	r0, =v81m_target
	ldr.w	r1, 6f
	ldrd	r2, r3, 6f
	adr	r0, v81m_target
	adr.w	r1, 6f
	movw	r2, #:lower16:v81m_target
	adds	r3, #1
	movt	r2, #:upper16:v81m_target
	blx	r2
	mcr	p0, 0, r0, c1, c2, 3
	mrc	p1, 1, r1, c2, c3, 4
	cdp	p2, 1, c0, c1, c2, 3
	ldc	p3, c0, [r1, #8]
	stc2	p4, c1, [r2], #-16
	mcrr	p5, 2, r0, r1, c3
	ldaex	r0, [r1]
	stlex	r2, r0, [r1]
	lda	r0, [r1]
	stlh	r0, [r1]
	ldrex	r0, [r1, #4]
	strex	r2, r0, [r1, #4]
	ssbb
	pssbb
	csdb
	dsb	sy
	dmb	ish
	isb	sy
	clrex
	cpsid	i
	cpsie	f
	msr	basepri_max, r1
	svc	#1
	bkpt	#0xab
	udf	#3
	udf.w	#1234
	.p2align 2
6:	.word	v81m_target, 0
	.ltorg
	.size	v81m_misc, . - v81m_misc
