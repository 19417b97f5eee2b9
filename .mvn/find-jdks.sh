#!/bin/sh
# Finds the JDKs the build uses, whatever JDK Maven itself runs on. Run by the build (parent pom,
# validate phase); writes Maven properties to OUT:
#   tempfifo.build.java.home   the newest JDK 22+ (it compiles the FFM backend and runs the FFM
#                              test pass through maven-toolchains-plugin); empty if there is none,
#                              and the enforcer then stops the build with tempfifo.jdks.missing
#   tempfifo.portable.java     the java of the portable-backend test pass: a JDK 17, else the
#                              oldest JDK 18-21, else the newest JDK 22+ with
#   tempfifo.portable.argLine  -Dtempfifo.backend=portable (empty when the JDK is older than 22)
# Reads each candidate's `release` file (no JVM started). Looks in $JAVA_HOME, $JAVA<N>_HOME,
# Maven's own JDK, the jdkHome entries of ~/.m2/toolchains.xml, /usr/lib/jvm, /usr/java,
# /opt/java, /opt/jdk*, SDKMAN, ~/.jdks, ~/.gradle/jdks; or only in $SEARCH when it is given.
# Usage: find-jdks.sh OUT MAVEN_JAVA_HOME ANNOUNCE(true|false) [SEARCH (colon-separated homes)]
set -eu
out=$1
maven_java_home=$2
announce=$3
search=${4:-}

candidates() {
  if [ -n "$search" ]; then
    printf '%s\n' "$search" | tr ':' '\n'
    return
  fi
  [ -n "${JAVA_HOME:-}" ] && printf '%s\n' "$JAVA_HOME"
  env | sed -n 's/^JAVA[0-9][0-9]*_HOME=//p'
  printf '%s\n' "$maven_java_home"
  if [ -r "$HOME/.m2/toolchains.xml" ]; then
    sed -n 's:.*<jdkHome>[[:space:]]*\([^<]*[^<[:space:]]\)[[:space:]]*</jdkHome>.*:\1:p' "$HOME/.m2/toolchains.xml"
  fi
  for d in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* \
      "$HOME"/.jdks/* "$HOME"/.gradle/jdks/*; do
    printf '%s\n' "$d"
  done
}

# "FEATURE HOME" for every JDK (java and javac present) found, deduplicated by real path.
list=$(candidates | while IFS= read -r home; do
  [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] && [ -r "$home/release" ] || continue
  v=$(sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$home/release")
  case $v in ''|*[!0-9]*) continue ;; esac
  printf '%s %s\n' "$v" "$(cd "$home" && pwd -P)"
done | sort -u -k2,2 | sort -n -k1,1)

build=$(printf '%s\n' "$list" | awk '$1 >= 22 { h = $2 } END { print h }')
build_feature=$(printf '%s\n' "$list" | awk '$1 >= 22 { v = $1 } END { print v }')
seventeen=$(printf '%s\n' "$list" | awk '$1 == 17 { print $2; exit }')
older=$(printf '%s\n' "$list" | awk '$1 > 17 && $1 < 22 { print $1 " " $2; exit }')

if [ -n "$seventeen" ]; then
  portable=$seventeen/bin/java
  arg=
  note="portable-backend test pass: JDK 17 ($seventeen)"
elif [ -n "$older" ]; then
  portable=${older#* }/bin/java
  arg=
  note="portable-backend test pass: no JDK 17 installed; JDK ${older%% *} (${older#* })"
elif [ -n "$build" ]; then
  portable=$build/bin/java
  arg=-Dtempfifo.backend=portable
  note="portable-backend test pass: no JDK 17-21 installed; JDK $build_feature ($build) with -Dtempfifo.backend=portable"
else
  portable=
  arg=
  note=
fi

found=$(printf '%s\n' "$list" | awk 'NF { printf "%s%s at %s", sep, "JDK " $1, $2; sep = ", " }')
mkdir -p "$(dirname "$out")"
{
  echo "tempfifo.build.java.home=$build"
  echo "tempfifo.portable.java=$portable"
  echo "tempfifo.portable.argLine=$arg"
  echo "tempfifo.jdks.found=${found:-none}"
} > "$out"
if [ "$announce" = true ] && [ -n "$note" ]; then
  echo "[tempfifo] $note"
fi
