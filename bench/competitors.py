"""What bench/compare.py measures: the competitors of each section (each a command that prints
one number) and issue 11's targets, which name them."""
import os
import sys

GIB = 1 << 30

PY_RECIPE = r'''
import os, sys, tempfile, time
d, n = sys.argv[1], int(sys.argv[2])
def one():
    t = tempfile.mkdtemp(dir=d)
    f = os.path.join(t, "fifo")
    os.mkfifo(f)
    os.unlink(f)
    os.rmdir(t)
for _ in range(n // 2 + 1):
    one()
per = max(n // 5, 1)
batches = []
for _ in range(5):
    t0 = time.perf_counter_ns()
    for _ in range(per):
        one()
    batches.append((time.perf_counter_ns() - t0) / per)
print(sorted(batches)[2])
'''


BASH_LOOP = r'''
n=$1; per=$(( n / 5 > 0 ? n / 5 : 1 ))
for ((i = 0; i < n / 2; i++)); do CMD; done
for b in 1 2 3 4 5; do
  s=$EPOCHREALTIME
  for ((i = 0; i < per; i++)); do CMD; done
  e=$EPOCHREALTIME
  echo $(( (10#${e/./} - 10#${s/./}) * 1000 / per ))
done | sort -n | sed -n 3p
'''

class Competitor:
    def __init__(self, section, config, name, cmd, kind, baseline=False, note=""):
        self.section, self.config, self.name, self.cmd = section, config, name, cmd
        self.kind = kind  # "ns" (lower is better) or "B/s" (higher is better)
        self.baseline, self.note = baseline, note
        self.values = []


def compare_ffm(a):
    """The Java side (tempfifo-bench's Compare) on the JDK 22+ with native access: the FFM backend."""
    return [a.jdk22 + "/bin/java", "--enable-native-access=ALL-UNNAMED", f"-Dbench.warmupMillis={a.warmup}",
            "-cp", a.jar, "io.github.tempfifo.bench.Compare"]


