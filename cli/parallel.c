/* parallel.c: `peel -r` on several cores. Frames are read in blocks; each frame goes to the
 * worker that owns its IP-address pair (peel_frame_shard_key), so every worker sees all
 * the frames of its flows, in order, with a dissector of its own; the text each worker
 * formats is written out in frame order. BLOCKS_IN_FLIGHT blocks are in flight: the main
 * thread reads the next ones while the workers dissect, so a worker that finished its
 * share of a block goes on with the next instead of waiting for the others. */
#include "parallel.h"

#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include "format.h"
#include "shard.h"

#define BLOCK_FRAMES 2048u
#define BLOCKS_IN_FLIGHT 4

/* Pairs of addresses are owned by workers in buckets: a bucket goes, when its first frame
 * comes, to the worker with the fewest frames still to dissect, and stays with it (its
 * flows' state lives there). So a worker that runs slower (its core shared with other
 * load) is given fewer new flows; with a fixed hash the slower of two workers had 15% more
 * frames' work on the benchmark capture and the faster one waited. Any owner gives the same
 * output: what a frame shows depends only on its own flows. */
#define SHARD_BUCKETS 65536u

typedef struct {
    PeelFrameInfo info;
    uint32_t data_off;
    uint32_t comment_off; /* UINT32_MAX: none */
    uint8_t worker;
    bool shown;
    uint32_t out_off, out_len;
    uint32_t streams[2][2]; /* TCP, UDP: the worker's stream count before and after */
} Slot;

typedef struct {
    Slot *slots;
    uint32_t n;
    GByteArray *bytes; /* the frames' bytes and comments */
    GString *text[PEEL_PARALLEL_MAX];
    uint32_t share[PEEL_PARALLEL_MAX]; /* frames each worker owns in this block */
    uint32_t pending; /* workers that have not finished this block (the main thread's count) */
} Block;

/* A blocking queue of pointers on POSIX primitives (which ThreadSanitizer understands;
 * GLib's futex-based locks are invisible to it). A worker's queue holds at most the blocks
 * in flight and a stop; the done queue, one entry per worker and block in flight. */
#define QUEUE_CAP (BLOCKS_IN_FLIGHT * PEEL_PARALLEL_MAX)

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    void *items[QUEUE_CAP];
    uint32_t head, n;
} Queue;

static void
queue_init(Queue *q)
{
    pthread_mutex_init(&q->lock, NULL);
    pthread_cond_init(&q->cond, NULL);
    q->head = q->n = 0;
}

static void
queue_clear(Queue *q)
{
    pthread_cond_destroy(&q->cond);
    pthread_mutex_destroy(&q->lock);
}

static void
queue_push(Queue *q, void *item)
{
    pthread_mutex_lock(&q->lock);
    g_assert(q->n < QUEUE_CAP);
    q->items[(q->head + q->n++) % QUEUE_CAP] = item;
    pthread_cond_signal(&q->cond);
    pthread_mutex_unlock(&q->lock);
}

static void *
queue_pop(Queue *q)
{
    pthread_mutex_lock(&q->lock);
    while (q->n == 0)
        pthread_cond_wait(&q->cond, &q->lock);
    void *item = q->items[q->head];
    q->head = (q->head + 1) % QUEUE_CAP;
    q->n--;
    pthread_mutex_unlock(&q->lock);
    return item;
}

typedef struct {
    PeelParallelWorker *w;
    uint8_t index;
    Queue todo; /* Block*, or &stop */
    Queue *done;
    _Atomic uint64_t finished; /* frames dissected so far */
    pthread_t thread;
} Worker;

static char stop;

static void *
worker_main(void *data)
{
    Worker *wk = data;
    peel_format_stream_markers(true); /* stream numbers are this worker's own */
    for (;;) {
        Block *b = queue_pop(&wk->todo);
        if (b == (Block *)&stop)
            break;
        for (uint32_t i = 0; i < b->n; i++) {
            Slot *s = &b->slots[i];
            if (s->worker != wk->index)
                continue;
            PeelDissector *dis = wk->w->dis;
            s->streams[0][0] = peel_dissector_streams(dis, 6);
            s->streams[1][0] = peel_dissector_streams(dis, 17);
            const PeelPacket *pkt = peel_dissector_run(dis, &s->info);
            s->streams[0][1] = peel_dissector_streams(dis, 6);
            s->streams[1][1] = peel_dissector_streams(dis, 17);
            s->shown = wk->w->filter == NULL || peel_dfilter_match(wk->w->filter, pkt);
            if (!s->shown || wk->w->out == NULL)
                continue;
            size_t start = peel_output_pending(wk->w->out);
            peel_output_packet(wk->w->out, pkt);
            s->out_off = (uint32_t)start;
            s->out_len = (uint32_t)(peel_output_pending(wk->w->out) - start);
        }
        atomic_fetch_add_explicit(&wk->finished, b->share[wk->index], memory_order_relaxed);
        if (wk->w->out != NULL)
            b->text[wk->index] = peel_output_swap_buffer(wk->w->out, b->text[wk->index]);
        queue_push(wk->done, b);
    }
    return NULL;
}

