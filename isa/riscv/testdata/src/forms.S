/* Hand-written instruction forms for the isa/riscv decoder tests (see
   ../gen.sh): every RV32C encoding with the F and D loads and stores at the
   extremes of their immediates, the call/tail/la pseudo-instructions as
   AUIPC/LUI pairs, the jump and return forms, the stack-pointer writes and
   the privileged and illegal encodings. Assembled and linked with fd.ld at
   fixed addresses; nothing runs it. */
	.option norelax
	.section .text.entry, "ax"
	.globl _start
_start:
	/* Compressed, quadrant 0. */
	c.addi4spn s0, sp, 4
	c.addi4spn a5, sp, 1020
	c.fld fs0, 0(a0)
	c.fld fa5, 248(s1)
	c.lw a0, 0(a1)
	c.lw s1, 124(a5)
	c.flw fa0, 4(a2)
	c.flw fs1, 124(a3)
	c.fsd fa1, 8(a4)
	c.fsd fs0, 248(a5)
	c.sw a2, 64(s0)
	c.sw a5, 124(s1)
	c.fsw fa3, 0(a0)
	c.fsw fa4, 124(a1)
	/* Quadrant 1. */
	c.nop
	c.addi a0, 1
	c.addi a0, -32
	c.addi sp, 16
	c.addi sp, -16
	c.jal 2f
2:	c.li a1, 31
	c.li a2, -32
	c.addi16sp sp, -512
	c.addi16sp sp, 496
	c.addi16sp sp, 16
	c.lui a3, 1
	c.lui a4, 0xfffff
	c.lui t0, 0x1f
	c.srli a0, 1
	c.srli a5, 31
	c.srai s0, 7
	c.andi a1, -1
	c.andi a2, 31
	c.sub a0, a1
	c.xor a2, a3
	c.or a4, a5
	c.and s0, s1
	c.j 3f
	c.j _start
3:	c.beqz a0, 3b
	c.bnez a5, 4f
	c.beqz s1, _start + 256
4:	/* Quadrant 2. */
	c.slli a0, 1
	c.slli t6, 31
	c.fldsp fs2, 0(sp)
	c.fldsp ft0, 504(sp)
	c.lwsp ra, 0(sp)
	c.lwsp s11, 252(sp)
	c.flwsp fa0, 4(sp)
	c.flwsp ft11, 252(sp)
	c.mv a0, a1
	c.mv t0, ra
	c.add a0, a1
	c.add sp, a0
	c.mv sp, s0
	c.ebreak
	c.jalr a5
	c.jalr ra
	c.fsdsp fs0, 8(sp)
	c.fsdsp ft1, 504(sp)
	c.swsp ra, 12(sp)
	c.swsp t6, 252(sp)
	c.fswsp fa0, 0(sp)
	c.fswsp fs11, 252(sp)

	/* Address pairs and their uses. */
10:	auipc a0, %pcrel_hi(data_word)
	addi a0, a0, %pcrel_lo(10b)
5:	auipc a1, %pcrel_hi(data_word)
	lw a2, %pcrel_lo(5b)(a1)
	sw a2, %pcrel_lo(5b)(a1)
	lw a3, %pcrel_lo(5b)(a1)
6:	auipc a4, %pcrel_hi(data_float)
	flw fa0, %pcrel_lo(6b)(a4)
7:	auipc a5, %pcrel_hi(data_double)
	fld fa1, %pcrel_lo(7b)(a5)
	lui s0, %hi(data_word)
	addi s0, s0, %lo(data_word)
	lui s1, %hi(data_word)
	lw t0, %lo(data_word)(s1)
	lui a3, %hi(data_word)
	mv a3, a0
	lw t1, %lo(data_word)(a3)
	lui a4, %hi(data_word)
	c.addi a4, 4
	lui a5, %hi(data_word)
	c.lw a0, 8(a5)
	call far_function
	tail far_function
	lui t1, %hi(far_function)
	jalr ra, %lo(far_function)(t1)
8:	auipc t2, %pcrel_hi(far_function)
	jalr zero, %pcrel_lo(8b)(t2)
	lw a0, 100(zero)
	jalr ra, 0x200(zero)

	c.jr ra
	c.jr t0

	/* 32-bit encodings only from here on. */
	.option norvc
	/* Jumps and returns. */
	jal ra, far_function
	jal zero, _start
	jal t0, far_function
	jalr zero, 0(ra)
	jalr zero, 4(ra)
	jalr zero, 0(t0)
	jalr ra, 0(a5)
	jalr t0, 8(a5)
	beq a0, a1, _start
	bne a0, zero, 9f
	blt a0, a1, 9f
	bge a1, a0, 9f
	bltu a2, a3, 9f
	bgeu a4, a5, 9f
9:	/* Stack pointer writes. */
	auipc sp, %pcrel_hi(data_word)
	addi sp, sp, %pcrel_lo(9b)
	addi sp, sp, -2048
	addi sp, sp, 2047
	addi sp, s0, -16
	add sp, sp, a0
	sub sp, sp, a1
	andi sp, sp, -16
	lw sp, 0(a0)
	lui sp, 0x80010
	csrrw sp, mscratch, sp

	/* System and illegal encodings. */
	ecall
	ebreak
	mret
	sret
	wfi
	fence
	fence.i
	csrrs a0, mstatus, zero
	csrrwi zero, mie, 8
	unimp
	.option rvc
	c.unimp

	.text
far_function:
	c.jr ra

	.data
	.balign 8
data_word: .word far_function
data_float: .float 1.5
data_double: .double 2.25
