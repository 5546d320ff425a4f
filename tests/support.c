#include "support.h"

#include <criterion/criterion.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

char *read_fd(int fd)
{
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (len + 4096 > cap) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
        ssize_t n = read(fd, buf + len, cap - len - 1);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        len += (size_t)n;
    }
    buf[len] = '\0';
    return buf;
}

char **cli_argv(const char *const *args)
{
    const char *exe = getenv("DEALGRAPH");
    size_t n = 0;
    while (args[n])
        n++;
    char **argv = calloc(n + 2, sizeof *argv);
    argv[0] = strdup(exe ? exe : "dealgraph");
    for (size_t i = 0; i < n; i++)
        argv[i + 1] = strdup(args[i]);
    return argv;
}

void cli_argv_free(char **argv)
{
    for (size_t i = 0; argv[i]; i++)
        free(argv[i]);
    free(argv);
}

int wait_exit(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

run_result run_cli(const char *const *args, const char *input)
{
    char **argv = cli_argv(args);
    run_result r = run_argv(argv, input);
    cli_argv_free(argv);
    return r;
}

run_result run_argv(char *const *argv, const char *input)
{
    run_result r = {-1, NULL, NULL};
    char *dir = temp_dir();
    char *in = write_file(dir, "stdin", input ? input : "");
    char outp[4096], errp[4096];
    snprintf(outp, sizeof outp, "%s/stdout", dir);
    snprintf(errp, sizeof errp, "%s/stderr", dir);
    pid_t pid = fork();
    if (pid == 0) {
        int fi = open(in, O_RDONLY);
        int fo = open(outp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        int fe = open(errp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        dup2(fi, 0);
        dup2(fo, 1);
        dup2(fe, 2);
        execvp(argv[0], argv);
        _exit(127);
    }
    r.status = wait_exit(pid);
    int fo = open(outp, O_RDONLY), fe = open(errp, O_RDONLY);
    r.out = read_fd(fo);
    r.err = read_fd(fe);
    close(fo);
    close(fe);
    /* thousands of runs in one worker (cli_oom): gone now, not at exit */
    remove_temp_dir(dir);
    free(in);
    free(dir);
    return r;
}

void run_free(run_result *r)
{
    free(r->out);
    free(r->err);
    r->out = r->err = NULL;
}

const char *first_line(const char *s)
{
    static char line[4096];
    size_t n = strcspn(s, "\n");
    if (n >= sizeof line)
        n = sizeof line - 1;
    memcpy(line, s, n);
    line[n] = '\0';
    return line;
}

/* Every directory temp_dir made, with the process that made it. A process
 * removes its own at exit: a Criterion worker (each test runs in one)
 * removes the test's directories when the test ends, however it ends
 * short of a crash; a child forked by a test inherits the list, and
 * removes only the directories it made itself, never its parent's. */
typedef struct made_dir {
    char *path;
    pid_t owner;
} made_dir;
static made_dir *made;
static size_t made_count, made_cap;

/* Removes `path` and, for a directory, all it holds; symbolic links are
 * removed, never followed. Errors are ignored: whatever cannot be
 * removed stays behind, and nothing else is touched. */
static void remove_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    chmod(path, 0700); /* a test may have made it unreadable */
    DIR *d = opendir(path);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            size_t n = strlen(path) + strlen(e->d_name) + 2;
            char *sub = malloc(n);
            if (!sub)
                break;
            snprintf(sub, n, "%s/%s", path, e->d_name);
            remove_tree(sub);
            free(sub);
        }
        closedir(d);
    }
    rmdir(path);
}

static void remove_own_temp_dirs(void)
{
    pid_t self = getpid();
    for (size_t i = 0; i < made_count; i++) {
        if (made[i].owner == self)
            remove_tree(made[i].path);
        free(made[i].path);
    }
    free(made);
    made = NULL;
    made_count = made_cap = 0;
}

