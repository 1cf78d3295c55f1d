/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sensors-config.h"
#include "sensors-expr.h"
#include "sensors-lib.h"

/* Where the Debian, Fedora and Arch builds of libsensors 3.x look (their ETCDIR is /etc). */
#define CONFIG_FILE "/etc/sensors3.conf"
#define CONFIG_FILE_OLD "/etc/sensors.conf"
#define CONFIG_DIR "/etc/sensors.d"
/* More than any sensors.conf; a larger file is not read, and then everything may apply. */

struct config_statement {
        enum sensors_statement kind;
        char *feature;          /* owned; NULL: it may name any feature */
        char *label;            /* a label statement's text (owned) */
        struct sensors_expr *expr; /* a compute statement's first expression (owned) */
};

struct sensors_config_block {
        bool any_chip;          /* the chip statement did not parse: it may be any chip's */
        sensors_chip_name *names;
        size_t n_names;
        struct config_statement *statements;
        size_t n_statements;
};

struct sensors_config {
        char *inexact_where;    /* the first statement not read exactly, "FILE:LINE: what" */
        bool everything;
        /* some statement was not read as libsensors reads it (an error, a statement before the
         * first chip statement, a bus statement, a name with a bus number): the answers below
         * are "may" only */
        bool inexact;
        struct sensors_config_block *blocks;
        size_t n_blocks, allocated;
};

int sensors_config_new(struct sensors_config **ret)
{
        *ret = calloc(1, sizeof(**ret));
        return *ret ? 0 : -ENOMEM;
}

static void block_clear(struct sensors_config_block *block)
{
        for (size_t i = 0; i < block->n_names; i++)
                sensors_free_chip_name(&block->names[i]);
        free(block->names);
        for (size_t i = 0; i < block->n_statements; i++) {
                free(block->statements[i].feature);
                free(block->statements[i].label);
                sensors_expr_free(block->statements[i].expr);
        }
        free(block->statements);
        *block = (struct sensors_config_block){ 0 };
}

void sensors_config_free(struct sensors_config *config)
{
        if (!config)
                return;
        for (size_t i = 0; i < config->n_blocks; i++)
                block_clear(&config->blocks[i]);
        free(config->blocks);
        free(config->inexact_where);
        free(config);
}

bool sensors_config_is_exact(const struct sensors_config *config)
{
        return !config || (!config->everything && !config->inexact);
}

const char *sensors_config_inexact_where(const struct sensors_config *config)
{
        if (!config || sensors_config_is_exact(config))
                return NULL;
        return config->inexact_where ? config->inexact_where : "a file that could not be read";
}

void sensors_config_add_unknown(struct sensors_config *config)
{
        config->everything = true;
}

/* ---- the scanner: lib/conf-lex.l's states, for where statements start and end ------------ */

enum token {
        TOKEN_EOL,      /* a newline or the end of the text: the statement is over */
        TOKEN_ERROR,    /* what the scanner rejects; it has eaten the rest of the line */
        TOKEN_NAME,     /* an identifier or a quoted string */
        TOKEN_NUMBER,   /* a FLOAT, its value in the scanner */
        TOKEN_OPERATOR, /* one of + - * / ( ) , @ ^ ` , in the scanner */
};

struct scanner {
        const char *p, *end;
        char *name;             /* the last TOKEN_NAME, decoded (owned), or NULL */
        bool name_is_exact;     /* false if it held a byte that libsensors would cut it at */
        double number;          /* the last TOKEN_NUMBER, as libsensors' atof() reads it */
        char op;                /* the last TOKEN_OPERATOR */
        bool out_of_memory;
        const char *text, *statement; /* the file's text, the statement's first byte */
        const char *file;       /* the file's name, for messages */
        /* the statement reader's last token, and one read ahead */
        enum token last;
        bool peeked;
        enum token peek;
};

static bool is_blank(char c)
{
        return c == ' ' || c == '\f' || c == '\r' || c == '\t' || c == '\v';
}

static bool is_digit(char c)
{
        return c >= '0' && c <= '9';
}

