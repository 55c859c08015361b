#!/bin/sh
# Builds tflm_run, the measuring harness, against TFLM's reference kernels
# on the host: tflite-micro at the pinned commit with its third-party
# dependencies at the versions its Makefile downloads (flatbuffers v25.9.23,
# gemmlowp 719139ce, ruy d3712831, kissfft v130, with TFLM's patches).
#
#   build.sh WORKDIR
#
# WORKDIR (outside the repository) receives the sources, the library and
# the binary, WORKDIR/tflm_run. Nothing built here is committed.
set -eu
work=${1:?usage: build.sh WORKDIR}
here=$(cd "$(dirname "$0")" && pwd)
tflm=90b983c2b3f1
mkdir -p "$work"
cd "$work"
fetch() { # repo commit dir
	if [ ! -d "$3" ]; then
		git clone -q "https://github.com/$1" "$3.git"
		mkdir "$3"
		git -C "$3.git" archive "$2" | tar -x -C "$3"
		rm -rf "$3.git"
	fi
}
fetch tensorflow/tflite-micro $tflm src
d=src/tensorflow/lite/micro/tools/make/downloads
mkdir -p $d
if [ ! -d $d/flatbuffers ]; then
	fetch google/flatbuffers v25.9.23 $d/flatbuffers
	find $d/flatbuffers -name BUILD -o -name BUILD.bazel | xargs rm -f
	(cd $d/flatbuffers && patch -s -p1 < ../../flatbuffers.patch)
fi
fetch google/gemmlowp 719139ce755a0f31cbf1c37f7f98adcc7fc9f425 $d/gemmlowp
fetch google/ruy d37128311b445e758136b8602d1bbd2a755e115d $d/ruy
if [ ! -d $d/kissfft ]; then
	fetch mborgerding/kissfft v130 $d/kissfft
	(cd $d/kissfft && patch -s -p1 < ../../../../../../../third_party/kissfft/kissfft.patch)
fi
# Only the library is built: drop the examples, tests and benchmarks, whose
# makefiles need Python packages to generate sources.
mkdir -p $d/pigweed
cd src
find tensorflow/lite/micro/examples tensorflow/lite/micro/integration_tests \
	tensorflow/lite/micro/benchmarks tensorflow/lite/micro/tools/benchmarking \
	-name Makefile.inc -delete
rm -f tensorflow/lite/micro/tools/Makefile.inc
: > tensorflow/lite/micro/tools/ci_build/binary_size_test/Makefile.inc
: > tensorflow/lite/micro/tools/make/tests.inc
make -f tensorflow/lite/micro/tools/make/Makefile -j"$(nproc)" microlite
lib=$(ls gen/*/lib/libtensorflow-microlite.a)
flags="-std=c++17 -Os -fno-rtti -fno-exceptions -DTF_LITE_STATIC_MEMORY -DTF_LITE_DISABLE_X86_NEON"
inc="-I. -I$d -I$d/gemmlowp -I$d/flatbuffers/include -I$d/kissfft -I$d/ruy"
g++ $flags $inc "$here/tflm_run.cc" "$lib" -o ../tflm_run
echo "built $work/tflm_run"
