#!/usr/bin/env bash
# meson install into a scratch DESTDIR, then what a user of the library
# does: compile and run a small C program against the installed library
# through pkg-config, read the manual page, source the completion.
#   install_test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
src=$2
dest=$(mktemp -d)
trap 'rm -rf "$dest"' EXIT

meson install -C "$build" --destdir "$dest" --no-rebuild --quiet >/dev/null

pc=$(find "$dest" -name dealgraph.pc | head -n1)
[ -n "$pc" ] || { echo "install_test: no dealgraph.pc installed" >&2; exit 1; }
libdir=$(dirname "$(dirname "$pc")")
export PKG_CONFIG_PATH=$(dirname "$pc")
export PKG_CONFIG_SYSROOT_DIR=$dest

cat >"$dest/prog.c" <<'PROG'
#include <dealgraph/calendar.h>
#include <dealgraph/dealgraph.h>
#include <stdio.h>

/* Loads a ledger and prints its legs and the first year of its flow
 * calendar: enough to need the loaders, the schedules and the headers. */
int main(int argc, char **argv)
{
    if (argc != 2)
        return 2;
    dg_diags d;
    dg_diags_init(&d);
    int status = 0;
    dg_ledger *l = dg_ledger_load(argv[1], NULL, &d, &status);
    if (!l) {
        fprintf(stderr, "cannot load %s: %s\n", argv[1], dg_strerror(status));
        return 1;
    }
    dg_calendar c;
    dg_calendar_options o;
    dg_calendar_options_init(&o);
    if (dg_calendar_compute(l, &o, &c, &d) != DG_OK)
        return 1;
    printf("%zu legs, %zu companies, calendar from %d\n", l->nlegs,
           l->ncompanies, c.first_year);
    dg_calendar_finish(&c);
    dg_ledger_destroy(l);
    dg_diags_finish(&d);
    return 0;
}
PROG
# shellcheck disable=SC2046
cc -std=c11 -Wall -Werror $(pkg-config --cflags dealgraph) "$dest/prog.c" \
    -o "$dest/prog" $(pkg-config --libs dealgraph)
out=$(LD_LIBRARY_PATH=$libdir "$dest/prog" "$src/graphs/ai-2025.dot")
want="52 legs, 23 companies, calendar from 2019"
if [ "$out" != "$want" ]; then
    echo "install_test: the program printed '$out', expected '$want'" >&2
    exit 1
fi
# the library is really the installed shared one
LD_LIBRARY_PATH=$libdir ldd "$dest/prog" | grep -q "$libdir/libdealgraph.so.0" || {
    echo "install_test: the program does not use the installed libdealgraph.so" >&2
    exit 1
}

# the manual page renders and covers every command
man1=$(find "$dest" -path '*/man1/dealgraph.1' | head -n1)
[ -n "$man1" ] || { echo "install_test: no dealgraph.1 installed" >&2; exit 1; }
page=$(MANWIDTH=100 man -l "$man1" 2>/dev/null | col -b)
for cmd in $("$build/dealgraph" --help | sed -n 's/^  \([a-z]*\) .*/\1/p'); do
    grep -q "dealgraph $cmd " <<<"$page" || {
        echo "install_test: the manual page does not describe '$cmd'" >&2
        exit 1
    }
done

# the completion loads and completes a command and an option
comp=$(find "$dest" -path '*/completions/dealgraph' | head -n1)
[ -n "$comp" ] || { echo "install_test: no bash completion installed" >&2; exit 1; }
words=$(bash -c "source '$comp'; COMP_WORDS=(dealgraph lo); COMP_CWORD=1; _dealgraph; echo \${COMPREPLY[*]}")
[ "$words" = "loops" ] || { echo "install_test: completing 'lo' gave '$words'" >&2; exit 1; }
words=$(bash -c "source '$comp'; COMP_WORDS=(dealgraph loops --max); COMP_CWORD=2; _dealgraph; echo \${COMPREPLY[*]}")
[ "$words" = "--max-len --max-seconds" ] || { echo "install_test: completing 'loops --max' gave '$words'" >&2; exit 1; }
echo "install_test: library, headers, pkg-config, manual page and completion installed and usable"