def competitors(a, smoke):
    j25 = compare_ffm(a)
    j17 = [a.java17, f"-Dbench.warmupMillis={a.warmup}", "-Djava.util.logging.config.file=/dev/null",
           "-cp", a.jar, "io.github.tempfifo.bench.Compare"]
    fb = [a.fifobench]
    n_fast = 200 if smoke else 20000
    n_disk = 100 if smoke else 4000
    n_slow = 10 if smoke else 300
    batch = 50 if smoke else 1000
    nbytes = (16 << 20) if smoke else GIB
    c = []
    for d, label, n in (("/dev/shm", "/dev/shm (tmpfs)", n_fast), ("/tmp", "/tmp (default temp dir)", n_disk)):
        if a.dirs and d not in a.dirs:
            continue
        sec = "create"
        c.append(Competitor(sec, label, "C: mkdtemp+mkfifo+unlink+rmdir", fb + ["create", d, str(n)], "ns", True))
        c.append(Competitor(sec, label, "Python recipe (mkdtemp+mkfifo)", [sys.executable, "-c", PY_RECIPE, d, str(n)], "ns"))
        c.append(Competitor(sec, label, "tempfifo, FFM backend (JDK 25)", j25 + ["create", d, str(n)], "ns"))
        # The FIFOs' base is the default base here (java.io.tmpdir), as for TempFifo.create(): that is
        # where the portable backend keeps spare FIFOs made ahead (SpareFifos).
        j17d = [j17[0], f"-Djava.io.tmpdir={d}"] + j17[1:]
        c.append(Competitor(sec, label, "tempfifo, portable backend (JDK 17), one create", j17d + ["create", d, str(n_slow * 10)], "ns"))
        c.append(Competitor(sec, label, f"tempfifo, portable backend (JDK 17), Builder.create({batch}), per FIFO",
                            j17 + ["batch", d, str(batch)], "ns"))
        c.append(Competitor(sec, label, "Java ProcessBuilder(\"mkfifo\") (JDK 17)", j17 + ["pbmkfifo", d, str(n_slow)], "ns"))
        if d == "/dev/shm":
            c.append(Competitor(sec, label, "bash `read < <(:)` (a pipe and a fork, no FIFO)",
                                ["bash", "-c", BASH_LOOP.replace("CMD", "read -r _ < <(:)"), "bash", str(n_slow * 10)], "ns"))
    configs = [((0, 0), "same CPU")] + ([((0, 1), "across CPUs")] if (os.cpu_count() or 1) > 1 else [])
    for cpus, label in configs:
        sec = "throughput"
        w, r = str(cpus[0]), str(cpus[1])
        c.append(Competitor(sec, label, "C, default pipe (64 KiB)", fb + ["pipe", "/dev/shm", str(nbytes), "65536", "0", w, r], "B/s", True))
        c.append(Competitor(sec, label, "C, F_SETPIPE_SZ 1 MiB", fb + ["pipe", "/dev/shm", str(nbytes), "65536", str(1 << 20), w, r], "B/s"))
        c.append(Competitor(sec, label, "tempfifo FFM, default pipe", j25 + ["pipe", "/dev/shm", str(nbytes), "65536", "0", w, r], "B/s"))
        c.append(Competitor(sec, label, "tempfifo FFM, pipeCapacity(256 KiB)", j25 + ["pipe", "/dev/shm", str(nbytes), "65536", str(256 << 10), w, r], "B/s"))
        c.append(Competitor(sec, label, "tempfifo FFM, pipeCapacity(1 MiB)", j25 + ["pipe", "/dev/shm", str(nbytes), "65536", str(1 << 20), w, r], "B/s"))
        c.append(Competitor(sec, label, "tempfifo FFM writer → reader in a 2nd JVM, default pipe", j25 + ["jvmpipe", "/dev/shm", str(nbytes), "65536", "0", w, r], "B/s"))
        c.append(Competitor(sec, label, "tempfifo FFM writer → reader in a 2nd JVM, pipeCapacity(1 MiB)", j25 + ["jvmpipe", "/dev/shm", str(nbytes), "65536", str(1 << 20), w, r], "B/s"))
        c.append(Competitor(sec, label, "tempfifo portable (JDK 17)", j17 + ["pipe", "/dev/shm", str(nbytes), "65536", "0", w, r], "B/s"))
        c.append(Competitor(sec, label, "plain Java streams on a FIFO (JDK 25)", j25 + ["plainpipe", "/dev/shm", str(nbytes), "65536", w, r], "B/s"))
    across = "1" if (os.cpu_count() or 1) > 1 else "0"
    sec, label = "feed", "file → FIFO → reader process (fifobench drain), writer on CPU 0, reader on CPU " + across
    f = a.feed_file
    c.append(Competitor(sec, label, "C read/write loop, 64 KiB", fb + ["feed", "/dev/shm", f, "65536", "0", across], "B/s", True))
    c.append(Competitor(sec, label, "C splice(2)", fb + ["feed", "/dev/shm", f, "65536", "0", across, "splice"], "B/s"))
    c.append(Competitor(sec, label, "tempfifo FFM transferFrom (splice)", j25 + ["feed", "/dev/shm", f, a.fifobench, "0", across], "B/s"))
    c.append(Competitor(sec, label, "tempfifo portable transferFrom (sendfile, JDK 17)", j17 + ["feed", "/dev/shm", f, a.fifobench, "0", across], "B/s"))
    c.append(Competitor(sec, label, "Java InputStream.transferTo(fifo stream) (JDK 25)", j25 + ["feedstream", "/dev/shm", f, a.fifobench, "0", across], "B/s"))
    sec, label = "psub", "cat reads one input substitution (\"hi\\n\"), output discarded"
    n_ps = 10 if smoke else 200
    c.append(Competitor(sec, label, "Java ProcessBuilder(\"cat\", \"/dev/null\") (JDK 25, no substitution)", j25 + ["spawn", "-", str(n_ps)], "ns", True))
    c.append(Competitor(sec, label, "FifoProcessBuilder inputFrom(byte[]) (JDK 25, FFM)", j25 + ["psub", "bytes", str(n_ps)], "ns"))
    c.append(Competitor(sec, label, "FifoProcessBuilder inputFrom(ProcessBuilder(\"echo\")) (JDK 25, FFM)", j25 + ["psub", "command", str(n_ps)], "ns"))
    c.append(Competitor(sec, label, "bash: cat /dev/null (no substitution)", ["bash", "-c", BASH_LOOP.replace("CMD", "cat /dev/null"), "bash", str(n_ps)], "ns"))
    c.append(Competitor(sec, label, "bash: cat <(echo hi)", ["bash", "-c", BASH_LOOP.replace("CMD", "cat <(echo hi) >/dev/null"), "bash", str(n_ps)], "ns"))
    sec, label = "firstuse", "a fresh JVM (JDK 25) per run: wall time of the whole process"
    fu = [a.jdk22 + "/bin/java", "-cp", a.firstuse]
    fu_ffm = [a.jdk22 + "/bin/java", "--enable-native-access=ALL-UNNAMED", "-cp", a.firstuse]
    c.append(Competitor(sec, label, "one bare FFM downcall (getpid)", ["@time"] + fu_ffm + ["FirstUse", "getpid"], "ns", True))
    c.append(Competitor(sec, label, "one TempFifo create()+close(), FFM backend", ["@time"] + fu_ffm + ["FirstUse", "fifo", "/dev/shm"], "ns"))
    c.append(Competitor(sec, label, "one TempFifo create()+close(), no native access (portable backend)",
                        ["@time"] + fu + ["FirstUse", "fifo", "/dev/shm"], "ns"))
    c.append(Competitor(sec, label, "java Hello (no FFM, no tempfifo)", ["@time", a.jdk22 + "/bin/java", "-cp", a.hello, "Hello"], "ns"))
    sec, label = "vt", "1,000 FIFOs at once × 1 MiB each, streams, writers submitted first (JDK 25, FFM)"
    n_pairs, pair_bytes = (50, 1 << 20) if smoke else (1000, 1 << 20)
    c.append(Competitor(sec, label, "platform threads", j25 + ["pairs", "/dev/shm", str(n_pairs), str(pair_bytes), "platform"], "B/s", True))
    c.append(Competitor(sec, label, "virtual threads", j25 + ["pairs", "/dev/shm", str(n_pairs), str(pair_bytes), "virtual"], "B/s"))
    cli = os.path.join(a.root, "bin", "tempfifo")
    if os.access(cli, os.X_OK):
        sec, label = "startup", "wall time of one command"
        hello = [a.jdk22 + "/bin/java", "-cp", a.hello, "Hello"]
        c.append(Competitor(sec, label, "java -cp . Hello (JDK 25)", ["@time"] + hello, "ns", True))
        c.append(Competitor(sec, label, "bin/tempfifo --version", ["@time", cli, "--version"], "ns"))
        c.append(Competitor(sec, label, "bin/tempfifo run --in 'echo hi' -- cat {}", ["@time", cli, "run", "--in", "echo hi", "--", "cat", "{}"], "ns"))
    return c


