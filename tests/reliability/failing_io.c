/* failing_io.c: a failing file layer for the disk-error tests, loaded with LD_PRELOAD.
 *
 * While the flag file named by LVVDESK_FAIL_FLAG exists, writes to files inside the folder
 * LVVDESK_FAIL_DIR (and syncs of the folder itself) fail as on a full or failing disk:
 * write, pwrite, pwrite64, writev, fsync, fdatasync, ftruncate and ftruncate64 return -1
 * with errno LVVDESK_FAIL_ERRNO (28, ENOSPC, unless set; 5 is EIO). Reads, opens (a full
 * disk still lets an empty file be made), renames, deletes and every other file are left
 * alone, so the process can go on reading what it has.
 *
 * Optional settings:
 *   LVVDESK_FAIL_AFTER  a byte budget: while the flag exists this many bytes are still
 *                       written before writes fail, so a commit can fail part-way, with a
 *                       short (partial) write where the budget runs out. Default 0.
 *                       A flag file holding a number sets the budget for that flag.
 *   LVVDESK_FAIL_NAME   only files with exactly this name (e.g. "vault.db") fail.
 *
 * The budget starts afresh each time a flag file appears (a new file, or one rewritten).
 * A call on a file descriptor costs one stat of the flag, plus one readlink of
 * /proc/self/fd/N while the flag exists; the shared state sits behind one mutex.
 *
 * Build: cc -shared -fPIC -O2 -o failing_io.so failing_io.c -ldl -lpthread
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <unistd.h>

typedef ssize_t (*write_fn)(int, const void *, size_t);
typedef ssize_t (*pwrite_fn)(int, const void *, size_t, off_t);
typedef ssize_t (*pwrite64_fn)(int, const void *, size_t, off64_t);
typedef ssize_t (*writev_fn)(int, const struct iovec *, int);
typedef int (*sync_fn)(int);
typedef int (*truncate_fn)(int, off_t);
typedef int (*truncate64_fn)(int, off64_t);

static write_fn real_write;
static pwrite_fn real_pwrite;
static pwrite64_fn real_pwrite64;
static writev_fn real_writev;
static sync_fn real_fsync;
static sync_fn real_fdatasync;
static truncate_fn real_ftruncate;
static truncate64_fn real_ftruncate64;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Settings, read once. */
static char fail_dir[PATH_MAX];
static size_t fail_dir_len;
static char fail_flag[PATH_MAX];
static const char *fail_name;
static int fail_errno = 28;
static unsigned long long default_budget;

/* The current flag: which file it is, and how much of its budget is left. */
static struct {
    dev_t dev;
    ino_t ino;
    struct timespec mtime;
    int present;
    unsigned long long left;
} flag;

static void init(void) {
    real_write = (write_fn)dlsym(RTLD_NEXT, "write");
    real_pwrite = (pwrite_fn)dlsym(RTLD_NEXT, "pwrite");
    real_pwrite64 = (pwrite64_fn)dlsym(RTLD_NEXT, "pwrite64");
    real_writev = (writev_fn)dlsym(RTLD_NEXT, "writev");
    real_fsync = (sync_fn)dlsym(RTLD_NEXT, "fsync");
    real_fdatasync = (sync_fn)dlsym(RTLD_NEXT, "fdatasync");
    real_ftruncate = (truncate_fn)dlsym(RTLD_NEXT, "ftruncate");
    real_ftruncate64 = (truncate64_fn)dlsym(RTLD_NEXT, "ftruncate64");

    const char *dir = getenv("LVVDESK_FAIL_DIR");
    const char *flag_path = getenv("LVVDESK_FAIL_FLAG");
    /* The folder as the kernel names it (readlink gives resolved paths). */
    if (dir && flag_path && realpath(dir, fail_dir) && strlen(flag_path) < PATH_MAX) {
        fail_dir_len = strlen(fail_dir);
        strcpy(fail_flag, flag_path);
    }
    const char *code = getenv("LVVDESK_FAIL_ERRNO");
    if (code && atoi(code) > 0) fail_errno = atoi(code);
    const char *after = getenv("LVVDESK_FAIL_AFTER");
    if (after) default_budget = strtoull(after, NULL, 10);
    fail_name = getenv("LVVDESK_FAIL_NAME");
}

/* The budget a new flag file sets: the number it holds, else LVVDESK_FAIL_AFTER. Read
 * with the real read (not interposed), once per flag. */
