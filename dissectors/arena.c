/* arena.c: chunked bump allocator; large requests get a chunk of their own. */
#include "arena.h"

#include "fmt.h"

#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define CHUNK_SIZE (64u * 1024u)
#define DEFAULT_LIMIT (64u * 1024u * 1024u)

struct PeelArenaChunk {
    PeelArenaChunk *next;
    size_t size;
    size_t used;
    _Alignas(16) unsigned char data[];
};

void
peel_arena_init(PeelArena *arena)
{
    memset(arena, 0, sizeof *arena);
}

static PeelArenaChunk *
chunk_new(size_t size)
{
    PeelArenaChunk *c = g_malloc(sizeof *c + size);
    c->next = NULL;
    c->size = size;
    c->used = 0;
    return c;
}

void *
peel_arena_alloc(PeelArena *arena, size_t size)
{
    size_t limit = arena->limit ? arena->limit : DEFAULT_LIMIT;
    size = (size + 15u) & ~(size_t)15u;
    if (size > limit || arena->used > limit - size)
        return NULL;
    PeelArenaChunk *c = arena->head;
    if (c == NULL || c->size - c->used < size) {
        if (size <= CHUNK_SIZE && arena->spare != NULL) {
            c = arena->spare;
            arena->spare = c->next;
            c->used = 0;
        } else {
            c = chunk_new(size > CHUNK_SIZE ? size : CHUNK_SIZE);
        }
        c->next = arena->head;
        arena->head = c;
    }
    void *p = c->data + c->used;
    c->used += size;
    arena->used += size;
    return p;
}

struct PeelArenaAdopted {
    struct PeelArenaAdopted *next;
    void *mem;
};

bool
peel_arena_adopt(PeelArena *arena, void *mem, size_t size)
{
    size_t limit = arena->limit ? arena->limit : DEFAULT_LIMIT;
    if (size > limit || arena->used > limit - size)
        return false;
    struct PeelArenaAdopted *a = peel_arena_alloc(arena, sizeof *a);
    if (a == NULL)
        return false;
    arena->used += size;
    a->mem = mem;
    a->next = arena->adopted;
    arena->adopted = a;
    return true;
}

static void
adopted_free(PeelArena *arena)
{
    for (struct PeelArenaAdopted *a = arena->adopted; a != NULL; a = a->next)
        g_free(a->mem); /* the nodes themselves are in the chunks */
    arena->adopted = NULL;
}

char *
peel_arena_strndup(PeelArena *arena, const char *s, size_t n)
{
    char *p = peel_arena_alloc(arena, n + 1);
    if (p == NULL)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *
peel_arena_vprintf(PeelArena *arena, const char *fmt, va_list ap)
{
    /* Most labels are short: formatted straight into the current chunk when it has room,
     * kept if they fit (a label is the largest cost of a -V tree). */
    PeelArenaChunk *c = arena->head;
    size_t limit = arena->limit ? arena->limit : DEFAULT_LIMIT;
    if (c != NULL && c->size - c->used >= 256 && arena->used <= limit - 256) {
        char *p = (char *)c->data + c->used;
        va_list direct;
        va_copy(direct, ap);
        int n = peel_vformat(p, 256, fmt, direct);
        va_end(direct);
        if (n >= 0 && n < 256) {
            size_t size = ((size_t)n + 1 + 15u) & ~(size_t)15u;
            c->used += size;
            arena->used += size;
            return p;
        }
    }
    char small[256];
    va_list copy;
    va_copy(copy, ap);
    int n = peel_vformat(small, sizeof small, fmt, copy);
    va_end(copy);
    if (n < 0) { /* a conversion the fast subset does not do */
        va_copy(copy, ap);
        n = vsnprintf(small, sizeof small, fmt, copy);
        va_end(copy);
    }
    if (n < 0)
        return NULL;
    char *p = peel_arena_alloc(arena, (size_t)n + 1);
    if (p == NULL)
        return NULL;
    if ((size_t)n < sizeof small)
        memcpy(p, small, (size_t)n + 1);
    else
        vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *
peel_arena_printf(PeelArena *arena, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = peel_arena_vprintf(arena, fmt, ap);
    va_end(ap);
    return p;
}

void
peel_arena_reset(PeelArena *arena)
{
    adopted_free(arena);
    /* Standard-size chunks go to the spare list; oversized ones are freed so one huge
     * packet does not pin its memory for the rest of the capture. */
    PeelArenaChunk *c = arena->head;
    while (c != NULL) {
        PeelArenaChunk *next = c->next;
        if (c->size == CHUNK_SIZE) {
            c->next = arena->spare;
            arena->spare = c;
        } else {
            g_free(c);
        }
        c = next;
    }
    arena->head = NULL;
    arena->used = 0;
}

static void
chunks_free(PeelArenaChunk *c)
{
    while (c != NULL) {
        PeelArenaChunk *next = c->next;
        g_free(c);
        c = next;
    }
}

void
peel_arena_clear(PeelArena *arena)
{
    adopted_free(arena);
    chunks_free(arena->head);
    chunks_free(arena->spare);
    arena->head = arena->spare = NULL;
    arena->used = 0;
}
