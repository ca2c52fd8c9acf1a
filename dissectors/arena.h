/* arena.h: bump allocator for per-packet memory, reset between packets. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

typedef struct PeelArenaChunk PeelArenaChunk;

typedef struct {
    PeelArenaChunk *head; /* chunk being filled */
    PeelArenaChunk *spare; /* chunks kept for reuse after a reset */
    size_t used;          /* bytes handed out since the last reset */
    size_t limit;         /* most bytes one packet may take; 0: 64 MiB */
    struct PeelArenaAdopted *adopted; /* g_malloc'd blocks freed at the next reset */
} PeelArena;

/* Initialises an empty arena; nothing is allocated until the first request. */
void peel_arena_init(PeelArena *arena);

/* Returns size bytes aligned to 16, or NULL when the packet's limit would be exceeded
 * (callers treat that like a failed read: mark the field, stop the layer). */
void *peel_arena_alloc(PeelArena *arena, size_t size);

/* Copies n bytes and adds a NUL. NULL on limit. */
char *peel_arena_strndup(PeelArena *arena, const char *s, size_t n);

/* printf into the arena. NULL on limit. */
char *peel_arena_printf(PeelArena *arena, const char *fmt, ...)
        __attribute__((format(printf, 2, 3)));
char *peel_arena_vprintf(PeelArena *arena, const char *fmt, va_list ap);

/* Takes a g_malloc'd block of `size` bytes: it lives until the next reset, counts against
 * the packet's limit, and is then g_free'd. Returns false (and frees nothing) when the
 * limit would be exceeded. Lets a reassembled buffer become the packet's without a copy. */
bool peel_arena_adopt(PeelArena *arena, void *mem, size_t size);

/* Forgets everything handed out; keeps one chunk for the next packet. */
void peel_arena_reset(PeelArena *arena);

/* Frees all memory. The arena can be reused after peel_arena_init(). */
void peel_arena_clear(PeelArena *arena);
