/* export.c: files of the --export-objects reports, inside DIR, never overwriting. */
#include "export.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "report.h"

/* How many numbered names are tried before a name counts as taken for good. */
#define EXPORT_MAX_NUMBER 10000u

struct PeelExport {
    char *kind;
    char *dir;
    PeelExportNumbering numbering;
    bool dir_made;
    uint32_t n_files, skipped;
    int err; /* the first errno, 0 while every write worked */
    char *err_path;
    char *path; /* the last file written */
};

PeelExport *
peel_export_open(const char *kind, const char *arg, PeelExportNumbering numbering,
        GError **error)
{
    const char *comma = strchr(arg, ',');
    if (comma == NULL || comma[1] == '\0') {
        g_set_error(error, PEEL_STATS_ERROR, PEEL_STATS_ERROR_ARG,
                "--export-objects %s: expected %s,DIR", arg, kind);
        return NULL;
    }
    PeelExport *e = g_new0(PeelExport, 1);
    e->kind = g_strdup(kind);
    e->dir = g_strdup(comma + 1);
    e->numbering = numbering;
    return e;
}

static void
export_fail(PeelExport *e, int err, char *path)
{
    e->err = err;
    e->err_path = path;
}

bool
peel_export_make_dir(PeelExport *e)
{
    if (e->err != 0)
        return false;
    if (!e->dir_made) {
        if (g_mkdir_with_parents(e->dir, 0755) != 0) {
            export_fail(e, errno, g_strdup(e->dir));
            return false;
        }
        e->dir_made = true;
    }
    return true;
}

/* The k-th name for `name`: NAME itself, then NAME(k) or BASE(k).EXT. */
static char *
numbered(const PeelExport *e, const char *name, uint32_t k)
{
    if (k == 0)
        return g_strdup(name);
    const char *dot = e->numbering == PEEL_EXPORT_NUMBER_BEFORE_EXT ? strrchr(name, '.') : NULL;
    if (dot == NULL)
        return g_strdup_printf("%s(%u)", name, k);
    return g_strdup_printf("%.*s(%u)%s", (int)(dot - name), name, k, dot);
}

/* Opens DIR/NAME, or the next numbered name while taken: never overwrites, never follows
 * a link. */
static int
export_create(const PeelExport *e, const char *name, char **path_out)
{
    for (uint32_t k = 0; k < EXPORT_MAX_NUMBER; k++) {
        g_autofree char *n = numbered(e, name, k);
        char *path = g_build_filename(e->dir, n, NULL);
        int fd = g_open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW, 0644);
        if (fd >= 0 || errno != EEXIST) {
            *path_out = path;
            return fd;
        }
        g_free(path);
    }
    *path_out = g_build_filename(e->dir, name, NULL);
    errno = EEXIST;
    return -1;
}

/* One component: nothing that could name DIR itself, its parent or a subdirectory. */
static bool
name_is_safe(const char *name)
{
    return name[0] != '\0' && strcmp(name, ".") != 0 && strcmp(name, "..") != 0 &&
           strchr(name, '/') == NULL && strchr(name, G_DIR_SEPARATOR) == NULL;
}

const char *
peel_export_write(PeelExport *e, const char *name, const void *bytes, size_t len)
{
    if (e->err != 0)
        return NULL;
    if (e->n_files >= PEEL_EXPORT_MAX_FILES) {
        e->skipped++;
        return NULL;
    }
    if (!peel_export_make_dir(e))
        return NULL;
    e->n_files++;
    if (!name_is_safe(name)) {
        export_fail(e, EINVAL, g_build_filename(e->dir, name, NULL));
        return NULL;
    }
    char *path = NULL;
    int fd = export_create(e, name, &path);
    if (fd < 0) {
        export_fail(e, errno, path);
        return NULL;
    }
    const uint8_t *p = bytes;
    size_t done = 0;
    int err = 0;
    while (done < len) {
        ssize_t w = write(fd, p + done, len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            err = w < 0 ? errno : EIO;
            break;
        }
        done += (size_t)w;
    }
    if (close(fd) != 0 && err == 0)
        err = errno;
    if (err != 0) {
        export_fail(e, err, path);
        return NULL;
    }
    g_free(e->path);
    e->path = path;
    return path;
}

uint32_t
peel_export_count(const PeelExport *e)
{
    return e->n_files;
}

bool
peel_export_finish(PeelExport *e, const char *objects)
{
    if (e->skipped > 0)
        g_printerr("peel: --export-objects %s: %u %s past the first %u not written\n", e->kind,
                e->skipped, objects, PEEL_EXPORT_MAX_FILES);
    if (e->err != 0) {
        g_printerr("peel: %s: %s\n", e->err_path, g_strerror(e->err));
        errno = e->err;
        return false;
    }
    return true;
}

void
peel_export_close(PeelExport *e)
{
    if (e == NULL)
        return;
    g_free(e->kind);
    g_free(e->dir);
    g_free(e->err_path);
    g_free(e->path);
    g_free(e);
}