static void
block_reset(Block *b)
{
    b->n = 0;
    memset(b->share, 0, sizeof b->share);
    g_byte_array_set_size(b->bytes, 0);
}

/* Which worker owns each bucket of address pairs (0: none yet, else worker + 1), and the
 * frames given to each worker so far. */
typedef struct {
    uint8_t *owner;
    uint64_t given[PEEL_PARALLEL_MAX];
    const Worker *workers;
    uint32_t n_workers;
} Balance;

static uint8_t
balance_worker(Balance *bal, uint32_t key)
{
    uint32_t bucket = (key ^ key >> 16) % SHARD_BUCKETS;
    uint8_t w = bal->owner[bucket];
    if (w == 0) {
        uint32_t least = 0;
        uint64_t least_left = UINT64_MAX;
        for (uint32_t i = 0; i < bal->n_workers; i++) {
            uint64_t done = atomic_load_explicit(&bal->workers[i].finished, memory_order_relaxed);
            uint64_t left = bal->given[i] - done;
            if (left < least_left) {
                least = i;
                least_left = left;
            }
        }
        w = (uint8_t)(least + 1);
        bal->owner[bucket] = w;
    }
    bal->given[w - 1]++;
    return (uint8_t)(w - 1);
}

/* Reads up to BLOCK_FRAMES frames into b. Returns false at the end of the input or on an
 * error (in *error). */
static bool
block_fill(Block *b, const PeelParallelInput *in, Balance *bal, GError **error)
{
    block_reset(b);
    PeelFrame fr;
    while (b->n < BLOCK_FRAMES) {
        if (in->count > 0 && *in->n_frames >= (guint64)in->count)
            return false;
        int rc = peel_source_next(in->src, &fr, error);
        if (rc <= 0)
            return false;
        (*in->n_frames)++;
        Slot *s = &b->slots[b->n++];
        memset(s, 0, sizeof *s);
        in->frame_info(&s->info, &fr, in->src);
        peel_frame_clock_tick(in->clock, &s->info);
        s->data_off = b->bytes->len;
        g_byte_array_append(b->bytes, fr.data, fr.cap_len);
        s->comment_off = UINT32_MAX;
        if (fr.comment != NULL) {
            s->comment_off = b->bytes->len;
            g_byte_array_append(b->bytes, (const guint8 *)fr.comment, (guint)strlen(fr.comment) + 1);
        }
        uint32_t key = peel_frame_shard_key(fr.linktype, fr.data, fr.cap_len);
        s->worker = balance_worker(bal, key);
        b->share[s->worker]++;
    }
    return true;
}

/* The bytes are in place: point the frames at them and hand the block to the workers. */
static void
block_dispatch(Block *b, Worker *workers, uint32_t n_workers)
{
    for (uint32_t i = 0; i < b->n; i++) {
        Slot *s = &b->slots[i];
        s->info.data = b->bytes->data + s->data_off;
        s->info.comment = s->comment_off != UINT32_MAX ? (const char *)b->bytes->data + s->comment_off
                                                       : NULL;
    }
    b->pending = n_workers;
    for (uint32_t w = 0; w < n_workers; w++)
        queue_push(&workers[w].todo, b);
}

static void
block_wait(Block *b, Queue *done)
{
    while (b->pending > 0) {
        Block *d = queue_pop(done);
        d->pending--; /* only this thread counts */
    }
}

/* The capture's stream numbers: per worker and transport (TCP, UDP), the capture's number
 * of each stream the worker numbered, given in frame order of the frames that started
 * them -- the order one dissector would have numbered them in. */
typedef struct {
    GArray *global[PEEL_PARALLEL_MAX][2]; /* uint32_t by the worker's number */
    uint32_t next[2];
} Streams;

/* Writes a frame's text with its stream markers replaced by the capture's numbers. */
static void
write_text(FILE *out, const char *t, size_t n, const Streams *st, uint8_t w)
{
    const char *end = t + n;
    while (t < end) {
        const char *mk = memchr(t, PEEL_STREAM_MARK, (size_t)(end - t));
        if (mk == NULL) {
            fwrite(t, 1, (size_t)(end - t), out);
            return;
        }
        fwrite(t, 1, (size_t)(mk - t), out);
        const char *p = mk + 1;
        int kind = p < end && *p == 'u' ? 1 : 0;
        p++;
        uint64_t local = 0;
        while (p < end && *p >= '0' && *p <= '9')
            local = local * 10 + (uint64_t)(*p++ - '0');
        if (p < end && *p == PEEL_STREAM_MARK_END)
            p++;
        const GArray *map = st->global[w][kind];
        uint64_t number = local < map->len ? g_array_index(map, uint32_t, local) : local;
        fprintf(out, "%" G_GUINT64_FORMAT, number);
        t = p;
    }
}

