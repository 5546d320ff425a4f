/*
 * alloc_fail.h - allocation-failure injection for the tests, in the manner
 * of SQLite's malloc tests and curl's torture runs.
 *
 * An executable linked with alloc_fail.c and
 *   -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc,--wrap=strdup,--wrap=free
 * sends every allocation that statically linked code makes (dealgraph's
 * library and CLI, and igraph when it is linked statically) through the
 * wrappers in alloc_fail.c. Shared libraries (cgraph, gvc, jansson, libc)
 * are not wrapped; jansson can be routed through them with
 * json_set_alloc_funcs(__wrap_malloc, __wrap_free).
 *
 * While armed, the wrappers count allocations, make the chosen one fail
 * (and, when persistent, every one after it), and keep the set of blocks
 * allocated and not yet freed.
 */
#ifndef DG_TEST_ALLOC_FAIL_H
#define DG_TEST_ALLOC_FAIL_H

#include <stdbool.h>
#include <stddef.h>

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t n);
char *__wrap_strdup(const char *s);
void __wrap_free(void *p);

/* Starts counting from zero with no block live. Allocation `fail_at`
 * (1-based; 0 = none) fails, and with `persistent` every later one too.
 * ALLOC_BACKTRACE=N in the environment prints where allocation N is made
 * when it fails (read the addresses with addr2line). */
void alloc_fail_arm(long fail_at, bool persistent);
/* Stops counting and tracking; the figures below stay readable. */
void alloc_fail_disarm(void);

long alloc_fail_calls(void);   /* allocations asked for while armed */
bool alloc_fail_failed(void);  /* the chosen allocation was reached */
size_t alloc_fail_live(void);  /* blocks allocated while armed, not freed */
/* More blocks were live at once than the tracker holds (the live count is
 * then a lower bound, and a test should fail). */
bool alloc_fail_overflowed(void);

#endif
