/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "mof-lexer.h"

void mof_lexer_init(struct mof_lexer *lx, const char *src)
{
        memset(lx, 0, sizeof(*lx));
        lx->src = src;
        lx->line = 1;
        lx->col = 1;
}

void mof_lexer_done(struct mof_lexer *lx)
{
        free(lx->tok.text);
        lx->tok.text = NULL;
}

static char peek(const struct mof_lexer *lx, size_t ahead)
{
        /* The source is NUL-terminated: never look past the terminator. */
        for (size_t i = 0; i < ahead; i++)
                if (lx->src[lx->pos + i] == '\0')
                        return '\0';
        return lx->src[lx->pos + ahead];
}

static void advance(struct mof_lexer *lx)
{
        if (lx->src[lx->pos] == '\n') {
                lx->line++;
                lx->col = 1;
        } else
                lx->col++;
        lx->pos++;
}

static int set_error(struct mof_lexer *lx, const char *msg)
{
        lx->tok.kind = MOF_ERROR;
        lx->tok.text = strdup(msg);
        return lx->tok.text ? 0 : -ENOMEM;
}

/* Skip white space and comments; a comment left open is an error. */
static int skip_blank(struct mof_lexer *lx, bool *ret_error)
{
        *ret_error = false;
        for (;;) {
                char c = peek(lx, 0);

                if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v')
                        advance(lx);
                else if (c == '/' && peek(lx, 1) == '/') {
                        while (peek(lx, 0) && peek(lx, 0) != '\n')
                                advance(lx);
                } else if (c == '/' && peek(lx, 1) == '*') {
                        unsigned line = lx->line, col = lx->col;

                        advance(lx);
                        advance(lx);
                        while (peek(lx, 0) && !(peek(lx, 0) == '*' && peek(lx, 1) == '/'))
                                advance(lx);
                        if (!peek(lx, 0)) {
                                lx->tok.line = line;
                                lx->tok.col = col;
                                *ret_error = true;
                                return set_error(lx, "comment is not closed");
                        }
                        advance(lx);
                        advance(lx);
                } else
                        return 0;
        }
}

/* Decode a quoted string or char literal at the current position (on the quote). */
static int lex_quoted(struct mof_lexer *lx, char quote)
{
        size_t cap = 32, len = 0;
        char *buf = malloc(cap);

        if (!buf)
                return -ENOMEM;
        advance(lx);
        for (;;) {
                char c = peek(lx, 0);

                if (c == '\0' || c == '\n') {
                        free(buf);
                        return set_error(lx, quote == '"' ? "string is not closed"
                                                          : "character literal is not closed");
                }
                advance(lx);
                if (c == quote)
                        break;
                if (c == '\\') {
                        char e = peek(lx, 0);

                        advance(lx);
                        switch (e) {
                        case 'n': c = '\n'; break;
                        case 't': c = '\t'; break;
                        case 'r': c = '\r'; break;
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case '\\': case '"': case '\'': c = e; break;
                        case 'x': case 'X': {
                                unsigned v = 0, digits = 0;
                                while (digits < 4 && isxdigit((unsigned char)peek(lx, 0))) {
                                        char h = peek(lx, 0);
                                        v = v * 16 + (unsigned)(isdigit((unsigned char)h)
                                                                ? h - '0'
                                                                : tolower((unsigned char)h) - 'a' + 10);
                                        advance(lx);
                                        digits++;
                                }
                                if (digits == 0 || v == 0 || v > 0x7f) {
                                        free(buf);
                                        return set_error(lx, "unsupported \\x escape (ASCII only)");
                                }
                                c = (char)v;
                                break;
                        }
                        default:
                                free(buf);
                                return set_error(lx, "unknown escape sequence in string");
                        }
                }
                if (len + 2 > cap) {
                        char *n = realloc(buf, cap *= 2);
                        if (!n) {
                                free(buf);
                                return -ENOMEM;
                        }
                        buf = n;
                }
                buf[len++] = c;
        }
        buf[len] = '\0';
        lx->tok.kind = quote == '"' ? MOF_STRING : MOF_CHAR;
        lx->tok.text = buf;
        return 0;
}