/* flex's [[:alnum:]_], which it expands to ASCII when it generates the scanner */
static bool is_idchar(char c)
{
        return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

/* The ERR state: eat the rest of the line and its newline. */
static void skip_line(struct scanner *s)
{
        while (s->p < s->end && *s->p != '\n')
                s->p++;
        if (s->p < s->end)
                s->p++;
}

static size_t count_digits(const char *p, const char *end)
{
        size_t n = 0;

        while (p + n < end && is_digit(p[n]))
                n++;
        return n;
}

static void set_name(struct scanner *s, char *name, bool exact)
{
        free(s->name);
        s->name = name;
        s->name_is_exact = exact;
        if (!name)
                s->out_of_memory = true;
}

/* After the opening quote: the STRING state. */
static enum token scan_string(struct scanner *s)
{
        char *buf = malloc((size_t)(s->end - s->p) + 1);
        size_t len = 0;
        bool exact = true;

        if (!buf) {
                s->out_of_memory = true;
                skip_line(s);
                return TOKEN_ERROR;
        }
        for (;;) {
                char c;

                if (s->p >= s->end) {
                        /* end of text inside a string: an error, then the end */
                        free(buf);
                        return TOKEN_ERROR;
                }
                c = *s->p;
                if (c == '\n' || (c == '\\' && s->p + 1 < s->end && s->p[1] == '\n') ||
                    (c == '"' && s->p + 1 < s->end && s->p[1] == '"')) {
                        /* no closing quote on the line, or two strings with nothing between */
                        free(buf);
                        skip_line(s);
                        return TOKEN_ERROR;
                }
                if (c == '"') {
                        char *shrunk;

                        s->p++;
                        buf[len] = '\0';
                        /* it was given room for the rest of the text: keep only the name */
                        shrunk = realloc(buf, len + 1);
                        set_name(s, shrunk ? shrunk : buf, exact);
                        return TOKEN_NAME;
                }
                if (c == '\\' && s->p + 1 < s->end) {
                        static const char escapes[] = "a\ab\bf\fn\nr\rt\tv\v";
                        const char *e = s->p[1] ? strchr(escapes, s->p[1]) : NULL;

                        /* \a, \b, ...; any other character after a backslash is itself */
                        c = e && (e - escapes) % 2 == 0 ? e[1] : s->p[1];
                        s->p += 2;
                } else {
                        s->p++;
                }
                /* libsensors copies runs with strlen(): a NUL cuts the name short */
                if (c == '\0')
                        exact = false;
                buf[len++] = c;
        }
}

/* The next token of a statement: the MIDDLE state. */
static enum token next_token(struct scanner *s)
{
        for (;;) {
                const char *q;
                char c;

                if (s->p >= s->end)
                        return TOKEN_EOL;
                c = *s->p;
                if (is_blank(c)) {
                        s->p++;
                        continue;
                }
                if (c == '\n') {
                        s->p++;
                        return TOKEN_EOL;
                }
                if (c == '\\') {
                        for (q = s->p + 1; q < s->end && is_blank(*q); q++)
                                ;
                        if (q < s->end && *q == '\n') {
                                s->p = q + 1; /* an escaped newline: the statement goes on */
                                continue;
                        }
                        skip_line(s);
                        return TOKEN_ERROR;
                }
                if (c == '#') {
                        skip_line(s);
                        return TOKEN_EOL;
                }
                if (c == '"') {
                        s->p++;
                        return scan_string(s);
                }
                if (c != '\0' && strchr("+-*/(),@^`", c)) {
                        s->op = c;
                        s->p++;
                        return TOKEN_OPERATOR;
                }
                if (is_idchar(c) || c == '.') {
                        /* flex takes the longest of FLOAT ([0-9]*\.?[0-9]+), {IDCHAR}+ and the
                         * error [0-9]*\. ; a tie goes to the rule written first, in that order */
                        size_t digits = count_digits(s->p, s->end), number = digits, id = 0;
                        size_t bad = 0;

                        if (s->p + digits < s->end && s->p[digits] == '.') {
                                size_t fraction = count_digits(s->p + digits + 1, s->end);

                                bad = digits + 1;
                                if (fraction > 0)
                                        number = digits + 1 + fraction;
                        }
                        while (s->p + id < s->end && is_idchar(s->p[id]))
                                id++;
                        if (bad > number && bad > id) {
                                skip_line(s);
                                return TOKEN_ERROR;
                        }
                        if (number > 0 && number >= id) {
                                char text[64];

                                /* atof() of the token's own text */
                                if (number < sizeof(text)) {
                                        memcpy(text, s->p, number);
                                        text[number] = '\0';
                                        s->number = strtod(text, NULL);
                                } else {
                                        s->number = NAN; /* too long to copy: not exact */
                                }
                                s->p += number;
                                return TOKEN_NUMBER;
                        }
                        set_name(s, strndup(s->p, id), true);
                        s->p += id;
                        return TOKEN_NAME;
                }
                skip_line(s);
                return TOKEN_ERROR;
        }
}

/* The rest of a statement, up to its end. */
static void skip_statement(struct scanner *s, enum token last)
{
        while (last != TOKEN_EOL && last != TOKEN_ERROR)
                last = next_token(s);
}

/* ---- the statements ------------------------------------------------------------------------ */

/* Note that the statement the scanner is in is not read as libsensors reads it. */
static void mark_inexact(struct sensors_config *config, const struct scanner *s, const char *what)
{
        unsigned line = 1;

        config->inexact = true;
        if (config->inexact_where)
                return;
        for (const char *p = s->text; p < s->statement; p++)
                line += *p == '\n';
        if (asprintf(&config->inexact_where, "%s:%u: %s", s->file ? s->file : "sensors.conf",
                     line, what) < 0)
                config->inexact_where = NULL;
}

static int add_block(struct sensors_config *config)
{
        if (config->n_blocks == config->allocated) {
                size_t n = config->allocated ? config->allocated * 2 : 16;
                struct sensors_config_block *b = realloc(config->blocks, n * sizeof(*b));

                if (!b)
                        return -ENOMEM;
                config->blocks = b;
                config->allocated = n;
        }
        config->blocks[config->n_blocks++] = (struct sensors_config_block){ 0 };
        return 0;
}

/* A block with no compute or label statement changes nothing here: drop it. */
static void drop_last_block_if_idle(struct sensors_config *config)
{
        if (config->n_blocks > 0 && config->blocks[config->n_blocks - 1].n_statements == 0)
                block_clear(&config->blocks[--config->n_blocks]);
}

/* chip NAME...: a new block. One that libsensors would refuse (a name that does not parse, a
 * token that is not a name) leaves libsensors in the block before it; here it becomes a block
 * of every chip, which covers that one too. */
static int scan_chip_statement(struct sensors_config *config, struct scanner *s)
{
        struct sensors_config_block *block;
        bool parsed = true;
        enum token t;
        int r;

        drop_last_block_if_idle(config);
        r = add_block(config);
        if (r < 0)
                return r;
        block = &config->blocks[config->n_blocks - 1];
        while ((t = next_token(s)) != TOKEN_EOL && t != TOKEN_ERROR) {
                sensors_chip_name *names, *name;

                if (t != TOKEN_NAME || !s->name_is_exact || !parsed) {
                        parsed = false;
                        continue;
                }
                names = realloc(block->names, (block->n_names + 1) * sizeof(*names));
                if (!names)
                        return -ENOMEM;
                block->names = names;
                name = &names[block->n_names];
                r = sensors_lib_parse_chip_name(s->name, name);
                if (r == -ENOMEM)
                        return r;
                if (r < 0) {
                        parsed = false;
                        continue;
                }
                block->n_names++;
                /* libsensors renumbers buses of names that give one after the bus statements
                 * (and fails without one): not followed here */
                if (name->bus.nr != SENSORS_BUS_NR_ANY)
                        mark_inexact(config, s, "a chip name with a bus number");
        }
        if (t == TOKEN_ERROR || block->n_names == 0)
                parsed = false;
        if (!parsed) {
                block_clear(block);
                block->any_chip = true;
                mark_inexact(config, s, "a chip statement that does not parse");
        }
        return 0;
}

/* ---- expressions, as lib/conf-parse.y reads them ---------------------------------------------
 * expression: FLOAT | NAME | '@' | e '+' e | e '-' e | e '*' e | e '/' e | '-' e | '(' e ')'
 *             | '^' e | '`' e
 * with '+' '-' below '*' '/', both left-associative, and the prefix operators above all. */

static enum token peek_token(struct scanner *s)
{
        if (!s->peeked) {
                s->peek = next_token(s);
                s->peeked = true;
        }
        return s->peek;
}

static enum token take_token(struct scanner *s)
{
        enum token t = peek_token(s);

        s->peeked = false;
        s->last = t;
        return t;
}

static bool peek_operator(struct scanner *s, const char *ops)
{
        return peek_token(s) == TOKEN_OPERATOR && strchr(ops, s->op);
}

static struct sensors_expr *parse_sum(struct scanner *s);

static struct sensors_expr *new_node(struct scanner *s, enum sensors_expr_kind kind,
                                     struct sensors_expr *a, struct sensors_expr *b)
{
        bool unary = kind == SENSORS_EXPR_NEGATE || kind == SENSORS_EXPR_EXP ||
                     kind == SENSORS_EXPR_LOG;
        struct sensors_expr *e = NULL;

        if (a && (unary || b)) {
                e = sensors_expr_new(kind);
                if (!e)
                        s->out_of_memory = true;
        }
        if (!e) {
                sensors_expr_free(a);
                sensors_expr_free(b);
                return NULL;
        }
        e->a = a;
        e->b = b;
        return e;
}

/* NULL on a syntax error (or ENOMEM, noted in the scanner). */
static struct sensors_expr *parse_unary(struct scanner *s)
{
        struct sensors_expr *e;
        enum token t = take_token(s);

        if (t == TOKEN_NUMBER) {
                if (isnan(s->number))
                        return NULL;
                e = sensors_expr_new(SENSORS_EXPR_VALUE);
                if (!e)
                        s->out_of_memory = true;
                else
                        e->value = s->number;
                return e;
        }
        if (t == TOKEN_NAME) {
                if (!s->name_is_exact)
                        return NULL;
                e = sensors_expr_new(SENSORS_EXPR_VARIABLE);
                if (!e) {
                        s->out_of_memory = true;
                        return NULL;
                }
                e->variable = s->name;
                s->name = NULL;
                return e;
        }
        if (t != TOKEN_OPERATOR)
                return NULL;
        switch (s->op) {
        case '@':
                e = sensors_expr_new(SENSORS_EXPR_SOURCE);
                if (!e)
                        s->out_of_memory = true;
                return e;
        case '(':
                e = parse_sum(s);
                if (e && peek_operator(s, ")")) {
                        take_token(s);
                        return e;
                }
                sensors_expr_free(e);
                return NULL;
        case '-':
                return new_node(s, SENSORS_EXPR_NEGATE, parse_unary(s), NULL);
        case '^':
                return new_node(s, SENSORS_EXPR_EXP, parse_unary(s), NULL);
        case '`':
                return new_node(s, SENSORS_EXPR_LOG, parse_unary(s), NULL);
        default:
                return NULL;
        }
}

static struct sensors_expr *parse_product(struct scanner *s)
{
        struct sensors_expr *e = parse_unary(s);

        while (e && peek_operator(s, "*/")) {
                enum sensors_expr_kind kind = s->op == '*' ? SENSORS_EXPR_MULTIPLY
                                                           : SENSORS_EXPR_DIVIDE;

                take_token(s);
                e = new_node(s, kind, e, parse_unary(s));
        }
        return e;
}

static struct sensors_expr *parse_sum(struct scanner *s)
{
        struct sensors_expr *e = parse_product(s);

        while (e && peek_operator(s, "+-")) {
                enum sensors_expr_kind kind = s->op == '+' ? SENSORS_EXPR_ADD
                                                           : SENSORS_EXPR_SUBTRACT;

                take_token(s);
                e = new_node(s, kind, e, parse_product(s));
        }
        return e;
}

/* ---- compute, label, ignore and set statements ------------------------------------------------ */

/* The exact name after the keyword, taken from the scanner; NULL if there is none. */
static char *take_name(struct scanner *s)
{
        char *name;

        if (take_token(s) != TOKEN_NAME || !s->name_is_exact)
                return NULL;
        name = s->name;
        s->name = NULL;
        return name;
}

static bool at_end(struct scanner *s)
{
        return take_token(s) == TOKEN_EOL;
}

/* The rest of the statement after what was read; ok: it was one that libsensors takes whole. */
static void finish_statement(struct scanner *s, bool ok, struct sensors_config *config)
{
        enum token t = s->peeked ? s->peek : s->last;

        s->peeked = false;
        if (!ok)
                mark_inexact(config, s, "a statement that does not parse");
        skip_statement(s, t);
}

/* compute, label, ignore or set NAME ...: a statement of the current block. */
static int scan_feature_statement(struct sensors_config *config, struct scanner *s,
                                  enum sensors_statement kind, bool is_set, bool *in_block)
{
        struct config_statement st = { .kind = kind }, *sts;
        struct sensors_config_block *block;
        struct sensors_expr *second = NULL;
        bool ok;
        int r;

        if (!*in_block) {
                /* Before the file's first chip statement: libsensors refuses it, or keeps the
                 * last block of the file before; either is covered by a block of every chip. */
                r = add_block(config);
                if (r < 0)
                        return r;
                config->blocks[config->n_blocks - 1].any_chip = true;
                mark_inexact(config, s, "a statement before the first chip statement");
                *in_block = true;
        }
        st.feature = take_name(s);
        ok = st.feature != NULL;
        if (is_set) {
                /* set NAME expression: what it sets is not read here, only whether it parses */
                second = ok ? parse_sum(s) : NULL;
                ok = second && at_end(s);
                sensors_expr_free(second);
                free(st.feature);
                finish_statement(s, ok, config);
                return s->out_of_memory ? -ENOMEM : 0;
        }
        switch (kind) {
        case SENSORS_STATEMENT_LABEL:
                ok = ok && (st.label = take_name(s)) && at_end(s);
                break;
        case SENSORS_STATEMENT_COMPUTE:
                ok = ok && (st.expr = parse_sum(s)) && peek_operator(s, ",");
                if (ok) {
                        take_token(s);
                        second = parse_sum(s);
                        ok = second && at_end(s);
                        sensors_expr_free(second);
                }
                break;
        case SENSORS_STATEMENT_IGNORE:
                ok = ok && at_end(s);
                break;
        }
        finish_statement(s, ok, config);
        if (s->out_of_memory) {
                free(st.feature);
                free(st.label);
                sensors_expr_free(st.expr);
                return -ENOMEM;
        }
        /* one that libsensors refuses is kept all the same: "may" errs on the side of yes */
        block = &config->blocks[config->n_blocks - 1];
        sts = realloc(block->statements, (block->n_statements + 1) * sizeof(*sts));
        if (!sts) {
                free(st.feature);
                free(st.label);
                sensors_expr_free(st.expr);
                return -ENOMEM;
        }
        block->statements = sts;
        sts[block->n_statements++] = st;
        return 0;
}

int sensors_config_add_text(struct sensors_config *config, const char *name, const char *text,
                            size_t len)
{
        struct scanner s = { .p = text, .end = text + len, .text = text, .file = name };
        bool in_block = false;
        int r = 0;

        /* The INITIAL state: blanks, empty lines and comments, then a keyword. */
        while (r == 0 && s.p < s.end) {
                const char *word = s.p;
                size_t n = 0;

                if (is_blank(*s.p) || *s.p == '\n') {
                        s.p++;
                        continue;
                }
                if (*s.p == '#') {
                        skip_line(&s);
                        continue;
                }
                while (word + n < s.end && word[n] >= 'a' && word[n] <= 'z')
                        n++;
                s.statement = word;
                s.p += n;
                if (n == 4 && memcmp(word, "chip", 4) == 0) {
                        r = scan_chip_statement(config, &s);
                        in_block = true;
                } else if (n == 7 && memcmp(word, "compute", 7) == 0) {
                        r = scan_feature_statement(config, &s, SENSORS_STATEMENT_COMPUTE, false,
                                                   &in_block);
                } else if (n == 5 && memcmp(word, "label", 5) == 0) {
                        r = scan_feature_statement(config, &s, SENSORS_STATEMENT_LABEL, false,
                                                   &in_block);
                } else if (n == 6 && memcmp(word, "ignore", 6) == 0) {
                        r = scan_feature_statement(config, &s, SENSORS_STATEMENT_IGNORE, false,
                                                   &in_block);
                } else if (n == 3 && memcmp(word, "set", 3) == 0) {
                        /* sets limits for `sensors -s`; read only for whether it parses */
                        r = scan_feature_statement(config, &s, SENSORS_STATEMENT_COMPUTE, true,
                                                   &in_block);
                } else if (n == 3 && memcmp(word, "bus", 3) == 0) {
                        mark_inexact(config, &s, "a bus statement");
                        skip_statement(&s, TOKEN_OPERATOR);
                } else {
                        mark_inexact(config, &s, "not a keyword");
                        skip_line(&s); /* not a keyword: libsensors skips the line */
                }
                if (s.out_of_memory)
                        r = -ENOMEM;
        }
        free(s.name);
        drop_last_block_if_idle(config);
        return r;
}

/* ---- the files sensors_init(NULL) reads ---------------------------------------------------- */

int sensors_config_read_fd(int fd, size_t max, char **ret_text, size_t *ret_len)
{
        size_t len = 0, allocated = 4096;
        char *text = malloc(allocated);
        int r = 0;

        if (!text)
                return -ENOMEM;
        for (;;) {
                ssize_t n;

                if (len == allocated) {
                        char *more = allocated < max ? realloc(text, allocated * 2) : NULL;

                        if (!more) {
                                r = allocated < max ? -ENOMEM : -EFBIG;
                                break;
                        }
                        text = more;
                        allocated *= 2;
                }
                n = read(fd, text + len, allocated - len);
                if (n < 0 && errno == EINTR)
                        continue;
                if (n < 0)
                        r = -errno;
                if (n <= 0)
                        break;
                len += (size_t)n;
        }
        if (r < 0) {
                free(text);
                return r;
        }
        *ret_text = text;
        *ret_len = len;
        return 0;
}

/* Returns 0, -ENOENT if there is no such file, -ENOMEM; any other failure makes everything
 * apply, as libsensors may have read what this could not. */
static int add_file(struct sensors_config *config, const char *path)
{
        struct stat st;
        char *text;
        size_t len;
        int fd, r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
        if (fd < 0) {
                if (errno == ENOENT)
                        return -ENOENT;
                sensors_config_add_unknown(config);
                return 0;
        }
        if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > SENSORS_CONFIG_TEXT_MAX) {
                close(fd);
                sensors_config_add_unknown(config);
                return 0;
        }
        r = sensors_config_read_fd(fd, SENSORS_CONFIG_TEXT_MAX, &text, &len);
        close(fd);
        if (r == -ENOMEM)
                return r;
        if (r < 0 || len != (size_t)st.st_size) {
                if (r == 0)
                        free(text);
                sensors_config_add_unknown(config); /* it changed, or could not be read */
                return 0;
        }
        r = sensors_config_add_text(config, path, text, len);
        free(text);
        return r;
}

