/* json-check.c: is a text one JSON object or array (RFC 8259)? A bounded, allocation-free
 * well-formedness check, no parse tree. */
#include "json-check.h"

#include <glib.h>
#include <string.h>

static void
json_space(const uint8_t *s, uint32_t n, uint32_t *i)
{
    while (*i < n && (s[*i] == ' ' || s[*i] == '\t' || s[*i] == '\n' || s[*i] == '\r'))
        (*i)++;
}

static bool
json_string(const uint8_t *s, uint32_t n, uint32_t *i)
{
    if (*i >= n || s[*i] != '"')
        return false;
    for ((*i)++; *i < n && s[*i] != '"'; (*i)++) {
        if (s[*i] < 0x20)
            return false;
        if (s[*i] != '\\')
            continue;
        if (++(*i) >= n || strchr("\"\\/bfnrtu", s[*i]) == NULL)
            return false;
        if (s[*i] == 'u') {
            for (int h = 1; h <= 4; h++)
                if (*i + h >= n || !g_ascii_isxdigit(s[*i + h]))
                    return false;
            *i += 4;
        }
    }
    if (*i >= n)
        return false;
    (*i)++;
    return true;
}

static bool
json_digits(const uint8_t *s, uint32_t n, uint32_t *i)
{
    if (*i >= n || !g_ascii_isdigit(s[*i]))
        return false;
    while (*i < n && g_ascii_isdigit(s[*i]))
        (*i)++;
    return true;
}

/* A scalar value at *i: string, number, true, false or null. */
static bool
json_scalar(const uint8_t *s, uint32_t n, uint32_t *i)
{
    if (s[*i] == '"')
        return json_string(s, n, i);
    if (s[*i] == '-' || g_ascii_isdigit(s[*i])) {
        if (s[*i] == '-')
            (*i)++;
        if (*i < n && s[*i] == '0')
            (*i)++;
        else if (!json_digits(s, n, i))
            return false;
        if (*i < n && s[*i] == '.' && (++(*i), !json_digits(s, n, i)))
            return false;
        if (*i < n && (s[*i] == 'e' || s[*i] == 'E')) {
            (*i)++;
            if (*i < n && (s[*i] == '+' || s[*i] == '-'))
                (*i)++;
            if (!json_digits(s, n, i))
                return false;
        }
        return true;
    }
    static const char *const words[] = { "true", "false", "null" };
    for (size_t w = 0; w < G_N_ELEMENTS(words); w++) {
        size_t wl = strlen(words[w]);
        if (n - *i >= wl && memcmp(s + *i, words[w], wl) == 0) {
            *i += (uint32_t)wl;
            return true;
        }
    }
    return false;
}

bool
peel_json_container(const uint8_t *s, uint32_t n)
{
    uint8_t stack[PEEL_JSON_MAX_DEPTH];
    uint32_t depth = 0, i = 0;
    json_space(s, n, &i);
    if (i >= n || (s[i] != '{' && s[i] != '['))
        return false;
    for (;;) {
        /* A value is expected at i (after an object's key and colon). */
        json_space(s, n, &i);
        if (i >= n)
            return false;
        if (s[i] == '{' || s[i] == '[') {
            if (depth == PEEL_JSON_MAX_DEPTH)
                return false;
            uint8_t close = s[i] == '{' ? '}' : ']';
            stack[depth++] = close;
            i++;
            json_space(s, n, &i);
            if (i < n && s[i] == close) {
                i++;
                depth--;
            } else if (close == '}') {
                if (!json_string(s, n, &i))
                    return false;
                json_space(s, n, &i);
                if (i >= n || s[i++] != ':')
                    return false;
                continue;
            } else {
                continue;
            }
        } else if (!json_scalar(s, n, &i)) {
            return false;
        }
        /* After a value: commas and closing brackets until the next value. */
        for (;;) {
            json_space(s, n, &i);
            if (depth == 0)
                return i == n;
            if (i >= n)
                return false;
            if (s[i] == stack[depth - 1]) {
                i++;
                depth--;
                continue;
            }
            if (s[i++] != ',')
                return false;
            if (stack[depth - 1] == '}') {
                json_space(s, n, &i);
                if (!json_string(s, n, &i))
                    return false;
                json_space(s, n, &i);
                if (i >= n || s[i++] != ':')
                    return false;
            }
            break;
        }
    }
}