/* Writes the block's text in frame order, numbering the streams its frames started; false
 * when the output is gone. */
static bool
block_write(const Block *b, FILE *out, Streams *st)
{
    for (uint32_t i = 0; i < b->n; i++) {
        const Slot *s = &b->slots[i];
        for (int k = 0; k < 2; k++)
            for (uint32_t local = s->streams[k][0]; local < s->streams[k][1]; local++) {
                GArray *map = st->global[s->worker][k];
                g_assert(map->len == local); /* a worker numbers its streams in order */
                g_array_append_val(map, st->next[k]);
                st->next[k]++;
            }
        if (!s->shown || s->out_len == 0)
            continue;
        const GString *t = b->text[s->worker];
        write_text(out, t->str + s->out_off, s->out_len, st, s->worker);
    }
    return !ferror(out);
}

int
peel_parallel_run(PeelParallelWorker *pw, uint32_t n_workers, const PeelParallelInput *in,
        FILE *out, bool *output_gone, GError **error)
{
    g_return_val_if_fail(n_workers >= 1 && n_workers <= PEEL_PARALLEL_MAX, 1);
    Queue done;
    queue_init(&done);
    Worker workers[PEEL_PARALLEL_MAX];
    for (uint32_t w = 0; w < n_workers; w++) {
        memset(&workers[w], 0, sizeof workers[w]);
        workers[w].w = &pw[w];
        workers[w].index = (uint8_t)w;
        workers[w].done = &done;
        atomic_init(&workers[w].finished, 0);
        queue_init(&workers[w].todo);
        if (pw[w].out != NULL)
            peel_output_hold(pw[w].out);
    }
    for (uint32_t w = 0; w < n_workers; w++) {
        int rc = pthread_create(&workers[w].thread, NULL, worker_main, &workers[w]);
        if (rc != 0)
            g_error("peel: cannot start a dissecting thread: %s", g_strerror(rc));
    }
    Streams streams = { 0 };
    for (uint32_t w = 0; w < n_workers; w++)
        for (int k = 0; k < 2; k++)
            streams.global[w][k] = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    Block blocks[BLOCKS_IN_FLIGHT];
    for (int k = 0; k < BLOCKS_IN_FLIGHT; k++) {
        blocks[k] = (Block){ .slots = g_new(Slot, BLOCK_FRAMES), .bytes = g_byte_array_new() };
        for (uint32_t w = 0; w < n_workers; w++)
            blocks[k].text[w] = g_string_sized_new(1 << 16);
    }
    Balance bal = { .owner = g_new0(uint8_t, SHARD_BUCKETS), .workers = workers,
        .n_workers = n_workers };

    /* A ring of blocks: the oldest in flight is waited for and written out, then filled
     * again and sent, while the workers dissect the others. */
    bool more = true, gone = false;
    bool in_flight[BLOCKS_IN_FLIGHT] = { false };
    for (int k = 0; k < BLOCKS_IN_FLIGHT && more; k++) {
        more = block_fill(&blocks[k], in, &bal, error);
        if (blocks[k].n > 0) {
            block_dispatch(&blocks[k], workers, n_workers);
            in_flight[k] = true;
        }
    }
    for (int cur = 0; in_flight[cur]; cur = (cur + 1) % BLOCKS_IN_FLIGHT) {
        block_wait(&blocks[cur], &done);
        if (!gone && !block_write(&blocks[cur], out, &streams))
            gone = true;
        in_flight[cur] = false;
        if (more && !gone) {
            more = block_fill(&blocks[cur], in, &bal, error);
            if (blocks[cur].n > 0) {
                block_dispatch(&blocks[cur], workers, n_workers);
                in_flight[cur] = true;
            }
        }
    }

    for (uint32_t w = 0; w < n_workers; w++) {
        queue_push(&workers[w].todo, &stop);
        pthread_join(workers[w].thread, NULL);
        queue_clear(&workers[w].todo);
    }
    g_free(bal.owner);
    for (int k = 0; k < BLOCKS_IN_FLIGHT; k++) {
        g_free(blocks[k].slots);
        g_byte_array_unref(blocks[k].bytes);
        for (uint32_t w = 0; w < n_workers; w++)
            g_string_free(blocks[k].text[w], TRUE);
    }
    queue_clear(&done);
    for (uint32_t w = 0; w < n_workers; w++)
        for (int k = 0; k < 2; k++)
            g_array_unref(streams.global[w][k]);
    *output_gone = gone;
    return error != NULL && *error != NULL ? 1 : 0;
}
