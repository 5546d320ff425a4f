/*
 * support.h - helpers for the test suite: temporary files, running the
 * dealgraph executable, loading ledgers from text.
 */
#ifndef DG_TEST_SUPPORT_H
#define DG_TEST_SUPPORT_H

#include "dealgraph/dealgraph.h"

#include <stddef.h>
#include <sys/types.h>

/* The result of running the CLI. Strings are malloc'd (free with
 * run_free). */
typedef struct run_result {
    int status; /* exit code; 128 + signal when killed */
    char *out, *err;
} run_result;

/* Runs $DEALGRAPH with the NULL-terminated arguments; `input` (may be
 * NULL) is written to its standard input. */
run_result run_cli(const char *const *args, const char *input);
/* The same for any program: argv[0] is its path. */
run_result run_argv(char *const *argv, const char *input);
void run_free(run_result *r);
/* The argument vector run_cli executes: $DEALGRAPH (or "dealgraph")
 * followed by `args`, NULL-terminated; free with cli_argv_free. */
char **cli_argv(const char *const *args);
void cli_argv_free(char **argv);
/* Waits for a child; its exit code, or 128 + signal when killed. */
int wait_exit(pid_t pid);
/* Reads `fd` to its end (or to an error such as EIO from a closed
 * terminal); malloc'd, NUL-terminated. */
char *read_fd(int fd);
/* The first line of `s` (static buffer). */
const char *first_line(const char *s);

/* Temporary files live in fresh directories $TMPDIR/dgtest.XXXXXX (or
 * /tmp/...), removed with all they hold when the process that made them
 * exits (each Criterion test runs in a worker process of its own). */

/* Writes `text` to a new file named `name` in a fresh temporary
 * directory; returns its malloc'd path. */
char *temp_file(const char *name, const char *text);
/* A fresh temporary directory (malloc'd path). */
char *temp_dir(void);
/* Removes a directory temp_dir made, and all it holds, now. */
void remove_temp_dir(const char *dir);
/* Writes a file at dir/name. Returns the malloc'd path. */
char *write_file(const char *dir, const char *name, const char *text);
/* Reads a whole file (malloc'd), NULL when missing. */
char *read_all(const char *path);

/* The toy ledger of REFERENCE-VALUES.md (tests/cases/reference-toy.dot),
 * read once; valid until the process ends. The file holds the DOT exactly
 * as REFERENCE-VALUES.md gives it, with no comment: tests name its lines. */
const char *reference_toy(void);

/* The path of a file in the source tree ($SRCDIR/rel), malloc'd. */
char *src_path(const char *rel);

/* Loads a ledger from DOT text written to a temp file named `name`.
 * Diagnostics go to *d (initialised here). */
dg_ledger *load_dot_text(const char *text, dg_diags *d);
/* The same for text that must load: a failed assertion (with the first
 * error) when it does not. */
dg_ledger *must_load_dot(const char *text);
/* The index of company `name`; a failed assertion when there is none. */
size_t must_find(const dg_ledger *l, const char *name);
dg_ledger *load_csv_text(const char *deals, const char *companies,
                         dg_diags *d);
/* The message of the first error in d, as "LINE: message"; "" if none. */
const char *first_error(const dg_diags *d);
/* True when some diagnostic of severity sev contains `part`. */
int has_diag(const dg_diags *d, dg_severity sev, const char *part);

#endif
