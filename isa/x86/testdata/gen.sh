#!/bin/sh
# Regenerates the isa/x86 test programs and the expected disassembly.
#
# Builds src/forms.S (hand-written forms) and src/prog.c (compiled code, for
# x86-64-v4 with CET and stack-clash protection; non-PIE, PIE and -O0) with
# Debian 12's host gcc 12.2 and binutils 2.40, and reduces
# `objdump -d -z -M intel --insn-width=15` of them and of the project's
# host-x86_64 firmware to one line per instruction:
#
#   <address> <length> <mnemonic> [t=<direct target>] [r=<address comment>] [m]
#
# The mnemonic is objdump's without prefixes (rep, lock, cs, data16, bnd,
# notrack); t= is the branch or call destination objdump prints as an
# operand; r= is the RIP-relative address objdump prints as a
# "# <address>" comment; m marks a first operand in memory. The first line of
# each file is the SHA-256 of the ELF it describes.
#
# Run from anywhere: sh isa/x86/testdata/gen.sh
set -eu
cd "$(dirname "$0")"
fw=../../../testdata/firmware/out/host-x86_64/firmware.elf

gcc -c -o forms.o src/forms.S
ld -o forms.elf -Ttext=0x401000 -e _start --build-id=none forms.o
rm forms.o
cc="gcc -O2 -march=x86-64-v4 -fcf-protection -fstack-clash-protection -ffreestanding -fno-builtin -nostdlib -Wl,-e,entry -Wl,--build-id=none"
$cc -fno-pie -no-pie -o prog-nopie.elf src/prog.c
$cc -fpie -pie -o prog-pie.elf src/prog.c
$cc -O0 -fno-omit-frame-pointer -fno-pie -no-pie -o prog-O0.elf src/prog.c

reduce() {
	sha256sum "$1" | cut -d' ' -f1
	objdump -d -z -M intel --insn-width=15 "$1" | awk -F'\t' '
		/^ *[0-9a-f]+:\t/ && NF >= 3 {
			addr = $1; sub(/^ */, "", addr); sub(/:$/, "", addr)
			hex = $2; gsub(/ /, "", hex)
			text = $3
			cmt = ""
			i = index(text, "# ")
			if (i > 0) { cmt = substr(text, i + 2); sub(/ .*/, "", cmt); text = substr(text, 1, i - 1) }
			n = split(text, w, " ")
			k = 1
			while (k < n && w[k] ~ /^(rep|repz|repnz|repe|repne|lock|data16|data32|addr32|cs|ds|es|ss|fs|gs|bnd|notrack|xacquire|xrelease|rex(\.[WRXB]+)?)$/) k++
			mn = w[k]
			ops = ""
			for (j = k + 1; j <= n; j++) ops = ops (ops == "" ? "" : " ") w[j]
			line = addr " " length(hex) / 2 " " mn
			if (ops ~ /^[0-9a-f]+ <[^>]*>$/) { t = ops; sub(/ .*/, "", t); line = line " t=" t }
			if (cmt != "") line = line " r=" cmt
			first = ops; sub(/,.*/, "", first)
			if (first ~ /\[/) line = line " m"
			print line
		}'
}

reduce "$fw" >host-x86_64.txt
for p in forms prog-nopie prog-pie prog-O0; do
	reduce $p.elf >$p.txt
done
