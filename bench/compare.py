#!/usr/bin/env python3
"""The driver of bench/compare.sh (run that, which builds first): runs every competitor once per
round, alternating them (A B C … then … C B A), several rounds, and prints medians, min–max and
ratios to the C baseline measured in the same round. Each competitor is a separate process that
warms up, then prints one number (the median of 5 timed batches where it loops)."""
import argparse
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time

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

GIB = 1 << 30
CPU_TIMES = {}  # "@time" commands: per round, the median CPU time (user+system, all threads) in ns


class Competitor:
    def __init__(self, section, config, name, cmd, kind, baseline=False, note=""):
        self.section, self.config, self.name, self.cmd = section, config, name, cmd
        self.kind = kind  # "ns" (lower is better) or "B/s" (higher is better)
        self.baseline, self.note = baseline, note
        self.values = []


def first_line(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout + out.stderr).strip().splitlines()[0]
    except Exception as e:  # noqa: BLE001 - just a description
        return f"? ({e})"


def machine(a):
    cpu = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    def fs(path):
        out = subprocess.run(["df", "--output=fstype", path], capture_output=True, text=True).stdout.split()
        return out[-1] if out else "?"
    soft = open("/proc/sys/fs/pipe-user-pages-soft").read().strip()
    maxsz = open("/proc/sys/fs/pipe-max-size").read().strip()
    return [
        ("date (UTC)", datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M")),
        ("machine", f"{os.cpu_count()} CPUs (`nproc`), {cpu}, Linux {platform.release()}"),
        ("file systems", f"/dev/shm: {fs('/dev/shm')}, /tmp: {fs('/tmp')}"),
        ("pipes", f"pipe-max-size {maxsz} B, pipe-user-pages-soft {soft} pages"),
        ("JDK 22+", first_line([a.jdk22 + "/bin/java", "-version"])),
        ("JDK 17", first_line([a.java17, "-version"])),
        ("C compiler", first_line(["gcc", "--version"])),
        ("Python", first_line([sys.executable, "--version"])),
        ("load average at start", open("/proc/loadavg").read().split()[0]),
    ]


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


def measure(cmd, repeats):
    if cmd[0] == "@time" and "FirstUse" in cmd:
        repeats = max(repeats, 11)  # ~100 ms each, noisy: more runs for the median
    if cmd[0] == "@time":  # wall time of the command itself, median of a few runs
        times, cpu = [], []
        for _ in range(repeats):
            t0 = time.perf_counter_ns()
            p = subprocess.Popen(cmd[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            _, status, usage = os.wait4(p.pid, 0)
            times.append(time.perf_counter_ns() - t0)
            p.returncode = os.waitstatus_to_exitcode(status)
            if p.returncode != 0:
                raise RuntimeError(f"{' '.join(cmd[1:8])}… failed ({p.returncode})")
            cpu.append((usage.ru_utime + usage.ru_stime) * 1e9)  # all its threads: less hit by the neighbours
        CPU_TIMES.setdefault(tuple(cmd), []).append(statistics.median(cpu))
        return statistics.median(times)
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if out.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd[:8])}… failed ({out.returncode}): {out.stderr.strip()[-800:]}")
    return float(out.stdout.strip().splitlines()[-1])


def scale_rows(a, smoke):
    """N FIFOs open at once, tempfifo FFM and C alternating; per-FIFO create and close/remove."""
    j25 = compare_ffm(a)
    rows = []
    for n in ([1, 100] if smoke else [1, 100, 1000, 10000]):
        java, c = [], []
        for _ in range(1 if smoke else 3):
            out = subprocess.run(j25 + ["scale", "/dev/shm", str(n)], capture_output=True, text=True, check=True, timeout=600)
            java.append([float(x) for x in out.stdout.split()])
            out = subprocess.run([a.fifobench, "scale", "/dev/shm", str(n)], capture_output=True, text=True, check=True, timeout=600)
            c.append([float(x) for x in out.stdout.split()])
        jm = [statistics.median(v[i] for v in java) for i in range(3)]
        cm = [statistics.median(v[i] for v in c) for i in range(2)]
        rows.append((n, jm[0], jm[1], cm[0], cm[1], jm[2] if n >= 100 else None))
    return rows


def fmt_value(kind, v):
    if kind == "ns":
        return f"{v / 1000:,.1f}" if v < 10_000_000 else f"{v / 1e6:,.2f} ms"
    return f"{v / GIB:.2f}"


def table(section_comps, kind):
    unit = "µs" if kind == "ns" else "GiB/s"
    base = next(c for c in section_comps if c.baseline)
    unit = unit if kind != "ns" else "µs (ms where said)"
    lines = [f"| competitor | median {unit} | min–max {unit} | ratio to {base.name.split(':')[0]} (median, min–max) |",
             "|---|---:|---:|---:|"]
    for c in section_comps:
        ratios = [v / b for v, b in zip(c.values, base.values)]
        lines.append(f"| {c.name} | {fmt_value(kind, statistics.median(c.values))} | "
                     f"{fmt_value(kind, min(c.values))}–{fmt_value(kind, max(c.values))} | "
                     f"{statistics.median(ratios):.2f}× ({min(ratios):.2f}–{max(ratios):.2f}) |")
    return lines


TITLES = {
    "create": "Create + remove one private FIFO (lower is better; ratio = time / C's time)",
    "throughput": "Throughput, 64 KiB writes, writer → FIFO → reader: C two processes, Java two threads unless said (higher is better; ratio = rate / C default pipe's rate)",
    "feed": "Feeding a file into a FIFO (higher is better; ratio = rate / C read/write loop's rate)",
    "psub": "Process substitution, per run of the program (lower is better; ratio = time / a plain ProcessBuilder run)",
    "startup": "Command start-up (lower is better; ratio = time / java Hello's time)",
    "firstuse": "First use in a fresh JVM (lower is better; ratio = time / a JVM making one bare FFM downcall)",
    "vt": "Many streams at once on virtual threads (higher is better; ratio = rate / platform threads' rate)",
}

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


def targets_table(comps):
    lines = ["| # | target | ratio per round: median (min–max) | bound | met? |", "|---|---|---:|---:|---|"]
    for num, what, sec, cfg, top, bottom, op, bound in TARGETS:
        def find(name):
            m = [c for c in comps if c.section == sec and c.name == name and (cfg is None or c.config == cfg)]
            return m[0] if m else None
        t, b = find(top), find(bottom)
        if not t or not b or not t.values:
            continue
        ratios = [x / y for x, y in zip(t.values, b.values)]
        med = statistics.median(ratios)
        met = med <= bound if op == "<=" else med >= bound
        lines.append(f"| {num} | {what} | **{med:.2f}×** ({min(ratios):.2f}–{max(ratios):.2f}) | {op} {bound}× | {'yes' if met else 'no'} |")
    return lines if len(lines) > 2 else []


def chart(a, comps, outdir, smoke):
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("note: gnuplot not found: charts skipped (Debian: apt-get install gnuplot-nox)", file=sys.stderr)
        return []
    made = []
    for sec, ylabel, fname, log in (("create", "µs per FIFO (log scale)", "performance-create.png", True),
                                    ("throughput", "GiB/s", "performance-throughput.png", False),
                                    ("feed", "GiB/s", "performance-feed.png", False)):
        cs = [c for c in comps if c.section == sec]
        if not cs:
            continue
        configs = list(dict.fromkeys(c.config for c in cs))
        names = list(dict.fromkeys(c.name for c in cs))
        dat = os.path.join(outdir, fname.replace(".png", ".dat"))
        with open(dat, "w") as f:
            f.write("name\t" + "\t".join(f'"{x}"' for x in configs) + "\n")
            for n in names:
                row = []
                for cfg in configs:
                    m = [c for c in cs if c.name == n and c.config == cfg]
                    v = statistics.median(m[0].values) if m else float("nan")
                    row.append(f"{v / 1000:.3f}" if sec == "create" else f"{v / GIB:.3f}")
                label = n.replace('"', "'").replace("`", "")
                f.write(f'"{label}"\t' + "\t".join(row) + "\n")
        png = os.path.join(outdir, fname)
        cols = " , ".join(f"'{dat}' using {i + 2}:xtic(1) title columnheader({i + 2})" for i in range(len(configs)))
        script = f"""
set terminal pngcairo size 1200,700 font ',9' noenhanced
set output '{png}'
set title "{TITLES[sec].split(' (')[0]}{' (smoke run: not representative)' if smoke else ''}"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set ylabel '{ylabel}'
set xtics rotate by -30 scale 0
set key top right
set grid ytics
set bmargin 16
set rmargin 12
{'set logscale y' if log else 'set yrange [0:*]'}
plot {cols}
"""
        gp = png.replace(".png", ".gp")
        with open(gp, "w") as f:
            f.write(script)
        r = subprocess.run([gnuplot, gp], capture_output=True, text=True)
        if r.returncode != 0 or not os.path.exists(png):
            print(f"note: gnuplot failed for {fname}: {r.stderr.strip()[:300]}", file=sys.stderr)
            continue
        made.append(png)
    return made


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--jdk22", required=True)
    p.add_argument("--java17", required=True)
    p.add_argument("--fifobench", required=True)
    p.add_argument("--jar", required=True)
    p.add_argument("--hello", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--smoke", action="store_true")
    p.add_argument("--rounds", type=int)
    p.add_argument("--no-build", action="store_true")
    p.add_argument("--no-docs", action="store_true")
    p.add_argument("--only", default="")
    p.add_argument("--cmdline", default="bench/compare.sh")
    p.add_argument("--firstuse", required=True)
    p.add_argument("--warmup-ms", type=int, default=0,
                   help="JVM warm-up per measuring process (default 2000; on a loaded machine the JIT needs longer)")
    p.add_argument("--write-docs", action="store_true", help="with --only: still rewrite docs/performance.md's results")
    p.add_argument("--dirs", default="", help="create section: only these directories (comma-separated)")
    a = p.parse_args()
    a.root = os.getcwd()
    a.dirs = set(filter(None, a.dirs.split(",")))
    smoke = a.smoke
    rounds = a.rounds or (2 if smoke else 5)
    a.warmup = a.warmup_ms if a.warmup_ms else (100 if smoke else 2000)
    only = set(filter(None, a.only.split(",")))
    # the file to feed: on the default temp dir's file system, in the page cache
    a.feed_file = os.path.join(a.out, "feed-smoke.bin" if smoke else "feed.bin")
    size = (8 << 20) if smoke else (512 << 20)
    if not os.path.exists(a.feed_file) or os.path.getsize(a.feed_file) != size:
        with open(a.feed_file, "wb") as f:
            for _ in range(size >> 20):
                f.write(os.urandom(1 << 20))
    a.feed_file = os.path.abspath(a.feed_file)

    info = machine(a)
    comps = [c for c in competitors(a, smoke) if not only or c.section in only]
    if any(c.section == "startup" for c in comps):
        # bin/tempfifo builds its jar (and AOT cache) on first use: not part of any timing
        subprocess.run([os.path.join(a.root, "bin", "tempfifo"), "--version"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=900)
    sections = list(dict.fromkeys(c.section for c in comps))
    t_start = time.time()
    for rnd in range(rounds):
        for sec in sections:
            cs = [c for c in comps if c.section == sec]
            if rnd % 2:
                cs = cs[::-1]  # A B C, then C B A: drift hits every competitor alike
            for c in cs:
                c.values.append(measure(c.cmd, 3 if smoke else 5))
                print(f"round {rnd + 1}/{rounds}  {sec:10} {c.config[:24]:24} {c.name[:60]:60} "
                      f"{fmt_value(c.kind, c.values[-1])}", file=sys.stderr, flush=True)
    scale = scale_rows(a, smoke) if (not only or "scale" in only) else []

    cmdline = a.cmdline
    md = [f"Produced by `{cmdline.strip()}` in {time.time() - t_start:.0f} s: {rounds} rounds, each competitor "
          "once per round in alternating order; each value is one process's median of 5 timed batches "
          "after its warm-up. Ratios are taken per round against the baseline of the same round.", ""]
    md += [f"- **{k}**: {v}" for k, v in info]
    targets = targets_table(comps)
    fu = [c for c in comps if c.section == "firstuse" and tuple(c.cmd) in CPU_TIMES]
    if fu:
        base = next(c for c in fu if c.baseline)
        bcpu = CPU_TIMES[tuple(base.cmd)]
        cpu_lines = ["", "CPU time (user + system, all threads of the JVM; a machine shared with other jobs stretches "
                     "wall time far more than CPU time) of the same runs:", "",
                     "| competitor | median CPU ms | ratio to the bare downcall (median, min–max) |", "|---|---:|---:|"]
        for c in fu:
            v = CPU_TIMES[tuple(c.cmd)]
            r = [x / y for x, y in zip(v, bcpu)]
            cpu_lines.append(f"| {c.name} | {statistics.median(v) / 1e6:.1f} | {statistics.median(r):.2f}× ({min(r):.2f}–{max(r):.2f}) |")
    else:
        cpu_lines = []
    if targets:
        md += ["", "#### Targets of issue 11 (ratios per round against the baseline measured in the same round)", ""] + targets
    for sec in sections:
        md += ["", f"#### {TITLES[sec]}"]
        for cfg in dict.fromkeys(c.config for c in comps if c.section == sec):
            cs = [c for c in comps if c.section == sec and c.config == cfg]
            md += ["", f"*{cfg}*", ""] + table(cs, cs[0].kind)
        if sec == "firstuse":
            md += cpu_lines
    if scale:
        md += ["", "#### Scale: N FIFOs open at once (tempfifo FFM and C, /dev/shm; bursts repeated up to 20,000 "
               f"FIFOs, median of {1 if smoke else 3} runs each, alternating)", "",
               "| N open | tempfifo create µs | tempfifo close µs | C create µs | C remove µs | tempfifo/C (create+close) | heap bytes per open TempFifo |",
               "|---:|---:|---:|---:|---:|---:|---:|"]
        for n, cr, cl, ccr, crm, heap in scale:
            md.append(f"| {n:,} | {cr / 1000:.1f} | {cl / 1000:.1f} | {ccr / 1000:.1f} | {crm / 1000:.1f} | "
                      f"{(cr + cl) / (ccr + crm):.2f}× | {'' if heap is None else f'{heap:,.0f}'} |")
    charts = chart(a, comps, a.out, smoke)
    text = "\n".join(md) + "\n"
    with open(os.path.join(a.out, "results.md"), "w") as f:
        f.write(text)
    print(text)
    if not smoke and not a.no_docs and (not only or a.write_docs):
        doc = os.path.join(a.root, "docs", "performance.md")
        os.makedirs(os.path.dirname(doc), exist_ok=True)
        begin, end = "<!-- compare.sh:begin (generated: do not edit) -->", "<!-- compare.sh:end -->"
        old = open(doc).read() if os.path.exists(doc) else "# Performance\n\n## Results\n\n" + begin + "\n" + end + "\n"
        if begin not in old:
            old += "\n" + begin + "\n" + end + "\n"
        new = re.sub(re.escape(begin) + r".*?" + re.escape(end),
                     lambda _: begin + "\n" + text + "\n" + "\n".join(
                         f"![{os.path.basename(c)}]({os.path.basename(c)})" for c in charts) + "\n" + end,
                     old, flags=re.S)
        with open(doc, "w") as f:
            f.write(new)
        for c in charts:
            shutil.copy(c, os.path.join(a.root, "docs", os.path.basename(c)))
        print(f"wrote docs/performance.md and {len(charts)} chart(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
