/* Files the library writes: missing parent folders are created (as mkdir -p
 * would), and a file appears under its name only once it is complete (written
 * to a temporary file in the same folder, then renamed), so a full disk or a
 * failed write never leaves a truncated output or damages an existing one. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tr_internal.h"

/* Create @dir and its missing parents; messages begin with @who (the folder,
 * or the file it is made for). */
static tr_status mkdirs_for(const char *dir, const char *who)
{
    if (!dir || !*dir)
        return TR_FAIL(TR_E_INVAL, "folder name is empty");
    char *p = tri_strdup(dir);
    if (!p)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st = TR_OK;
    /* each prefix that ends before a '/', then the whole path */
    for (char *s = p + 1;; s++) {
        int end = *s == '\0';
        if (*s != '/' && !end)
            continue;
        char c = *s;
        *s = '\0';
        struct stat sb;
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            st = tri_fail_at(TR_E_IO, who, 0, 0, NULL, "cannot create the folder %s: %s", p, strerror(errno));
            break;
        }
        if (stat(p, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
            st = tri_fail_at(TR_E_IO, who, 0, 0, NULL, "cannot create the folder %s: it exists and is not a folder", p);
            break;
        }
        *s = c;
        if (end)
            break;
        while (s[1] == '/')
            s++;
        if (s[1] == '\0')
            break;
    }
    tri_free(p);
    return st;
}

tr_status tri_mkdirs(const char *dir) { return mkdirs_for(dir, dir); }

/* Create the folders above the file @path. */
tr_status tri_mkparents(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return TR_OK;
    char *dir = tri_strndup(path, (size_t)(slash - path));
    if (!dir)
        return TR_FAIL(TR_E_NOMEM, "out of memory");
    tr_status st = mkdirs_for(dir, path);
    tri_free(dir);
    return st;
}

/* every byte to @fd; the reason on failure */
static tr_status write_all(int fd, const char *path, const char *data, size_t len)
{
    size_t done = 0;
    while (done < len) {
        ssize_t w = write(fd, data + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return tri_fail_at(TR_E_IO, path, 0, 0, NULL, "write error: %s",
                               w < 0 ? strerror(errno) : "nothing written");
        done += (size_t)w;
    }
    return TR_OK;
}

static tr_status write_in_place(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return tri_fail_at(TR_E_IO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    tr_status st = write_all(fd, path, data, len);
    if (close(fd) != 0 && st == TR_OK)
        st = tri_fail_at(TR_E_IO, path, 0, 0, NULL, "write error: %s", strerror(errno));
    return st;
}

tr_status tri_write_file(const char *path, const char *data, size_t len)
{
    tr_status st = tri_mkparents(path);
    if (st != TR_OK)
        return st;
    struct stat sb;
    if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode))
        return tri_fail_at(TR_E_IO, path, 0, 0, NULL, "cannot write: it is a folder");
    /* a device, pipe or socket (/dev/stdout, /dev/null, a FIFO) is written in
     * place: renaming a file onto it would replace the device node */
    if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode))
        return write_in_place(path, data, len);
    /* open(O_EXCL, 0666) rather than mkstemp: the file gets the umask's
     * ordinary mode, without touching the process-wide umask */
    static _Atomic unsigned long serial;
    char *tmp = NULL;
    int fd = -1;
    for (int tries = 0; fd < 0 && tries < 100; tries++) {
        tri_free(tmp);
        tmp = tri_asprintf("%s.tmp-%ld-%lu", path, (long)getpid(), (unsigned long)serial++);
        if (!tmp)
            return TR_FAIL(TR_E_NOMEM, "out of memory");
        fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST)
            break;
    }
    if (fd < 0) {
        st = tri_fail_at(TR_E_IO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
        tri_free(tmp);
        return st;
    }
    st = write_all(fd, path, data, len);
    if (close(fd) != 0 && st == TR_OK)
        st = tri_fail_at(TR_E_IO, path, 0, 0, NULL, "write error: %s", strerror(errno));
    if (st == TR_OK && rename(tmp, path) != 0)
        st = tri_fail_at(TR_E_IO, path, 0, 0, NULL, "cannot write: %s", strerror(errno));
    if (st != TR_OK)
        unlink(tmp);
    tri_free(tmp);
    return st;
}

tr_status tr_file_write(const char *path, const char *data, size_t len)
{
    if (!path || (!data && len))
        return TR_FAIL(TR_E_INVAL, "tr_file_write: path and data must not be NULL");
    return tri_write_file(path, data ? data : "", len);
}

tr_status tr_folder_make(const char *dir)
{
    if (!dir)
        return TR_FAIL(TR_E_INVAL, "tr_folder_make: folder is NULL");
    return tri_mkdirs(dir);
}
