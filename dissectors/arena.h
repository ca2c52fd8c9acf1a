/* arena.h: bump allocator for per-packet memory, reset between packets. */
#pragma once

#include <stdarg.h>
#include <stddef.h>

typedef struct PeelArenaChunk PeelArenaChunk;

typedef struct {
    PeelArenaChunk *head; /* chunk being filled */
    PeelArenaChunk *spare; /* chunks kept for reuse after a reset */
    size_t used;          /* bytes handed out since the last reset */
    size_t limit;         /* most bytes one packet may take; 0: 64 MiB */
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

/* Forgets everything handed out; keeps one chunk for the next packet. */
void peel_arena_reset(PeelArena *arena);

/* Frees all memory. The arena can be reused after peel_arena_init(). */
void peel_arena_clear(PeelArena *arena);
