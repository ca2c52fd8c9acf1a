/* dfilter-private.h: the display-filter tree shared by the parser, checker and evaluator. */
#pragma once

#include <glib.h>

#include "dfilter.h"

/* What a value is compared as. Literals are converted to the class of what they are
 * compared with, so the evaluator compares like with like. */
typedef enum {
    DF_C_NONE,  /* a label field (FT_NONE): exists or not, no value */
    DF_C_PROTO, /* a protocol: its bytes in the packet */
    DF_C_INT,   /* every integer type, booleans and frame numbers */
    DF_C_DOUBLE,
    DF_C_ABSTIME,
    DF_C_RELTIME,
    DF_C_IPV4,
    DF_C_IPV6,
    DF_C_ETHER,
    DF_C_BYTES,
    DF_C_STRING,
} DfClass;

/* One value during evaluation (or a converted literal). Integers are a sign and a
 * magnitude so unsigned 64-bit and negative values compare correctly. */
typedef struct {
    uint8_t cls;
    bool neg;
    uint8_t prefix; /* IPv4/IPv6 literals: significant bits (32/128 when none given) */
    uint64_t u;     /* integers (magnitude), IPv4 */
    double d;
    PeelTime t;
    const uint8_t *p; /* bytes, strings, IPv6, Ethernet, protocols */
    uint32_t len;
    uint32_t wire_len; /* bytes the field covers, for len() */
} DfVal;

/* Value expressions. */
typedef enum {
    DF_X_FIELD,
    DF_X_LITERAL,
    DF_X_SLICE,
    DF_X_FUNC,
    DF_X_BITAND,
} DfXKind;

typedef enum {
    DF_TOK_WORD,   /* unquoted: a field name or a literal for the other side's type */
    DF_TOK_STRING, /* "quoted", escapes resolved */
    DF_TOK_CHAR,   /* 'c' */
} DfTokKind;

typedef enum {
    DF_FN_LEN,
    DF_FN_COUNT,
    DF_FN_LOWER,
    DF_FN_UPPER,
    DF_FN_STRING,
} DfFunc;

typedef struct {
    int32_t start; /* may be negative: from the end */
    int32_t len;   /* -1: to the end */
} DfRange;

typedef struct DfExpr DfExpr;
struct DfExpr {
    DfXKind kind;
    uint8_t cls; /* after checking */
    PeelDfilterLoc loc;
    /* DF_X_FIELD */
    const char *name; /* registry-owned */
    uint32_t *ids;
    uint32_t n_ids;
    PeelFieldType type; /* of the first definition */
    /* DF_X_LITERAL: the token, then its value once the other side's class is known */
    DfTokKind tok;
    char *text;
    uint32_t text_len;
    DfVal lit;
    /* DF_X_SLICE, DF_X_FUNC, DF_X_BITAND */
    DfExpr *arg;
    DfRange *ranges;
    uint32_t n_ranges;
    DfFunc func;
    DfExpr *mask; /* DF_X_BITAND: a literal */
};

typedef enum {
    DF_T_AND,
    DF_T_OR,
    DF_T_XOR,
    DF_T_NOT,
    DF_T_EXISTS,
    DF_T_CMP,
    DF_T_IN,
    DF_T_TRUE, /* the empty filter */
} DfTKind;

typedef enum {
    DF_OP_EQ,
    DF_OP_NE,
    DF_OP_GT,
    DF_OP_LT,
    DF_OP_GE,
    DF_OP_LE,
    DF_OP_CONTAINS,
    DF_OP_MATCHES,
} DfOp;

typedef struct {
    DfExpr *lo;
    DfExpr *hi; /* NULL unless a range lo..hi */
} DfSetItem;

typedef struct DfTest DfTest;
struct DfTest {
    DfTKind kind;
    PeelDfilterLoc loc;
    DfTest **kids; /* AND, OR, XOR: a chain a && b && c is one node of three, so long
                      chains cost no recursion */
    uint32_t n_kids;
    DfTest *l;     /* NOT */
    DfExpr *a, *b; /* CMP: a op b; EXISTS, IN: a */
    DfOp op;
    bool all;    /* every pair must hold (!=, ===, `all`), else any pair */
    bool negate; /* IN: `not in` */
    DfSetItem *set;
    uint32_t n_set;
    GRegex *re; /* MATCHES */
    PeelDfilterLoc op_loc;
};

struct PeelDfilter {
    char *text;
    DfTest *root;
    GPtrArray *owned;   /* every node and buffer, freed together */
    GPtrArray *regexes; /* GRegex of `matches`, unref'd together */
    bool *protos;       /* protocols the filter reads, by protocol index */
    GArray *fields;     /* uint32_t field ids the filter reads */
    /* Per side of a comparison (0: left, 1: right): [side] for lower(), upper() and
     * string() results, [side + 2] for multi-range slices and `&` on bytes. */
    GString *scratch[4];
    char addr_buf[2][48];  /* addresses shown as text (ip.src_host) */
    uint8_t ip4_buf[2][4]; /* IPv4 addresses as bytes, for slices */
};

/* Parser state, also used by the checker for errors. */
typedef struct {
    const char *text;
    uint32_t len;
    uint32_t pos;
    uint32_t depth;
    GPtrArray *owned;
    GPtrArray *regexes;
    GError *error;
    PeelDfilterLoc loc;
} DfParser;

/* dfilter-parse.c */
DfTest *peel_df_parse(DfParser *ps);
bool peel_df_fail(DfParser *ps, PeelDfilterLoc loc, PeelDfilterError code, const char *fmt, ...)
        G_GNUC_PRINTF(4, 5);
void *peel_df_new(DfParser *ps, size_t size);

/* dfilter-check.c: resolves literals and types in place. */
bool peel_df_check(DfParser *ps, DfTest *t);
DfClass peel_df_class_of(PeelFieldType type);
const char *peel_df_class_name(DfClass cls);

/* dfilter-eval.c */
bool peel_df_eval(PeelDfilter *df, const DfTest *t, const PeelPacket *pkt);