static int visible(const struct dirent *ent)
{
        return ent->d_name[0] != '.';
}

int sensors_config_add_default_files(struct sensors_config *config)
{
        struct dirent **names = NULL;
        int n, r;

        r = add_file(config, CONFIG_FILE);
        if (r == -ENOENT)
                r = add_file(config, CONFIG_FILE_OLD);
        if (r < 0 && r != -ENOENT)
                return r;

        /* every file but the hidden ones, in alphasort() order as libsensors reads them: the
         * last statement read is the one that applies */
        n = scandir(CONFIG_DIR, &names, visible, alphasort);
        if (n < 0) {
                if (errno != ENOENT)
                        sensors_config_add_unknown(config);
                return errno == ENOMEM ? -ENOMEM : 0;
        }
        r = 0;
        for (int i = 0; i < n; i++) {
                char path[4096];
                struct stat st;

                if (r == 0) {
                        snprintf(path, sizeof(path), "%s/%s", CONFIG_DIR, names[i]->d_name);
                        /* libsensors takes regular files only, links followed */
                        if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
                                r = add_file(config, path);
                                if (r == -ENOENT) {
                                        /* gone since libsensors read it? */
                                        sensors_config_add_unknown(config);
                                        r = 0;
                                }
                        }
                }
                free(names[i]);
        }
        free(names);
        return r;
}

