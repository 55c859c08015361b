#!/bin/sh
# Regenerates the isa/riscv test inputs and their expected disassembly.
#
# Builds the F/D test programs from src/ with Debian 12's
# riscv64-unknown-elf-gcc 12.2 (binutils 2.40) and reduces
# `riscv64-unknown-elf-objdump -d -z -M no-aliases` of them and of the
# project's rv32imc firmware to one line per instruction:
#
#   <address> <length> <mnemonic> [t=<direct target>] [r=<address comment>]
#
# t= is the branch or jump destination objdump prints as an operand; r= is
# the address objdump resolves from an AUIPC/LUI pair, gp or x0 and prints as
# a "# <address>" comment. Data objdump prints as .word/.2byte/.insn keeps its
# mnemonic; the tests skip it. The first line of each file is the SHA-256 of
# the ELF it describes.
#
# rvc.txt.gz is objdump's reading of every 16-bit encoding (all halfwords
# whose low two bits are not 11, emitted with .insn in address order), one
# line each: <halfword> <mnemonic> <operands>.
#
# Run from anywhere: sh isa/riscv/testdata/gen.sh
set -eu
cd "$(dirname "$0")"
fw=../../../testdata/firmware/out/rv32imc/firmware.elf
cc="riscv64-unknown-elf-gcc -march=rv32imafdc_zicsr_zifencei -mabi=ilp32d -g0 -nostdlib -nostartfiles -T src/fd.ld"
cflags="-O2 -fno-math-errno -ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns"

# fd.elf: medany code model with linker relaxation (calls become jal,
# globals near gp become gp-relative); fd-norelax.elf keeps every AUIPC pair;
# fd-medlow.elf forms addresses with LUI.
$cc $cflags -mcmodel=medany -o fd.elf src/fd.c
$cc $cflags -mcmodel=medany -mno-relax -Wl,--no-relax -o fd-norelax.elf src/fd.c
$cc $cflags -mcmodel=medlow -mno-relax -Wl,--no-relax -o fd-medlow.elf src/fd.c
$cc -Wl,--no-relax -o forms.elf src/forms.S

reduce() {
	sha256sum "$1" | cut -d' ' -f1
	riscv64-unknown-elf-objdump -d -z -M no-aliases "$1" | awk -F'\t' '
		/^ *[0-9a-f]+:\t/ && NF >= 3 {
			addr = $1; sub(/^ */, "", addr); sub(/:$/, "", addr)
			hex = $2; gsub(/ /, "", hex)
			mn = $3
			ops = (NF >= 4) ? $4 : ""
			line = addr " " length(hex) / 2 " " mn
			cmt = ""
			i = index(ops, " # ")
			if (i > 0) { cmt = substr(ops, i + 3); ops = substr(ops, 1, i - 1) }
			if (match(ops, /[0-9a-f]+ <[^>]*>$/)) {
				t = substr(ops, RSTART); sub(/ .*/, "", t); line = line " t=" t
			}
			if (cmt != "") { sub(/ .*/, "", cmt); line = line " r=" cmt }
			print line
		}'
}

reduce "$fw" >rv32imc.txt
for p in fd fd-norelax fd-medlow forms; do
	reduce $p.elf >$p.txt
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
	printf '\t.text\n'
	i=0
	while [ $i -lt 65536 ]; do
		[ $((i & 3)) -ne 3 ] && printf '\t.insn 2, 0x%04x\n' $i
		i=$((i + 1))
	done
} >"$tmp/rvc.S"
riscv64-unknown-elf-gcc -march=rv32imafdc_zicsr_zifencei -mabi=ilp32d -c -o "$tmp/rvc.o" "$tmp/rvc.S"
riscv64-unknown-elf-objdump -d -z -M no-aliases "$tmp/rvc.o" |
	awk -F'\t' '/^ *[0-9a-f]+:\t/ { h = $2; gsub(/ /, "", h); print h, $3, $4 }' |
	gzip -9n >rvc.txt.gz