static void remember(const char *path)
{
    static pid_t registered_in;
    if (registered_in != getpid()) {
        /* a forked child inherits the handler: registering again there
         * would run it twice */
        if (registered_in == 0)
            atexit(remove_own_temp_dirs);
        registered_in = getpid();
    }
    if (made_count == made_cap) {
        size_t cap = made_cap ? 2 * made_cap : 16;
        made_dir *m = realloc(made, cap * sizeof *m);
        cr_assert_not_null(m, "out of memory for the list of temp dirs");
        made = m;
        made_cap = cap;
    }
    made[made_count].path = strdup(path);
    cr_assert_not_null(made[made_count].path);
    made[made_count++].owner = getpid();
}

char *temp_dir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[4096];
    snprintf(tmpl, sizeof tmpl, "%s/dgtest.XXXXXX", base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    cr_assert_not_null(d, "mkdtemp %s: %s", tmpl, strerror(errno));
    remember(d);
    return strdup(d);
}

void remove_temp_dir(const char *dir)
{
    pid_t self = getpid();
    for (size_t i = made_count; i-- > 0;) {
        if (made[i].owner == self && strcmp(made[i].path, dir) == 0) {
            remove_tree(made[i].path);
            free(made[i].path);
            made[i] = made[--made_count];
            return;
        }
    }
}

char *write_file(const char *dir, const char *name, const char *text)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = malloc(n);
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    if (f) {
        fwrite(text, 1, strlen(text), f);
        fclose(f);
    }
    return path;
}

char *temp_file(const char *name, const char *text)
{
    char *dir = temp_dir();
    char *p = write_file(dir, name, text);
    free(dir);
    return p;
}

char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, len = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + len, 1, cap - len - 1, f)) > 0) {
        len += k;
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
        }
    }
    buf[len] = '\0';
    fclose(f);
    return buf;
}

char *src_path(const char *rel)
{
    const char *root = getenv("SRCDIR");
    if (!root)
        root = ".";
    size_t n = strlen(root) + strlen(rel) + 2;
    char *p = malloc(n);
    snprintf(p, n, "%s/%s", root, rel);
    return p;
}

dg_ledger *load_dot_text(const char *text, dg_diags *d)
{
    dg_diags_init(d);
    char *dir = temp_dir();
    char *path = write_file(dir, "t.dot", text);
    dg_ledger *l = dg_ledger_load(path, NULL, d, NULL);
    remove_temp_dir(dir);
    free(path);
    free(dir);
    return l;
}

dg_ledger *must_load_dot(const char *text)
{
    dg_diags d;
    dg_ledger *l = load_dot_text(text, &d);
    cr_assert(l, "the ledger did not load: %s", first_error(&d));
    dg_diags_finish(&d);
    return l;
}

size_t must_find(const dg_ledger *l, const char *name)
{
    size_t i = dg_ledger_find(l, name);
    cr_assert_neq(i, (size_t)-1, "no company %s", name);
    return i;
}

dg_ledger *load_csv_text(const char *deals, const char *companies,
                         dg_diags *d)
{
    dg_diags_init(d);
    char *dir = temp_dir();
    char *p = write_file(dir, "deals.csv", deals);
    if (companies)
        free(write_file(dir, "companies.csv", companies));
    dg_ledger *l = dg_ledger_load(p, NULL, d, NULL);
    remove_temp_dir(dir);
    free(p);
    free(dir);
    return l;
}

const char *first_error(const dg_diags *d)
{
    static char buf[4096];
    for (size_t i = 0; i < d->count; i++) {
        if (d->items[i].severity == DG_SEV_ERROR) {
            snprintf(buf, sizeof buf, "%ld: %s", d->items[i].line,
                     d->items[i].message);
            return buf;
        }
    }
    return "";
}

int has_diag(const dg_diags *d, dg_severity sev, const char *part)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == sev && strstr(d->items[i].message, part))
            return 1;
    return 0;
}

const char *reference_toy(void)
{
    static char *text;
    if (!text) {
        char *path = src_path("tests/cases/reference-toy.dot");
        text = read_all(path);
        free(path);
        cr_assert_not_null(text, "tests/cases/reference-toy.dot is missing");
    }
    return text;
}
