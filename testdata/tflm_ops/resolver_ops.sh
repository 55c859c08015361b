#!/bin/sh
# Writes resolver_ops.txt: every operator TFLM's MicroMutableOpResolver can
# register (its Add* methods) at the pinned tflite-micro commit, one per
# line, builtins by schema name and custom operators as CUSTOM:<name>.
#
#   resolver_ops.sh TFLITE_MICRO_CHECKOUT
set -eu
h=${1:?usage: resolver_ops.sh TFLITE_MICRO_CHECKOUT}/tensorflow/lite/micro/micro_mutable_op_resolver.h
cd "$(dirname "$0")"
{
	echo "# MicroMutableOpResolver's operators at tflite-micro 90b983c2b3f1 (resolver_ops.sh)."
	# AddCustom calls may break their line after the opening parenthesis.
	tr -d '\n' < "$h" | sed 's/AddCustom( */AddCustom(/g; s/;/;\n/g' |
		awk '/AddBuiltin\(BuiltinOperator_/ { match($0, /BuiltinOperator_[A-Z0-9_]+/); print substr($0, RSTART + 16, RLENGTH - 16) }
			/AddCustom\("/ { match($0, /AddCustom\("[^"]+"/); print "CUSTOM:" substr($0, RSTART + 11, RLENGTH - 12) }
			/AddCustom\(tflite::GetString_ETHOSU\(\)/ { print "CUSTOM:ethos-u" }' | sort -u
} > resolver_ops.txt
echo "$(grep -vc '^#' resolver_ops.txt) operators"
