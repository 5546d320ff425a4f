/*
 * alloc_fail.c - the wrappers behind alloc_fail.h. The live blocks are an
 * open-addressing set of pointers (0 = empty slot, 1 = deleted), so that a
 * free of memory allocated before arming, or by an unwrapped library, is
 * told apart from a free of a tracked block.
 */
#include "alloc_fail.h"

#include <execinfo.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t n);
char *__real_strdup(const char *s);
void __real_free(void *p);

static bool armed;      /* counting and tracking */
static long calls;      /* allocations since armed */
static long fail_at;    /* the allocation that fails; 0 = none */
static bool persistent; /* ... and every one after it */
static bool failed;     /* it was reached */
static bool overflow;   /* the tracker was full */

#define SLOTS (1u << 18)
static uintptr_t live[SLOTS];
static size_t nlive, used;

static size_t slot_of(uintptr_t p)
{
    return (size_t)((p >> 4) * 0x9e3779b97f4a7c15ull >> 46) & (SLOTS - 1);
}

static void track(void *p)
{
    if (!p)
        return;
    if (used >= SLOTS / 2) {
        overflow = true;
        return;
    }
    size_t h = slot_of((uintptr_t)p);
    while (live[h] > 1)
        h = (h + 1) & (SLOTS - 1);
    if (live[h] == 0)
        used++;
    live[h] = (uintptr_t)p;
    nlive++;
}

static void untrack(void *p)
{
    if (!p)
        return;
    for (size_t h = slot_of((uintptr_t)p); live[h]; h = (h + 1) & (SLOTS - 1)) {
        if (live[h] == (uintptr_t)p) {
            live[h] = 1;
            nlive--;
            return;
        }
    }
}

static void print_backtrace(void)
{
    const char *bt = getenv("ALLOC_BACKTRACE");
    if (!bt || atol(bt) != calls)
        return;
    void *frames[16];
    int n = backtrace(frames, 16);
    fprintf(stderr, "allocation %ld fails:\n", calls);
    backtrace_symbols_fd(frames, n, 2);
}

static bool fail_now(void)
{
    if (!armed)
        return false;
    calls++;
    if (calls == fail_at) {
        failed = true;
        print_backtrace();
        return true;
    }
    return persistent && fail_at && calls > fail_at;
}

void *__wrap_malloc(size_t n)
{
    if (fail_now())
        return NULL;
    void *p = __real_malloc(n);
    if (armed)
        track(p);
    return p;
}

void *__wrap_calloc(size_t n, size_t size)
{
    if (fail_now())
        return NULL;
    void *p = __real_calloc(n, size);
    if (armed)
        track(p);
    return p;
}

void *__wrap_realloc(void *p, size_t n)
{
    if (fail_now())
        return NULL; /* p stays valid and still belongs to the caller */
    void *q = __real_realloc(p, n);
    if (armed && q) {
        untrack(p);
        track(q);
    }
    return q;
}

char *__wrap_strdup(const char *s)
{
    if (fail_now())
        return NULL;
    char *p = __real_strdup(s);
    if (armed)
        track(p);
    return p;
}

void __wrap_free(void *p)
{
    if (armed)
        untrack(p);
    __real_free(p);
}

void alloc_fail_arm(long n, bool every_later)
{
    if (used > SLOTS / 4) {
        memset(live, 0, sizeof live);
        used = 0;
    }
    nlive = 0;
    calls = 0;
    fail_at = n;
    persistent = every_later;
    failed = false;
    overflow = false;
    armed = true;
}

void alloc_fail_disarm(void) { armed = false; }
long alloc_fail_calls(void) { return calls; }
bool alloc_fail_failed(void) { return failed; }
size_t alloc_fail_live(void) { return nlive; }
bool alloc_fail_overflowed(void) { return overflow; }
