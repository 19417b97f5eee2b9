#!/usr/bin/env bash
# Start-up of bin/tempfifo against `java -cp DIR Hello` on the same JDK, measured in the same run:
# ROUNDS rounds (default 30), each running every command once in turn (so that a noisy neighbour
# slows all alike), after WARMUP rounds; prints the median wall time of each and its ratio to Hello.
# When mvn package has made the self-contained bundle (tempfifo-cli/target/tempfifo-*-linux-*.tar.gz),
# it is untarred into a temporary directory and its bin/tempfifo measured too.
# Usage: tempfifo-cli/bench/startup.sh [ROUNDS] [WARMUP]
set -euo pipefail
cd "$(dirname "$0")/../.."
rounds=${1:-30}
warmup=${2:-3}
bin/tempfifo --version > /dev/null # builds the jar and the AOT cache if needed
java=$(TEMPFIFO_PRINT_JAVA=1 bin/tempfifo)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
printf 'public class Hello { public static void main(String[] a) { System.out.println("Hello"); } }\n' > "$work/Hello.java"
"${java%/java}/javac" -d "$work" "$work/Hello.java"

commands=(
  "$java -cp $work Hello"
  "bin/tempfifo --version"
  "bin/tempfifo run --in 'echo hi' -- cat {}"
)
for tarball in tempfifo-cli/target/tempfifo-*-linux-*.tar.gz; do
  [ -f "$tarball" ] || continue
  tar -xzf "$tarball" -C "$work"
  bundle=$(echo "$work"/tempfifo-*/bin/tempfifo)
  commands+=("$bundle --version" "$bundle run --in 'echo hi' -- cat {}")
done
declare -A samples
for ((r = -warmup; r < rounds; r++)); do
  for i in "${!commands[@]}"; do
    start=$EPOCHREALTIME
    eval "${commands[$i]}" > /dev/null
    end=$EPOCHREALTIME
    if ((r >= 0)); then
      samples[$i]+="$(( (${end/./} - ${start/./}) )) "
    fi
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
base=$(echo "${samples[0]}" | median)
echo "JDK: $("$java" -version 2>&1 | head -n 1); $rounds rounds, alternating; median wall time"
for i in "${!commands[@]}"; do
  m=$(echo "${samples[$i]}" | median)
  awk -v c="${commands[$i]/$work\//(bundle) }" -v m="$m" -v b="$base" 'BEGIN { printf "%-50s %7.1f ms  %5.2fx\n", c, m / 1000, m / b }'
done
