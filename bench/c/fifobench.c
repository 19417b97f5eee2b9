/*
 * fifobench: the C limits tempfifo is measured against (bench/compare.sh builds and runs it).
 *
 *   fifobench create DIR N                 mkdtemp+mkfifo+unlink+rmdir, N times (after N/2 to warm up):
 *                                          prints the median of 5 batches' ns per FIFO
 *   fifobench scale DIR N                  N FIFOs held at once, then removed: prints create and remove ns per FIFO
 *   fifobench pipe DIR BYTES CHUNK PIPESZ CPUW CPUR
 *                                          writer -> FIFO -> reader (two processes), CHUNK-byte
 *                                          read/write; PIPESZ>0 applies F_SETPIPE_SZ on both ends;
 *                                          CPU -1 = not pinned; prints bytes per second
 *   fifobench feed DIR FILE CHUNK CPUW CPUR [splice]
 *                                          FILE -> FIFO with a read/write loop (or splice(2)),
 *                                          drained by a reader process; prints bytes per second
 *   fifobench drain PATH CHUNK CPU         opens PATH for reading, reads to EOF; prints bytes read
 *
 * Every FIFO lives in a private mkdtemp directory, as tempfifo's do.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static void die(const char *what) {
    perror(what);
    exit(1);
}

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void pin(int cpu) {
    if (cpu < 0) return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) die("sched_setaffinity");
}

static void make_fifo(const char *dir, char *tmpl, char *path) {
    snprintf(tmpl, 4096, "%s/fifobench-XXXXXX", dir);
    if (!mkdtemp(tmpl)) die("mkdtemp");
    snprintf(path, 4096, "%s/fifo", tmpl);
    if (mkfifo(path, 0600) != 0) die("mkfifo");
}

static void remove_fifo(const char *tmpl, const char *path) {
    if (unlink(path) != 0) die("unlink");
    if (rmdir(tmpl) != 0) die("rmdir");
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *) a, y = *(const double *) b;
    return x < y ? -1 : x > y;
}

/* Warm-up, then 5 batches of n/5: prints the median batch's ns per FIFO (robust to a noisy neighbour). */
static int create(const char *dir, long n) {
    char tmpl[4096], path[4096];
    double batch[5];
    long per = n / 5 > 0 ? n / 5 : 1;
    for (long i = 0; i < n / 2 + 1; i++) {
        make_fifo(dir, tmpl, path);
        remove_fifo(tmpl, path);
    }
    for (int b = 0; b < 5; b++) {
        double t0 = now();
        for (long i = 0; i < per; i++) {
            make_fifo(dir, tmpl, path);
            remove_fifo(tmpl, path);
        }
        batch[b] = (now() - t0) * 1e9 / per;
    }
    qsort(batch, 5, sizeof batch[0], cmp_double);
    printf("%.1f\n", batch[2]);
    return 0;
}

/* N FIFOs held at once, then removed, repeated up to 20,000 FIFOs: median create and remove ns per FIFO. */
static int scale(const char *dir, long n) {
    char (*tmpl)[4096] = malloc(n * sizeof *tmpl), path[4096];
    int repeats = n >= 20000 ? 1 : (int) (20000 / n);
    double *cr = malloc(repeats * sizeof *cr), *rm = malloc(repeats * sizeof *rm);
    for (long i = 0; i < 2000; i++) { /* warm up */
        make_fifo(dir, tmpl[0], path);
        remove_fifo(tmpl[0], path);
    }
    for (int r = 0; r < repeats; r++) {
        double t0 = now();
        for (long i = 0; i < n; i++) make_fifo(dir, tmpl[i], path);
        double t1 = now();
        for (long i = 0; i < n; i++) {
            snprintf(path, sizeof path, "%s/fifo", tmpl[i]);
            remove_fifo(tmpl[i], path);
        }
        cr[r] = (t1 - t0) * 1e9 / n;
        rm[r] = (now() - t1) * 1e9 / n;
    }
    qsort(cr, repeats, sizeof *cr, cmp_double);
    qsort(rm, repeats, sizeof *rm, cmp_double);
    printf("%.1f %.1f\n", cr[repeats / 2], rm[repeats / 2]);
    return 0;
}

static long drain(const char *path, long chunk, long pipesz) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) die("open for reading");
    if (pipesz > 0) fcntl(fd, F_SETPIPE_SZ, (int) pipesz);
    char *buf = malloc(chunk);
    long total = 0;
    for (;;) {
        ssize_t r = read(fd, buf, chunk);
        if (r == 0) break;
        if (r < 0) {
            if (errno == EINTR) continue;
            die("read");
        }
        total += r;
    }
    close(fd);
    free(buf);
    return total;
}