static int lex_number(struct mof_lexer *lx)
{
        const char *start = lx->src + lx->pos;
        bool negative = false;
        char *end;

        if (*start == '-' || *start == '+') {
                negative = *start == '-';
                start++;
        }
        if (!isdigit((unsigned char)*start) && *start != '.')
                return set_error(lx, "unexpected character");
        /* Decide integer or real by scanning: a '.' or exponent makes a real. */
        size_t n = 0;
        bool real = false, hex = start[0] == '0' && (start[1] == 'x' || start[1] == 'X');
        if (hex)
                n = 2;
        while (isalnum((unsigned char)start[n]) || start[n] == '.' ||
               ((start[n] == '-' || start[n] == '+') && !hex && n > 0 &&
                (start[n - 1] == 'e' || start[n - 1] == 'E'))) {
                if (!hex && (start[n] == '.' || start[n] == 'e' || start[n] == 'E'))
                        real = true;
                n++;
        }
        errno = 0;
        if (real) {
                double v = strtod(start, &end);
                if (end != start + n || !isfinite(v))
                        return set_error(lx, "malformed real number");
                lx->tok.kind = MOF_REAL;
                lx->tok.r = negative ? -v : v;
        } else {
                unsigned long long v = strtoull(start, &end, hex ? 16 : 10);
                if (end != start + n)
                        return set_error(lx, "malformed integer");
                if (errno == ERANGE)
                        return set_error(lx, "integer out of range");
                lx->tok.kind = MOF_INTEGER;
                lx->tok.u = v;
                lx->tok.negative = negative && v != 0;
        }
        size_t total = (size_t)(start + n - (lx->src + lx->pos));
        for (size_t i = 0; i < total; i++)
                advance(lx);
        return 0;
}

int mof_lexer_next(struct mof_lexer *lx)
{
        bool comment_error;
        char c;
        int r;

        free(lx->tok.text);
        memset(&lx->tok, 0, sizeof(lx->tok));
        r = skip_blank(lx, &comment_error);
        if (r < 0 || comment_error)
                return r;
        lx->tok.line = lx->line;
        lx->tok.col = lx->col;
        lx->tok.start = lx->src + lx->pos;
        c = peek(lx, 0);
        if (c == '\0') {
                lx->tok.kind = MOF_EOF;
                return 0;
        }
        if (isalpha((unsigned char)c) || c == '_') {
                while (isalnum((unsigned char)peek(lx, 0)) || peek(lx, 0) == '_')
                        advance(lx);
                lx->tok.kind = MOF_IDENT;
                lx->tok.len = (size_t)(lx->src + lx->pos - lx->tok.start);
                return 0;
        }
        if (c == '"' || c == '\'')
                return lex_quoted(lx, c);
        if (isdigit((unsigned char)c) || ((c == '-' || c == '+' || c == '.') &&
                                          (isdigit((unsigned char)peek(lx, 1)) ||
                                           (peek(lx, 1) == '.' && c != '.'))))
                return lex_number(lx);
        if (strchr("{}[]();,:=$#", c)) {
                lx->tok.kind = MOF_PUNCT;
                lx->tok.punct = c;
                advance(lx);
                return 0;
        }
        if ((unsigned char)c >= 0x80 || !isprint((unsigned char)c))
                return set_error(lx, "unexpected byte outside a string");
        char msg[48];
        snprintf(msg, sizeof(msg), "unexpected character '%c'", c);
        return set_error(lx, msg);
}

bool mof_token_is_ident(const struct mof_token *t, const char *word)
{
        return t->kind == MOF_IDENT && strlen(word) == t->len &&
               strncasecmp(t->start, word, t->len) == 0;
}

bool mof_token_is_punct(const struct mof_token *t, char c)
{
        return t->kind == MOF_PUNCT && t->punct == c;
}
