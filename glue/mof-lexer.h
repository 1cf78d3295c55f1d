/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Tokens of the MOF subset (DSP0221): identifiers, literals, punctuation, with positions. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum mof_token_kind {
        MOF_EOF,
        MOF_IDENT,
        MOF_STRING,  /* decoded text in `text` (owned by the lexer until the next token) */
        MOF_INTEGER, /* value in `u` (magnitude) with `negative` */
        MOF_REAL,    /* value in `r` */
        MOF_CHAR,    /* 'c': decoded text in `text` */
        MOF_PUNCT,   /* one of { } [ ] ( ) ; , : = $ #; in `punct` */
        MOF_ERROR,   /* message in `text` */
};

struct mof_token {
        enum mof_token_kind kind;
        unsigned line, col;
        const char *start; /* in the source, for identifiers */
        size_t len;
        char punct;
        bool negative;
        uint64_t u;
        double r;
        char *text;
};

struct mof_lexer {
        const char *src;
        size_t pos;
        unsigned line, col;
        struct mof_token tok; /* the current token */
};

void mof_lexer_init(struct mof_lexer *lx, const char *src);
/* Advance to the next token; 0, or -ENOMEM. A lexical error yields a MOF_ERROR token. */
int mof_lexer_next(struct mof_lexer *lx);
void mof_lexer_done(struct mof_lexer *lx);
bool mof_token_is_ident(const struct mof_token *t, const char *word); /* case-insensitive */
bool mof_token_is_punct(const struct mof_token *t, char c);
