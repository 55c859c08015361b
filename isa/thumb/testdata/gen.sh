#!/bin/bash
# Regenerates the isa/thumb test data from binutils (the tests themselves only
# read the committed files):
#
#   elf/{m55,m33,m23,m7}.elf   test images built from src/ (our own code, plus
#                              newlib-nano as linked by the Debian toolchain)
#   encodings.txt.gz           objdump on every 16-bit and a sample of 32-bit
#                              encodings (see gen/main.go)
#   objdump/<name>.txt.gz      objdump -d -z of each Arm ELF, reduced to one
#                              line per instruction (see gen/main.go)
#
# Needs arm-none-eabi-gcc 12.2 / binutils 2.40 (Debian 12 gcc-arm-none-eabi,
# binutils-arm-none-eabi, libnewlib-arm-none-eabi) and Go. The shared ELFs are
# read from ../shared beside the repository (FOOTPRINT_SHARED overrides);
# only their reduced disassembly is committed.
#
# Usage: bash isa/thumb/testdata/gen.sh
set -euo pipefail

TESTDATA=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$TESTDATA/../../.." && pwd)
SHARED=${FOOTPRINT_SHARED:-$REPO/../shared}
CC=arm-none-eabi-gcc
AS=arm-none-eabi-as
OBJDUMP=arm-none-eabi-objdump

BUILD=$(mktemp -d)
trap 'rm -rf "$BUILD"' EXIT
(cd "$REPO" && go build -o "$BUILD/gen" ./isa/thumb/testdata/gen)

# --- test images ---------------------------------------------------------
mkdir -p "$TESTDATA/elf" "$TESTDATA/objdump"
SRC=$TESTDATA/src
LINK=(-O2 -g0 --specs=nano.specs --specs=nosys.specs -Wl,--no-warn-rwx-segments -Wl,--strip-debug)
SGSTUBS=(-Wl,--section-start=.gnu.sgstubs=0x00200000 -Wl,--cmse-implib)

# Cortex-M55: MVE + FP16/FP64 + CMSE, and the hand-written v8.1-M assembly.
M55=(-mcpu=cortex-m55 -mthumb -mfloat-abi=hard -mcmse)
$AS -march=armv8.1-m.main+mve.fp+fp.dp+pacbti -mfloat-abi=hard "$SRC/v81m.s" -o "$BUILD/v81m.o"
$CC "${M55[@]}" -O3 -g0 -c "$SRC/mve.c" -o "$BUILD/mve.o"
$CC "${M55[@]}" "${LINK[@]}" "${SGSTUBS[@]}" -Wl,--out-implib="$BUILD/m55_implib.o" \
	"$BUILD/mve.o" "$BUILD/v81m.o" "$SRC/main.c" -lm -o "$TESTDATA/elf/m55.elf"

# Cortex-M33 and Cortex-M23: secure code with SG veneers, pure code (MOVW/MOVT).
$CC -mcpu=cortex-m33 -mthumb -mfloat-abi=hard -mcmse -mpure-code "${LINK[@]}" "${SGSTUBS[@]}" \
	-Wl,--out-implib="$BUILD/m33_implib.o" "$SRC/secure.c" "$SRC/main.c" -o "$TESTDATA/elf/m33.elf"
$CC -mcpu=cortex-m23 -mthumb -mcmse -mpure-code "${LINK[@]}" "${SGSTUBS[@]}" \
	-Wl,--out-implib="$BUILD/m23_implib.o" "$SRC/secure.c" "$SRC/main.c" -o "$TESTDATA/elf/m23.elf"

# Cortex-M7: double precision, DSP, VLA, switch tables.
$CC -mcpu=cortex-m7 -mthumb -mfpu=fpv5-d16 -mfloat-abi=hard "${LINK[@]}" \
	"$SRC/m7.c" "$SRC/main.c" -lm -o "$TESTDATA/elf/m7.elf"

# --- encodings corpus ----------------------------------------------------
"$BUILD/gen" corpus -objdump "$OBJDUMP" -o "$TESTDATA/encodings.txt.gz"

# --- reduced disassembly of every Arm ELF --------------------------------
# reduce NAME ELF [objdump options]
reduce() {
	local name=$1 elf=$2
	shift 2
	{
		echo "# $OBJDUMP -d -z $* $(basename "$(dirname "$elf")")/$(basename "$elf") ($($OBJDUMP --version | head -1))"
		echo "# sha256 $(sha256sum < "$elf" | cut -d' ' -f1)"
		echo "# address length mnemonic [>branch target] [@literal address]; address T: runs past the next symbol"
		$OBJDUMP -d -z "$@" "$elf" | "$BUILD/gen" elf
	} | gzip -n -9 > "$TESTDATA/objdump/$name.txt.gz"
}

# Our images; the M55 one needs MVE decoding, which objdump only enables for
# an explicit -m armv8.1-m.main.
reduce m55 "$TESTDATA/elf/m55.elf" -m armv8.1-m.main
reduce m33 "$TESTDATA/elf/m33.elf"
reduce m23 "$TESTDATA/elf/m23.elf"
reduce m7 "$TESTDATA/elf/m7.elf"

# The repository's Arm firmware (testdata/firmware/build.sh). The test skips
# an image whose SHA-256 no longer matches its recording.
OUT=$REPO/testdata/firmware/out
for t in cortex-m4f cortex-m4f-lld cortex-m0plus qemu-mps2-an386; do
	reduce "firmware-$t" "$OUT/$t/firmware.elf"
done
for v in base bigmodel extra-kernel os rebuild; do
	reduce "variant-$v" "$OUT/variants/$v/firmware.elf"
done

# The shared firmware (TFLM builds, one with CMSIS-NN) and the stack test.
for f in fw_hello fw_micro_speech fw_micro_speech_cmsis; do
	reduce "shared-$f" "$SHARED/firmware/$f/firmware.elf"
done
reduce shared-fw_stacktest "$SHARED/stack/fw_stacktest/firmware.elf"

ls -l "$TESTDATA/elf" "$TESTDATA/objdump" "$TESTDATA/encodings.txt.gz"
