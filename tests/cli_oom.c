/*
 * cli_oom.c - linked into dealgraph-oom, a build of the dealgraph
 * executable for tests/test_cli_oom.c: the same sources, with every
 * allocation of dealgraph's code and of statically linked igraph sent
 * through alloc_fail.c's wrappers, and jansson's too (main() hands jansson
 * an allocator of the CLI's, cli_json_init, whose malloc is wrapped).
 *
 * The environment says what to do:
 *   DEALGRAPH_OOM_AT=N     allocation N fails (0 or unset: none)
 *   DEALGRAPH_OOM_AT=N+    allocation N and every later one fail
 *   DEALGRAPH_OOM_REPORT=F at exit, F gets one line: the allocations asked
 *                          for, whether allocation N was reached (0 or 1),
 *                          how many blocks were still live, and whether
 *                          the tracker overflowed (0 or 1: the live count
 *                          is then only a lower bound)
 * A process that ends without writing F ended without exiting: a crash.
 */
#include "alloc_fail.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

__attribute__((constructor)) static void oom_start(void)
{
    const char *at = getenv("DEALGRAPH_OOM_AT");
    long n = at ? strtol(at, NULL, 10) : 0;
    bool every_later = at && strchr(at, '+');
    alloc_fail_arm(n > 0 ? n : 0, every_later);
}

/* Runs after main returns or exit() is called, after the atexit handlers:
 * what is live then was never freed. */
__attribute__((destructor)) static void oom_report(void)
{
    alloc_fail_disarm();
    const char *path = getenv("DEALGRAPH_OOM_REPORT");
    if (!path)
        return;
    char line[96];
    int len = snprintf(line, sizeof line, "%ld %d %zu %d\n",
                       alloc_fail_calls(), alloc_fail_failed() ? 1 : 0,
                       alloc_fail_live(), alloc_fail_overflowed() ? 1 : 0);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        return;
    if (write(fd, line, (size_t)len) != len)
        unlink(path);
    close(fd);
}
