/*
 * cli.h - what the commands of the dealgraph executable share: the exit
 * codes, messages, loading with error reports, shared options and output
 * files that are never left half-written.
 */
#ifndef DG_CLI_H
#define DG_CLI_H

#include "dealgraph/dealgraph.h"
#include "doc.h"
#include "output.h"

#include <getopt.h>
#include <stdio.h>
#include <sys/types.h>

enum {
    EXIT_OK = 0,      /* success; check: rules hold; diff: no change */
    EXIT_FINDING = 1, /* a broken rule, a change, a lint error */
    EXIT_TROUBLE = 2, /* bad usage, unreadable or invalid input */
};


/* "dealgraph: " + message + newline, on stderr. */
void cli_error(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
/* How many messages cli_error has printed so far: a caller that fails
 * tells with it whether the cause was already said. */
unsigned long cli_errors_said(void);
/* A diagnostic as "dealgraph: FILE:LINE: message" on stderr. */
void cli_print_diag(const dg_diag *d);

/* Options every analysis command shares. */
typedef struct cli_common {
    cli_out_format format;
    unsigned formats; /* bit (1u << format) set = allowed */
    const char *output; /* -o FILE; NULL = stdout */
    dg_filter filter;
    dg_load_options load;
    const char *focus; /* --focus NAME; NULL = the ledger's own */
} cli_common;

/* ---- the command driver --------------------------------------------------
 *
 * A command is a table row: its name, help, formats, which shared options
 * it takes, its own options as a table, and either `build` (the driver
 * loads the one ledger, builds the document, writes it) or `run` (the
 * command does the rest itself: several ledgers, a picture, a stream).
 * The driver parses every option, rejects bad values with one line and
 * exit 2, and writes `--help` from the tables. */

/* Groups of shared options a command takes (cli_command.shared). */
enum {
    CLI_SHARE_FORMAT = 1u << 0,    /* --format (from cli_command.formats) */
    CLI_SHARE_OUTPUT = 1u << 1,    /* -o, --output */
    CLI_SHARE_FILTERS = 1u << 2,   /* --min-status, --kinds, --as-of,
                                      --amounts */
    CLI_SHARE_COMPANIES = 1u << 3, /* --companies */
    CLI_SHARE_FOCUS = 1u << 4,     /* --focus */
    CLI_SHARE_ANALYSIS = CLI_SHARE_FORMAT | CLI_SHARE_OUTPUT |
                         CLI_SHARE_FILTERS | CLI_SHARE_COMPANIES,
};

/* What a value parser knows of its option: the option's words for a bad
 * value ("'X' is not <what>; <how>"), bounds and choices. */
typedef struct cli_value {
    const char *what;            /* "a loop length" */
    const char *how;             /* "give a whole number of at least 2" */
    double min, max;             /* accepted range, inclusive */
    const char *const *choices;  /* cli_parse_choice: NULL-terminated */
} cli_value;

struct cli_option;
/* Parses `arg` into `dst`; false after printing the error. */
typedef bool (*cli_parse_fn)(const char *cmd, const struct cli_option *o,
                             const char *arg, void *dst);

typedef struct cli_option {
    const char *name;       /* long name: "max-len"; NULL ends a table */
    int short_name;         /* 'o', or 0 */
    const char *arg;        /* the value's name in help ("N"); NULL: a flag
                               (dst is a bool set to true) */
    const char *help;       /* one sentence or two; wrapped in --help */
    cli_parse_fn parse;     /* NULL for a flag */
    size_t offset;          /* of the value in the command's options */
    const cli_value *value; /* for the parser; may be NULL */
} cli_option;

/* The parsers. string: const char *; count: size_t (whole, in range);
 * u64: uint64_t; number: double (in range); money: double (a money
 * value, in range); date: dg_date; choice: int (index in choices). */
bool cli_parse_string(const char *cmd, const cli_option *o, const char *arg,
                      void *dst);
bool cli_parse_count(const char *cmd, const cli_option *o, const char *arg,
                     void *dst);
bool cli_parse_u64(const char *cmd, const cli_option *o, const char *arg,
                   void *dst);
bool cli_parse_number(const char *cmd, const cli_option *o, const char *arg,
                      void *dst);
bool cli_parse_money(const char *cmd, const cli_option *o, const char *arg,
                     void *dst);
bool cli_parse_date(const char *cmd, const cli_option *o, const char *arg,
                    void *dst);
bool cli_parse_choice(const char *cmd, const cli_option *o, const char *arg,
                      void *dst);

typedef struct cli_command {
    const char *name;
    const char *summary; /* one line for `dealgraph --help` */
    const char *usage;   /* after "dealgraph NAME ": "[OPTIONS] FILE" */
    const char *about;   /* what it does, lines of at most 72 columns */
    const char *exits;   /* the exit codes, for the end of --help */
    unsigned formats;    /* DOC_* bits it writes; the default is text */
    unsigned shared;     /* CLI_SHARE_* */
    const cli_option *options; /* its own; NULL or ended by {NULL} */
    size_t opts_size;    /* sizeof its options struct (0: none) */
    void (*defaults)(void *opts); /* may be NULL: all zero */
    /* The document of one ledger, built into `d` (the driver writes it).
     * Returns EXIT_OK, EXIT_FINDING, or EXIT_TROUBLE after printing. */
    int (*build)(cli_doc *d, const dg_ledger *l, const cli_common *c,
                 const void *opts);
    /* Or the whole command, given its positional arguments (run when
     * given: a command with both streams or takes several ledgers itself,
     * and offers `build` to the report). */
    int (*run)(const cli_common *c, const void *opts, int argc,
               char **argv);
} cli_command;

/* The manual page dealgraph(1), in roff, and a bash completion script,
 * both written from the command and option tables (`dealgraph help --man`,
 * `dealgraph help --completion`; meson installs what they write). */
void cli_write_manual(FILE *out);
void cli_write_completion(FILE *out);

/* The commands, in the order `dealgraph --help` lists them (main.c). */
extern const cli_command *const cli_commands[];
extern const size_t cli_ncommands;

/* Runs a command on its arguments (argv[0] is the command's name). */
int cli_dispatch(const cli_command *cmd, int argc, char **argv);

/* A `build` command's document of `l` as a part of another document (the
 * report's sections): its own options from `args` (NULL-terminated, as on
 * the command line: {"--null", "200", NULL}; at most 14), the shared ones
 * and the format from c. Returns the build's exit code. */
int cli_build_part(const cli_command *cmd, const char *const *args,
                   cli_doc *d, const dg_ledger *l, const cli_common *c);

/* Builds nothing: opens the output of c (-o or standard output), writes
 * the document in c->format, closes. EXIT_OK, or EXIT_TROUBLE after
 * printing. */
int cli_emit(const cli_doc *d, const cli_common *c);

/* dg_focus_find in the command line's words: each message starts with
 * `cmd` ("exposure: unknown company 'X' for --focus; ...") and "no focal
 * company" ends with "; give --focus NAME". */
int cli_focus_resolve(const dg_ledger *l, const char *name, const char *cmd,
                      size_t *index, dg_diags *diags);

/* The focal company of `l` for a command: --focus, else the ledger's own;
 * prints the error and returns false when there is none or it names no
 * company. */
bool cli_focus(const dg_ledger *l, const cli_common *c, const char *cmd,
               size_t *focus);

void cli_common_init(cli_common *c, unsigned formats);


/* Loads a ledger, printing its errors (at most 10, then a count). Returns
 * NULL after printing when it cannot be used. */
dg_ledger *cli_load(const char *path, const dg_load_options *opt);

/* An output that goes to stdout, or to a temporary file renamed onto the
 * target only when everything was written: a failed run never leaves a
 * partial file behind. */
typedef struct cli_output {
    FILE *f;
    FILE *under;      /* the stream under f's filter (cli_output_plain) */
    char *path, *tmp; /* tmp is NULL when writing to path directly */
    mode_t mode;      /* of the file replaced; (mode_t)-1 for a new one */
    bool reported;    /* cli_output_close printed an error */
} cli_output;

/* Opens `path` (NULL or "-" = stdout). A regular file (new, or existing,
 * or reached through a symbolic link, which stays a link) is written
 * beside its place and renamed over it when complete, keeping its mode; a
 * device or a pipe (/dev/null, a FIFO) is written directly, never
 * replaced, and so is standard output under another name (/dev/stdout).
 * Prints an error and returns false when it cannot be created (a
 * directory, say). */
bool cli_output_open(cli_output *o, const char *path);
/* For the formats people read (text, md, html): puts a filter on o->f
 * that writes control characters from the ledger (a company named with an
 * escape sequence, a stray carriage return) as \r or \xNN, as messages
 * do, so that no output can drive a terminal. Other formats are left as
 * they are (JSON escapes them itself; CSV and DOT keep the data). Prints
 * an error, closes o and returns false when it cannot. */
bool cli_output_plain(cli_output *o, cli_out_format format);
/* cli_output_open on c->output, then cli_output_plain for c->format: how
 * the commands open their output. */
bool cli_output_open_as(cli_output *o, const cli_common *c);
/* Finishes the output: ok=true renames the file into place (checking
 * every write); ok=false removes it. Returns false (after printing) when
 * writing failed. */
bool cli_output_close(cli_output *o, bool ok);

/* Out of memory, as the executable reports it: "dealgraph: out of
 * memory", printed once however many paths report it. What is being
 * written then is incomplete: cli_output_close treats it as failed (a
 * file is not kept, and the command exits 2). */
void cli_out_of_memory(void);
/* The same, naming what ran out: "dealgraph: WHAT: out of memory". */
void cli_out_of_memory_in(const char *what);
/* Sends jansson's allocations through a function that remembers a failure:
 * jansson drops a member whose value it could not allocate
 * (json_object_set_new with NULL) without a word, so a document built
 * while one failed is incomplete. main() calls this first. */
void cli_json_init(void);
/* Writes a JSON document as cli_json_write does. A NULL document, or any
 * jansson allocation that failed since cli_json_init, is reported as out
 * of memory (and nothing is written); a failed write is left to
 * cli_output_close. */
bool cli_json_write(json_t *doc, FILE *out);
/* cli_table_write, with a table that could not be built or laid out
 * reported as out of memory; a failed write is left to cli_output_close. */
bool cli_table_write(const cli_table *t, cli_out_format f, FILE *out);


#endif