# Issue 11's targets: (number, what, section, config or None, numerator, denominator, "<=" or ">=", bound).
# The ratio is taken per round (numerator / denominator of the same round): time/time or rate/rate.
TARGETS = [
    ("1", "process substitution: FifoProcessBuilder inputFrom(byte[]) + cat vs ProcessBuilder cat /dev/null", "psub", None,
     "FifoProcessBuilder inputFrom(byte[]) (JDK 25, FFM)", "Java ProcessBuilder(\"cat\", \"/dev/null\") (JDK 25, no substitution)", "<=", 1.25),
    ("2a", "throughput, default pipe, same CPU: threads vs C processes", "throughput", "same CPU",
     "tempfifo FFM, default pipe", "C, default pipe (64 KiB)", ">=", 1.0),
    ("2b", "throughput, default pipe, across CPUs: threads vs C processes", "throughput", "across CPUs",
     "tempfifo FFM, default pipe", "C, default pipe (64 KiB)", ">=", 1.4),
    ("3", "first use: fresh JVM create()+close() (FFM) vs fresh JVM one bare FFM downcall", "firstuse", None,
     "one TempFifo create()+close(), FFM backend", "one bare FFM downcall (getpid)", "<=", 1.4),
    ("3b", "the log line's advice: fresh JVM create()+close() FFM vs the same without native access (portable)", "firstuse", None,
     "one TempFifo create()+close(), FFM backend", "one TempFifo create()+close(), no native access (portable backend)", "<=", 1.0),
    ("4", "portable backend (JDK 17), sequential create()+close() on tmpfs vs a mkfifo process per FIFO", "create", "/dev/shm (tmpfs)",
     "tempfifo, portable backend (JDK 17), one create", "Java ProcessBuilder(\"mkfifo\") (JDK 17)", "<=", 0.1),
    ("5", "FFM create()+close() vs C on tmpfs", "create", "/dev/shm (tmpfs)",
     "tempfifo, FFM backend (JDK 25)", "C: mkdtemp+mkfifo+unlink+rmdir", "<=", 1.10),
    ("6", "virtual-thread streaming vs platform threads (1,000 × 1 MiB)", "vt", None,
     "virtual threads", "platform threads", ">=", 0.8),
]