static unsigned long long flag_budget(void) {
    char text[32] = {0};
    FILE *f = fopen(fail_flag, "r");
    if (!f) return default_budget;
    size_t got = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    char *end;
    unsigned long long value = strtoull(text, &end, 10);
    return (got && end != text) ? value : default_budget;
}

/* True when fd is a file in the failing folder (and has the failing name, if one is set). */
static int targeted(int fd) {
    char link[64], path[PATH_MAX];
    snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(link, path, sizeof path - 1);
    if (n < (ssize_t)fail_dir_len) return 0;
    path[n] = '\0';
    if (memcmp(path, fail_dir, fail_dir_len) != 0) return 0;
    if (path[fail_dir_len] != '/' && path[fail_dir_len] != '\0') return 0;
    if (fail_name) {
        const char *base = strrchr(path, '/');
        return strcmp(base ? base + 1 : path, fail_name) == 0;
    }
    return 1;
}

/* How many of `want` bytes may be written to fd now: `want` when nothing fails, fewer for
 * a short write where the budget runs out, or -1 (errno set) when the call must fail.
 * `want` 0 stands for fsync and ftruncate, which fail once the budget is spent. */
static ssize_t allowance(int fd, size_t want) {
    pthread_once(&once, init);
    if (!fail_dir_len) return (ssize_t)want;
    int saved = errno;
    struct stat st;
    if (stat(fail_flag, &st) != 0) {
        __atomic_store_n(&flag.present, 0, __ATOMIC_RELAXED); /* no lock: the common path */
        errno = saved;
        return (ssize_t)want;
    }
    if (!targeted(fd)) {
        errno = saved;
        return (ssize_t)want;
    }
    ssize_t allowed;
    pthread_mutex_lock(&lock);
    if (!__atomic_load_n(&flag.present, __ATOMIC_RELAXED) || flag.dev != st.st_dev || flag.ino != st.st_ino ||
        flag.mtime.tv_sec != st.st_mtim.tv_sec || flag.mtime.tv_nsec != st.st_mtim.tv_nsec) {
        flag.present = 1;
        flag.dev = st.st_dev;
        flag.ino = st.st_ino;
        flag.mtime = st.st_mtim;
        flag.left = flag_budget();
    }
    if (flag.left == 0) {
        allowed = -1;
    } else {
        allowed = (ssize_t)(want < flag.left ? want : flag.left);
        flag.left -= (unsigned long long)allowed;
    }
    pthread_mutex_unlock(&lock);
    if (allowed < 0) {
        errno = fail_errno;
        return -1;
    }
    errno = saved;
    return allowed;
}

ssize_t write(int fd, const void *buf, size_t count) {
    ssize_t n = allowance(fd, count);
    return n < 0 ? -1 : real_write(fd, buf, (size_t)n);
}

ssize_t pwrite(int fd, const void *buf, size_t count, off_t offset) {
    ssize_t n = allowance(fd, count);
    return n < 0 ? -1 : real_pwrite(fd, buf, (size_t)n, offset);
}

ssize_t pwrite64(int fd, const void *buf, size_t count, off64_t offset) {
    ssize_t n = allowance(fd, count);
    return n < 0 ? -1 : real_pwrite64(fd, buf, (size_t)n, offset);
}

ssize_t writev(int fd, const struct iovec *iov, int iovcnt) {
    size_t total = 0;
    for (int i = 0; i < iovcnt; i++) total += iov[i].iov_len;
    ssize_t n = allowance(fd, total);
    if (n < 0) return -1;
    if ((size_t)n == total || iovcnt <= 0 || iovcnt > IOV_MAX) return real_writev(fd, iov, iovcnt);
    /* A short write: the same buffers, cut off where the budget ends. */
    struct iovec cut[iovcnt];
    int used = 0;
    size_t room = (size_t)n;
    for (int i = 0; i < iovcnt && room; i++, used++) {
        cut[i] = iov[i];
        if (cut[i].iov_len > room) cut[i].iov_len = room;
        room -= cut[i].iov_len;
    }
    return real_writev(fd, cut, used);
}

int fsync(int fd) { return allowance(fd, 0) < 0 ? -1 : real_fsync(fd); }

int fdatasync(int fd) { return allowance(fd, 0) < 0 ? -1 : real_fdatasync(fd); }

int ftruncate(int fd, off_t length) {
    return allowance(fd, 0) < 0 ? -1 : real_ftruncate(fd, length);
}

int ftruncate64(int fd, off64_t length) {
    return allowance(fd, 0) < 0 ? -1 : real_ftruncate64(fd, length);
}
