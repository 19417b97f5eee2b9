#!/usr/bin/env bash
# Runs tempfifo against its competitors side by side, in one run, alternating them round by
# round: the C limits (bench/c/fifobench.c), the Python mkdtemp+mkfifo recipe, Java's
# ProcessBuilder("mkfifo"), bash <(…), tempfifo's FFM (JDK 22+) and portable (JDK 17) backends.
#
#   bench/compare.sh            full run (several minutes): writes the tables into
#                               docs/performance.md and the charts docs/performance-*.png
#   bench/compare.sh --smoke    everything tiny (well under a minute), results in bench/target only
#   options: --rounds N, --no-build (use the benchmarks.jar already built, e.g. by mvn verify), --no-docs, --only SECTION[,SECTION] (create,throughput,feed,psub,firstuse,vt,scale,startup); --dirs /dev/shm (create section: only tmpfs), --write-docs (with --only: still rewrite docs/performance.md), --warmup-ms N (JVM warm-up, default 2000)
#
# Needs: gcc, python3, taskset (util-linux), a JDK 22+ (found in /usr/lib/jvm, or $JDK22_HOME),
# the default java (JDK 17), Maven; gnuplot (Debian: gnuplot-nox) for the charts, which are
# skipped with a note when it is missing (nothing is installed by this script).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
out=bench/target
mkdir -p "$out"

build=1
for arg in "$@"; do
  [[ $arg == --no-build ]] && build=0
done

jdk22=${JDK22_HOME:-}
if [[ -z $jdk22 ]]; then
  for d in /usr/lib/jvm/*; do
    [[ -x $d/bin/java ]] || continue
    v=$("$d/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
    if [[ ${v%%.*} =~ ^[0-9]+$ ]] && (( ${v%%.*} >= 22 )); then jdk22=$d; fi
  done
fi
[[ -n $jdk22 ]] || { echo "compare.sh: no JDK 22+ found in /usr/lib/jvm; set JDK22_HOME" >&2; exit 1; }

gcc -O2 -Wall -Wextra -o "$out/fifobench" bench/c/fifobench.c
mkdir -p "$out/hello"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' > "$out/hello/Hello.java"
"$jdk22/bin/javac" -d "$out/hello" "$out/hello/Hello.java"
if (( build )); then
  echo "building tempfifo-bench/target/benchmarks.jar (mvn -pl tempfifo-bench -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip)" >&2
  mvn -q -B -ntp -pl tempfifo-bench -am package -DskipTests -Dmaven.javadoc.skip -Dmaven.source.skip >&2
fi
tfjar=$(ls tempfifo/target/tempfifo-*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -1)
[[ -n $tfjar ]] || { echo "compare.sh: tempfifo/target/tempfifo-*.jar missing (run without --no-build)" >&2; exit 1; }
mkdir -p "$out/firstuse"
"$jdk22/bin/javac" -cp "$tfjar" -d "$out/firstuse" bench/java/FirstUse.java
[[ -f tempfifo-bench/target/benchmarks.jar ]] || { echo "compare.sh: tempfifo-bench/target/benchmarks.jar missing (run without --no-build)" >&2; exit 1; }

exec python3 bench/compare.py --jdk22 "$jdk22" --java17 "$(command -v java)" --fifobench "$out/fifobench" \
  --jar tempfifo-bench/target/benchmarks.jar --hello "$out/hello" --firstuse "$out/firstuse:$root/$tfjar" --out "$out" --cmdline "bench/compare.sh $*" "$@"
