#!/bin/sh
# Builds the self-contained command-line bundle, tempfifo-VERSION-linux-ARCH.tar.gz; run by the
# tempfifo-cli pom in the package phase, in two steps around the AsciiDoc-to-man conversion:
#
#   make-bundle.sh generate JDK CLASSPATH OUT
#       OUT/completion/tempfifo (bash and zsh, picocli's AutoComplete) and OUT/man-adoc/*.adoc
#       (picocli's ManPageGenerator, plus the help footers' examples and SEE ALSO: ManPages.java),
#       both from the command's picocli model (CLASSPATH: the CLI's classes, its dependencies and
#       picocli-codegen), so they always match the help text.
#   make-bundle.sh pack JDK VERSION JAR SRC LICENSE OUT TIMESTAMP
#       OUT/tempfifo-VERSION/: bin/tempfifo (SRC/bin/tempfifo), lib/tempfifo-cli.jar, runtime/ (a
#       jlink image with just the modules jdeps finds in the jar), lib/tempfifo.aot (an AOT cache
#       trained on a real `run`, JDK 24+), share/man/man1/*.1, share/bash-completion/completions/
#       tempfifo, LICENSE, README.md; every file's time set to TIMESTAMP (the AOT cache checks the
#       jar's) before training; then OUT/../tempfifo-VERSION-linux-ARCH.tar.gz.
#
# JDK is the build's JDK 22+ home: its jdeps, jlink and java; the bundle runs on its runtime.
set -eu

step=$1
shift
jdk=$1

# The JVM options of the bundle's launcher: the AOT cache must be made with the same ones.
opts="-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"

feature() { # the feature version of JDK home $1, from its release file
  sed -n 's/^JAVA_VERSION="\{0,1\}\([0-9]*\).*/\1/p' "$1/release"
}

if [ "$step" = generate ]; then
  classpath=$2 out=$3
  rm -rf "$out/completion" "$out/man-adoc"
  mkdir -p "$out/completion" "$out/man-adoc"
  "$jdk/bin/java" -cp "$classpath" picocli.AutoComplete --force --name tempfifo \
    --completionScript "$out/completion/tempfifo" io.github.tempfifo.cli.Main
  "$jdk/bin/java" -cp "$classpath" "$(dirname "$0")/ManPages.java" "$out/man-adoc"
  exit 0
fi

[ "$step" = pack ] || { echo "make-bundle.sh: unknown step $step" >&2; exit 2; }
version=$2 jar=$3 src=$4 license=$5 out=$6 timestamp=$7
case $(uname -m) in
  x86_64|amd64) arch=x64 ;;
  aarch64|arm64) arch=aarch64 ;;
  *) arch=$(uname -m) ;;
esac
name=tempfifo-$version
stage=$out/$name
tarball=$out/../$name-linux-$arch.tar.gz
epoch=$(date -u -d "$timestamp" +%s)

rm -rf "$stage" "$tarball"
mkdir -p "$stage/bin" "$stage/lib" "$stage/share/man/man1" "$stage/share/bash-completion/completions"
cp "$src/bin/tempfifo" "$stage/bin/tempfifo"
chmod 755 "$stage/bin/tempfifo"
cp "$src/README.md" "$license" "$stage/"
cp "$jar" "$stage/lib/tempfifo-cli.jar"
cp "$out"/man/*.1 "$stage/share/man/man1/"
cp "$out/completion/tempfifo" "$stage/share/bash-completion/completions/tempfifo"

# The runtime: only the modules the jar needs (the CLI and the library use java.base alone today).
jdk_feature=$(feature "$jdk")
modules=$("$jdk/bin/jdeps" --print-module-deps --ignore-missing-deps --multi-release "$jdk_feature" "$jar")
aot=yes
cds=
if [ "$jdk_feature" -lt 24 ]; then
  # no AOT cache before JDK 24: jlink's default CDS archive of the runtime's own classes instead
  aot=
  cds=--generate-cds-archive
fi
"$jdk/bin/jlink" --add-modules "$modules" --output "$stage/runtime" --strip-debug --no-header-files \
  --no-man-pages $cds

find "$stage" -exec touch -h -d "@$epoch" {} +

if [ -n "$aot" ]; then
  # A training run of a real substitution: picocli's parse, a FIFO, a child process.
  train() {
    # shellcheck disable=SC2086 # word splitting of $opts is intended
    "$stage/runtime/bin/java" $opts "$@" -jar "$stage/lib/tempfifo-cli.jar" \
      run --in 'echo tempfifo' -- cat '{}' > /dev/null
  }
  if [ "$jdk_feature" -ge 25 ]; then
    train -XX:AOTCacheOutput="$stage/lib/tempfifo.aot"
  else
    train -XX:AOTMode=record -XX:AOTConfiguration="$out/tempfifo.aotconf"
    train -XX:AOTMode=create -XX:AOTConfiguration="$out/tempfifo.aotconf" -XX:AOTCache="$stage/lib/tempfifo.aot"
  fi
  touch -d "@$epoch" "$stage/lib/tempfifo.aot"
fi

# Reproducible order, owners and times; gzip without a name or time of its own (-6: -9 takes
# four times as long for 0.8 % less).
tar -C "$out" --sort=name --owner=0 --group=0 --numeric-owner --mtime="@$epoch" -cf - "$name" \
  | gzip -n -6 > "$tarball"
echo "[tempfifo] $(cd "$out/.." && pwd)/${tarball##*/}: $(du -k "$tarball" | cut -f1) KiB; runtime modules: $modules${aot:+; AOT cache}"
