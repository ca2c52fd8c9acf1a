/* fmt.h: a fast printf subset for labels and the Info column. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

/* As vsnprintf(buf, cap, fmt, ap) -- the text, cut to fit with a NUL, and the length the
 * whole text takes -- for formats whose conversions are all among: flags '-' and '0', a
 * decimal width, a precision on %s, length modifiers hh h l ll z j t, and d i u x X c s %.
 * Any other format returns -1, having perhaps written part of buf and read part of ap:
 * pass a copy of ap (va_copy) and call vsnprintf with the original then. */
int peel_vformat(char *buf, size_t cap, const char *fmt, va_list ap);

/* snprintf through peel_vformat, stdio only for what it does not do. */
int peel_snprintf(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int peel_vsnprintf(char *buf, size_t cap, const char *fmt, va_list ap);
