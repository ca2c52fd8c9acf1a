/* fmt.c: the printf subset that labels and the Info column use, without stdio's cost
 * (vsnprintf is the largest single cost of building a -V tree). */
#include "fmt.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

typedef struct {
    char *buf;
    size_t cap; /* bytes buf holds, the NUL included */
    size_t len; /* bytes the whole text takes, even past cap */
} Out;

static inline void
put(Out *o, const char *s, size_t n)
{
    if (o->len + n < o->cap && n <= 8) { /* most pieces: a few digits, a separator */
        char *d = o->buf + o->len;
        for (size_t i = 0; i < n; i++)
            d[i] = s[i];
    } else if (o->len < o->cap) {
        size_t room = o->cap - 1 - o->len;
        memcpy(o->buf + o->len, s, n < room ? n : room);
    }
    o->len += n;
}

static void
pad(Out *o, char c, size_t n)
{
    for (size_t i = 0; i < n; i++)
        put(o, &c, 1);
}

/* A converted item of n bytes at s, padded to width. */
static void
put_field(Out *o, const char *s, size_t n, size_t width, bool left, bool zero, bool negative)
{
    if (n >= width) {
        put(o, s, n);
        return;
    }
    if (left) {
        put(o, s, n);
        pad(o, ' ', width - n);
    } else if (zero) {
        if (negative) { /* the sign goes before the zeros: "-007" */
            put(o, s, 1);
            pad(o, '0', width - n);
            put(o, s + 1, n - 1);
        } else {
            pad(o, '0', width - n);
            put(o, s, n);
        }
    } else {
        pad(o, ' ', width - n);
        put(o, s, n);
    }
}

int
peel_vformat(char *buf, size_t cap, const char *fmt, va_list ap)
{
    Out o = { .buf = buf, .cap = cap };
    const char *p = fmt;
    for (;;) {
        const char *lit = p;
        p = strchr(p, '%');
        if (p == NULL)
            p = lit + strlen(lit);
        put(&o, lit, (size_t)(p - lit));
        if (*p == '\0')
            break;
        p++;
        bool left = false, zero = false;
        for (;; p++) {
            if (*p == '-')
                left = true;
            else if (*p == '0')
                zero = true;
            else
                break;
        }
        size_t width = 0;
        while (*p >= '0' && *p <= '9')
            width = width * 10 + (size_t)(*p++ - '0');
        long precision = -1;
        if (*p == '.') {
            p++;
            if (*p == '*') {
                precision = va_arg(ap, int);
                p++;
            } else {
                precision = 0;
                while (*p >= '0' && *p <= '9')
                    precision = precision * 10 + (*p++ - '0');
            }
        }
        int longs = 0; /* 0 int, 1 long, 2 long long; size_t and the like are long here */
        int shorts = 0; /* h: short, hh: char */
        bool is_size = false;
        for (;; p++) {
            if (*p == 'l')
                longs++;
            else if (*p == 'h')
                shorts++;
            else if (*p == 'z' || *p == 'j' || *p == 't')
                is_size = true;
            else
                break;
        }
        char num[24];
        int i = sizeof num;
        char conv = *p++;
        if (precision >= 0 && conv != 's')
            return -1;
        switch (conv) {
        case 's': {
            const char *s = va_arg(ap, const char *);
            if (s == NULL)
                s = "(null)";
            size_t n = precision >= 0 ? strnlen(s, (size_t)precision) : strlen(s);
            put_field(&o, s, n, width, left, false, false);
            break;
        }
        case 'c': {
            char c = (char)va_arg(ap, int);
            put_field(&o, &c, 1, width, left, false, false);
            break;
        }
        case '%':
            put(&o, "%", 1);
            break;
        case 'd':
        case 'i': {
            long long v = is_size || longs == 1 ? va_arg(ap, long)
                          : longs >= 2          ? va_arg(ap, long long)
                                                : va_arg(ap, int);
            if (shorts == 1)
                v = (short)v;
            else if (shorts >= 2)
                v = (signed char)v;
            unsigned long long u = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
            do {
                num[--i] = (char)('0' + u % 10);
                u /= 10;
            } while (u);
            if (v < 0)
                num[--i] = '-';
            put_field(&o, num + i, sizeof num - (size_t)i, width, left, zero && !left, v < 0);
            break;
        }
        case 'u':
        case 'x':
        case 'X': {
            unsigned long long v = is_size || longs == 1 ? va_arg(ap, unsigned long)
                                   : longs >= 2          ? va_arg(ap, unsigned long long)
                                                         : va_arg(ap, unsigned);
            if (shorts == 1)
                v &= 0xffffu;
            else if (shorts >= 2)
                v &= 0xffu;
            if (conv == 'u') { /* constant divisors: multiplications, not divisions */
                do {
                    num[--i] = (char)('0' + v % 10);
                    v /= 10;
                } while (v);
            } else {
                const char *digits = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
                do {
                    num[--i] = digits[v & 0xf];
                    v >>= 4;
                } while (v);
            }
            put_field(&o, num + i, sizeof num - (size_t)i, width, left, zero && !left, false);
            break;
        }
        default: /* a conversion stdio has to do (%f, %p, flags + # space, '*' width) */
            return -1;
        }
    }
    if (cap > 0)
        buf[o.len < cap ? o.len : cap - 1] = '\0';
    return o.len > (size_t)INT32_MAX ? -1 : (int)o.len;
}

int
peel_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = peel_vformat(buf, cap, fmt, copy);
    va_end(copy);
    return n >= 0 ? n : vsnprintf(buf, cap, fmt, ap);
}

int
peel_snprintf(char *buf, size_t cap, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = peel_vsnprintf(buf, cap, fmt, ap);
    va_end(ap);
    return n;
}
