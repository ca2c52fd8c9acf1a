/* peel-run.h: the peel command run as a user runs it, for the tests that check its output:
 * the binary named by $PEEL (meson test sets it), with TZ=UTC and LC_ALL=C.UTF-8 as its
 * environment, plus the sanitizers' settings (ASAN_OPTIONS ... TSAN_OPTIONS, G_SLICE). */
#pragma once

#include <glib.h>
#include <stdbool.h>

typedef struct {
    int status; /* the exit status */
    char *out;  /* standard output */
    char *err;  /* standard error */
} PeelRun;

/* Runs peel with the NULL-terminated `args`; asserts that it ran and exited (never a
 * crash). Free the texts with peel_run_clear. */
PeelRun peel_run(const char *const *args);
void peel_run_clear(PeelRun *r);
/* The same with the raw wait status in *status (for g_spawn_check_wait_status) and the
 * standard error in *err; returns the standard output. */
char *peel_run_capture(const char *const *args, int *status, char **err);
/* False, with the test skipped, when PEEL or PEEL_SOURCE_ROOT is not set. */
bool peel_run_ready(void);
/* Runs `peel -n -q -r CAPTURE -z ARG...` with the z_args up to the first NULL (at most
 * n), asserts that it succeeded and wrote nothing to standard error, and returns its
 * output. */
char *peel_run_z(const char *capture, const char *const *z_args, gsize n);
/* The path of samples/NAME in the source tree; g_free it. */
char *peel_run_sample(const char *name);