/* ---- what applies to a chip ---------------------------------------------------------------- */

static bool name_may_match(const sensors_chip_name *pattern, const sensors_chip_name *chip)
{
        if (pattern->prefix != SENSORS_CHIP_NAME_PREFIX_ANY &&
            (!chip->prefix || strcmp(pattern->prefix, chip->prefix) != 0))
                return false;
        if (pattern->bus.type != SENSORS_BUS_TYPE_ANY && pattern->bus.type != chip->bus.type)
                return false;
        /* The bus number is not compared: libsensors renumbers the I2C buses of chip statements
         * after the `bus` statements, which this reader does not follow. */
        if (pattern->addr != SENSORS_CHIP_NAME_ADDR_ANY && pattern->addr != chip->addr)
                return false;
        return true;
}

static bool block_may_match(const struct sensors_config_block *block,
                            const sensors_chip_name *chip)
{
        if (block->any_chip)
                return true;
        for (size_t i = 0; i < block->n_names; i++)
                if (name_may_match(&block->names[i], chip))
                        return true;
        return false;
}

void sensors_config_view_init(struct sensors_config_view *view,
                              const struct sensors_config *config, const sensors_chip_name *chip)
{
        *view = (struct sensors_config_view){ .exact = true };
        if (!config)
                return;
        view->everything = config->everything;
        view->exact = !config->everything && !config->inexact;
        for (size_t i = 0; i < config->n_blocks && !view->everything; i++) {
                if (!block_may_match(&config->blocks[i], chip))
                        continue;
                if (view->n_blocks == SENSORS_CONFIG_VIEW_MAX) {
                        view->everything = true; /* more blocks than kept: assume the worst */
                        view->exact = false;
                }
                else
                        view->blocks[view->n_blocks++] = &config->blocks[i];
        }
}

