/* RV32 startup: sets gp/sp/tp, copies .data, .tdata and .ccmram from flash,
   zeroes .bss and .tbss, runs constructors and main(). */
  .option arch, +zicsr
  .section .isr_vector, "ax", @progbits
  .globl _start
  .type _start, @function
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la sp, _estack
  la tp, __tls_base
  la t0, trap_entry
  csrw mtvec, t0

  la a0, _sdata
  la a1, _sidata
  la a2, _edata
  call copy_words
  la a0, __tls_base
  la a1, _sitdata
  la a2, __tdata_end
  call copy_words
  la a0, _sccmram
  la a1, _siccmram
  la a2, _eccmram
  call copy_words

  la a0, _sbss
  la a1, _ebss
  call zero_words
  la a0, __tdata_end
  la a1, __tls_end
  call zero_words

  call __libc_init_array
  call main
1:
  wfi
  j 1b
  .size _start, . - _start

  .section .text.copy_words, "ax", @progbits
  .type copy_words, @function
copy_words:
  bgeu a0, a2, 2f
  lw t0, 0(a1)
  sw t0, 0(a0)
  addi a0, a0, 4
  addi a1, a1, 4
  j copy_words
2:
  ret
  .size copy_words, . - copy_words

  .section .text.zero_words, "ax", @progbits
  .type zero_words, @function
zero_words:
  bgeu a0, a1, 3f
  sw zero, 0(a0)
  addi a0, a0, 4
  j zero_words
3:
  ret
  .size zero_words, . - zero_words

  .section .text.trap_entry, "ax", @progbits
  .balign 4
  .globl trap_entry
  .type trap_entry, @function
trap_entry:
  j trap_entry
  .size trap_entry, . - trap_entry