static pid_t start_reader(const char *path, long chunk, long pipesz, int cpu, long expect) {
    pid_t pid = fork();
    if (pid < 0) die("fork");
    if (pid == 0) {
        pin(cpu);
        long got = drain(path, chunk, pipesz);
        _exit(expect >= 0 && got != expect ? 3 : 0);
    }
    return pid;
}

static void wait_reader(pid_t pid) {
    int status;
    if (waitpid(pid, &status, 0) < 0) die("waitpid");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "reader failed (status %d)\n", status);
        exit(1);
    }
}

/* Writes all n bytes of buf to fd, retrying interrupted and partial writes. */
static void write_all(int fd, const char *buf, size_t n) {
    for (size_t off = 0; off < n;) {
        ssize_t w = write(fd, buf + off, n - off);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("write");
        }
        off += w;
    }
}

/* The writer's side of a run: pins this process, starts the reader (expecting expect bytes), opens the write end. */
static int open_writer(const char *path, long chunk, long pipesz, int cpuw, int cpur, long expect, pid_t *reader,
                       double *t0) {
    pin(cpuw);
    *t0 = now();
    *reader = start_reader(path, chunk, pipesz, cpur, expect);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) die("open for writing");
    return fd;
}

/* Ends a run: closes the write end, waits for the reader, removes the FIFO, prints bytes per second. */
static int finish_writer(int fd, pid_t reader, double t0, const char *tmpl, const char *path, long bytes) {
    close(fd);
    wait_reader(reader);
    double t = now() - t0;
    remove_fifo(tmpl, path);
    printf("%.0f\n", bytes / t);
    return 0;
}

static int pipe_bench(const char *dir, long bytes, long chunk, long pipesz, int cpuw, int cpur) {
    char tmpl[4096], path[4096];
    make_fifo(dir, tmpl, path);
    char *buf = malloc(chunk);
    memset(buf, 'x', chunk);
    pid_t reader;
    double t0;
    int fd = open_writer(path, chunk, pipesz, cpuw, cpur, bytes, &reader, &t0);
    if (pipesz > 0 && fcntl(fd, F_SETPIPE_SZ, (int) pipesz) < 0) die("F_SETPIPE_SZ");
    for (long left = bytes; left > 0; left -= chunk) {
        write_all(fd, buf, left < chunk ? left : chunk);
    }
    return finish_writer(fd, reader, t0, tmpl, path, bytes);
}

static int feed(const char *dir, const char *file, long chunk, int cpuw, int cpur, int use_splice) {
    char tmpl[4096], path[4096];
    make_fifo(dir, tmpl, path);
    int in = open(file, O_RDONLY | O_CLOEXEC);
    if (in < 0) die("open file");
    struct stat st;
    fstat(in, &st);
    char *buf = malloc(chunk);
    pid_t reader;
    double t0;
    int fd = open_writer(path, chunk, 0, cpuw, cpur, st.st_size, &reader, &t0);
    long total = 0;
    for (;;) {
        ssize_t r = use_splice ? splice(in, NULL, fd, NULL, chunk, SPLICE_F_MOVE) : read(in, buf, chunk);
        if (r < 0) {
            if (errno == EINTR) continue;
            die(use_splice ? "splice" : "read file");
        }
        if (r == 0) break;
        if (!use_splice) write_all(fd, buf, r);
        total += r;
    }
    return finish_writer(fd, reader, t0, tmpl, path, total);
}

int main(int argc, char **argv) {
    if (argc >= 4 && strcmp(argv[1], "create") == 0) {
        return create(argv[2], atol(argv[3]));
    }
    if (argc == 4 && strcmp(argv[1], "scale") == 0) {
        return scale(argv[2], atol(argv[3]));
    }
    if (argc == 8 && strcmp(argv[1], "pipe") == 0) {
        return pipe_bench(argv[2], atol(argv[3]), atol(argv[4]), atol(argv[5]), atoi(argv[6]), atoi(argv[7]));
    }
    if ((argc == 7 || argc == 8) && strcmp(argv[1], "feed") == 0) {
        return feed(argv[2], argv[3], atol(argv[4]), atoi(argv[5]), atoi(argv[6]),
                    argc == 8 && strcmp(argv[7], "splice") == 0);
    }
    if (argc == 5 && strcmp(argv[1], "drain") == 0) {
        pin(atoi(argv[4]));
        printf("%ld\n", drain(argv[2], atol(argv[3]), 0));
        return 0;
    }
    fprintf(stderr, "usage: see the comment at the top of fifobench.c\n");
    return 2;
}
