/*
 * A slow disk on demand: LD_PRELOAD this library and every forced write to a file under
 * SLOWDISK_DIR takes SLOWDISK_DELAY_US microseconds longer. A forced write is a write to a file
 * opened with O_DSYNC or O_SYNC (Derby's transaction log, opened "rwd"), or an fsync/fdatasync of
 * a file under the directory (Derby's checkpoints). Other files and sockets are untouched.
 *
 * The delay sleeps rather than spins, as a real disk would leave the CPU free; the thread's timer
 * slack is set to 1 ns so the sleep is not rounded up by the default 50 us.
 *
 *   gcc -shared -fPIC -O2 -o libslowdisk.so slowdisk.c -ldl
 *   SLOWDISK_DIR=/path/to/db SLOWDISK_DELAY_US=1000 LD_PRELOAD=$PWD/libslowdisk.so java ...
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#define MAX_FD 65536
#define UNDER_DIR 1
#define SYNCED 2

static char dir[PATH_MAX];
static size_t dir_length;
static long delay_ns;
static unsigned char kind[MAX_FD];
static __thread int slack_set;

static int (*real_openat)(int, const char *, int, ...);
static int (*real_openat64)(int, const char *, int, ...);
static int (*real_close)(int);
static ssize_t (*real_write)(int, const void *, size_t);
static ssize_t (*real_pwrite)(int, const void *, size_t, off_t);
static ssize_t (*real_pwrite64)(int, const void *, size_t, off_t);
static ssize_t (*real_writev)(int, const struct iovec *, int);
static int (*real_fsync)(int);
static int (*real_fdatasync)(int);

__attribute__((constructor)) static void init(void) {
    real_openat = dlsym(RTLD_NEXT, "openat");
    real_openat64 = dlsym(RTLD_NEXT, "openat64");
    real_close = dlsym(RTLD_NEXT, "close");
    real_write = dlsym(RTLD_NEXT, "write");
    real_pwrite = dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = dlsym(RTLD_NEXT, "pwrite64");
    real_writev = dlsym(RTLD_NEXT, "writev");
    real_fsync = dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = dlsym(RTLD_NEXT, "fdatasync");
    const char *d = getenv("SLOWDISK_DIR");
    const char *us = getenv("SLOWDISK_DELAY_US");
    if (d && us && realpath(d, dir)) {
        dir_length = strlen(dir);
        delay_ns = atol(us) * 1000L;
    }
}

static void delay(void) {
    if (!slack_set) {
        prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
        slack_set = 1;
    }
    struct timespec t = {delay_ns / 1000000000L, delay_ns % 1000000000L};
    while (nanosleep(&t, &t) != 0) {
    }
}

static void opened(int fd, const char *path, int flags) {
    if (fd < 0 || fd >= MAX_FD) {
        return;
    }
    kind[fd] = 0;
    char resolved[PATH_MAX];
    if (delay_ns > 0 && realpath(path, resolved) && strncmp(resolved, dir, dir_length) == 0
            && (resolved[dir_length] == '/' || resolved[dir_length] == 0)) {
        kind[fd] = UNDER_DIR | ((flags & (O_DSYNC | O_SYNC)) ? SYNCED : 0);
    }
}

static void after_write(int fd, ssize_t written) {
    if (written > 0 && fd >= 0 && fd < MAX_FD && (kind[fd] & SYNCED)) {
        delay();
    }
}

static void after_sync(int fd, int result) {
    if (result == 0 && fd >= 0 && fd < MAX_FD && (kind[fd] & UNDER_DIR)) {
        delay();
    }
}

static mode_t mode_of(int flags, va_list args) {
    return (flags & (O_CREAT | O_TMPFILE)) ? va_arg(args, mode_t) : 0;
}

/* openat and openat64 differ only in their name; open and open64 are openat(AT_FDCWD, ...). */
#define OPEN_WRAPPER(name, real, params, args)                 \
    int name params {                                          \
        va_list list;                                          \
        va_start(list, flags);                                 \
        mode_t mode = mode_of(flags, list);                    \
        va_end(list);                                          \
        int fd = real args;                                    \
        if (path[0] == '/' || at == AT_FDCWD) {                \
            opened(fd, path, flags);                           \
        }                                                      \
        return fd;                                             \
    }

OPEN_WRAPPER(openat, real_openat, (int at, const char *path, int flags, ...), (at, path, flags, mode))
OPEN_WRAPPER(openat64, real_openat64, (int at, const char *path, int flags, ...), (at, path, flags, mode))

int open(const char *path, int flags, ...) {
    va_list list;
    va_start(list, flags);
    mode_t mode = mode_of(flags, list);
    va_end(list);
    return openat(AT_FDCWD, path, flags, mode);
}

int open64(const char *path, int flags, ...) {
    va_list list;
    va_start(list, flags);
    mode_t mode = mode_of(flags, list);
    va_end(list);
    return openat64(AT_FDCWD, path, flags, mode);
}

int close(int fd) {
    if (fd >= 0 && fd < MAX_FD) {
        kind[fd] = 0;
    }
    return real_close(fd);
}

ssize_t write(int fd, const void *buffer, size_t count) {
    ssize_t written = real_write(fd, buffer, count);
    after_write(fd, written);
    return written;
}

ssize_t pwrite(int fd, const void *buffer, size_t count, off_t offset) {
    ssize_t written = real_pwrite(fd, buffer, count, offset);
    after_write(fd, written);
    return written;
}

ssize_t pwrite64(int fd, const void *buffer, size_t count, off_t offset) {
    ssize_t written = real_pwrite64(fd, buffer, count, offset);
    after_write(fd, written);
    return written;
}

ssize_t writev(int fd, const struct iovec *vector, int count) {
    ssize_t written = real_writev(fd, vector, count);
    after_write(fd, written);
    return written;
}

int fsync(int fd) {
    int result = real_fsync(fd);
    after_sync(fd, result);
    return result;
}

int fdatasync(int fd) {
    int result = real_fdatasync(fd);
    after_sync(fd, result);
    return result;
}