bool sensors_config_view_may(const struct sensors_config_view *view,
                             enum sensors_statement kind, const char *feature)
{
        if (view->everything)
                return true;
        for (size_t i = 0; i < view->n_blocks; i++) {
                const struct sensors_config_block *block = view->blocks[i];

                for (size_t j = 0; j < block->n_statements; j++) {
                        const struct config_statement *st = &block->statements[j];

                        if (st->kind == kind &&
                            (!feature || !st->feature || strcmp(st->feature, feature) == 0))
                                return true;
                }
        }
        return false;
}

/* The statement of that kind for the feature, as libsensors finds it: the blocks that match
 * from the last to the first, in each the first statement. An exact view's blocks are those
 * that match (exact configurations name no bus numbers, the one part not compared). */
static const struct config_statement *find_statement(const struct sensors_config_view *view,
                                                     enum sensors_statement kind,
                                                     const char *feature)
{
        for (size_t i = view->n_blocks; i-- > 0;) {
                const struct sensors_config_block *block = view->blocks[i];

                for (size_t j = 0; j < block->n_statements; j++) {
                        const struct config_statement *st = &block->statements[j];

                        if (st->kind == kind && st->feature && strcmp(st->feature, feature) == 0)
                                return st;
                }
        }
        return NULL;
}

const char *sensors_config_view_label(const struct sensors_config_view *view, const char *feature)
{
        const struct config_statement *st = find_statement(view, SENSORS_STATEMENT_LABEL, feature);

        return st ? st->label : NULL;
}

bool sensors_config_view_ignores(const struct sensors_config_view *view, const char *feature)
{
        return find_statement(view, SENSORS_STATEMENT_IGNORE, feature) != NULL;
}

const struct sensors_expr *sensors_config_view_compute(const struct sensors_config_view *view,
                                                       const char *feature)
{
        const struct config_statement *st = find_statement(view, SENSORS_STATEMENT_COMPUTE,
                                                           feature);

        return st ? st->expr : NULL;
}
