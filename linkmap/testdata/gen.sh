#!/bin/sh
# Regenerates the small real maps the linkmap tests read: one link with GNU
# ld (arm-none-eabi-gcc) and the same objects relinked with ld.lld. They add
# what the firmware maps lack: COMMON symbols (-fcommon), an object path
# with spaces, an archive member with a reference reason, a discarded
# section, a section name long enough to wrap, a cross reference table
# (--cref). Run from this directory.
set -eu
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cc="arm-none-eabi-gcc -mcpu=cortex-m0plus -mthumb -O1 -ffunction-sections -fdata-sections -fcommon"
mkdir -p "$tmp/dir with space"
cat > "$tmp/main.c" <<'C'
int common_counter;
char common_buf[40];
extern int helper(int);
extern int from_archive(int);
static int unused_function(int x) { return x * 3; }
int (*keep)(int) = 0;
int __attribute__((section(".text.a_very_long_function_section_name_that_wraps_in_the_map"))) long_named(int x) { return x + 1; }
__attribute__((section(".noinit"))) int boot_magic;
int counter = 5;
void Reset_Handler(void) { common_counter = helper(counter) + from_archive(long_named(1)); common_buf[0] = 1; boot_magic = 0x1234; for (;;) {} }
int unused_global(int x) { return unused_function(x); }
C
cat > "$tmp/dir with space/helper.c" <<'C'
int helper(int x) { return x * 2; }
C
cat > "$tmp/lib.c" <<'C'
int from_archive(int x) { return x - 1; }
C
cat > "$tmp/small.ld" <<'L'
MEMORY
{
  FLASH (rx) : ORIGIN = 0x08000000, LENGTH = 16K
  RAM (rwx)  : ORIGIN = 0x20000000, LENGTH = 4K
}
ENTRY(Reset_Handler)
SECTIONS
{
  .text : { KEEP(*(.text.Reset_Handler)) *(.text*) LONG(0xdeadbeef) . = ALIGN(16); } > FLASH =0xff
  .data : { *(.data*) } > RAM AT> FLASH
  .bss (NOLOAD) : { *(.bss*) *(COMMON) } > RAM
  .noinit (NOLOAD) : { *(.noinit) } > RAM
  /DISCARD/ : { *(.ARM.attributes) *(.comment) }
}
L
(cd "$tmp" && $cc -c main.c -o main.o && $cc -c "dir with space/helper.c" -o "dir with space/helper.o" &&
  $cc -c lib.c -o lib.o && arm-none-eabi-ar rcs libsmall.a lib.o &&
  $cc -nostdlib -T small.ld -Wl,--gc-sections -Wl,-Map=gnu.map -Wl,--cref -o gnu.elf main.o "dir with space/helper.o" libsmall.a &&
  ld.lld -T small.ld --gc-sections -Map=lld.map --cref -o lld.elf main.o "dir with space/helper.o" libsmall.a)
cp "$tmp/gnu.map" small-gnu.map
cp "$tmp/lld.map" small-lld.map
cp "$tmp/small.ld" small.ld
arm-none-eabi-size -A -x "$tmp/gnu.elf" | sed 's/[^ ]*gnu.elf/gnu.elf/' > small-gnu.size-A.txt
arm-none-eabi-size -A -x "$tmp/lld.elf" | sed 's/[^ ]*lld.elf/lld.elf/' > small-lld.size-A.txt
