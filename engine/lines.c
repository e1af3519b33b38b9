/*
 * lines.c - JSON Lines a block at a time, on several threads.  The input
 * (a file read with read(), or text already in memory) is cut into blocks
 * of whole lines; each block is checked and parsed into its slab
 * (input_parse_packed(), jsonpack.c) on a thread of a pool, and the
 * calling thread takes the parsed claims block by block in input order
 * (input_take(), then reader.c).  Everything that depends on the claims
 * before (ids, duplicate checks, rejects, additions to the memo and the
 * string chunk) happens in that one ordered pass, so the claims, rejects
 * and messages are the same for any number of threads; the parsing
 * threads do what does not (a claim's fields, the hashes of its texts,
 * and finding the memo's entries for those texts).  With one thread each
 * claim is parsed and taken in turn.
 *
 * A file is never held whole: a few blocks are in flight at a time, and
 * of a line longer than max_claim_bytes only its head is kept, for the
 * reject.  Text that is not JSON Lines (CSV, a JSON array, another
 * encoding) needs all of it and goes to reader_load_text() whole.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "jsonpack.h"
#include "memo.h"
#include "reader.h"
#include "reckon/error.h"

/* Bytes read at a time, and the least a block of lines holds: a thousand
 * claims or so, enough that a block is worth a task, few enough that the
 * parsed claims of the blocks in flight (about six times their text) stay
 * a few megabytes. */
#define BLOCK_BYTES ((gsize)1 << 18)

/* The most threads that parse (ReckonOptions.threads says at most 64). */
#define MAX_THREADS 64

/* Blocks read and parsed ahead of the one being taken, per thread. */
#define AHEAD_PER_THREAD 2

/* Of a line too long to read, what is kept: the reject's text, and a
 * few bytes more so it is cut at the same character as a whole line. */
#define LONG_LINE_HEAD (REJECT_TEXT_MAX + 4)

typedef struct {
  char *data;       /* owned, or NULL when the text is the caller's */
  const char *text; /* whole lines */
  gsize len;
  GArray *items;    /* of ParsedText; lines counted from 1 in the block */
  guint n_lines;
  gboolean parsed;
  Slab *slab;       /* the claim trees of @items */
} Block;

typedef struct {
  ReckonEngine *engine;
  const char *name;
  GThreadPool *pool; /* NULL on one thread */
  guint ahead;       /* blocks parsed ahead of the one being taken */
  GQueue blocks;     /* pushed and not yet taken, in input order */
  GMutex lock;       /* guards Block.parsed */
  GCond parsed;
  guint line;        /* lines before the first block in @blocks */
  gboolean ok;       /* FALSE once a strict run stopped */
  GError *error;
} Lines;

static Block *block_new(char *data, const char *text, gsize len)
{
  Block *b = g_new0(Block, 1);
  b->data = data;
  b->text = text;
  b->len = len;
  /* Claims are a few hundred bytes: room for most blocks at once. */
  b->items = g_array_sized_new(FALSE, FALSE, sizeof(ParsedText), (guint)(len / 200 + 16));
  b->slab = slab_new();
  return b;
}

static void block_free(Block *b)
{
  for (guint i = 0; i < b->items->len; i++)
    input_clear(&g_array_index(b->items, ParsedText, i));
  g_array_unref(b->items);
  slab_free(b->slab);
  g_free(b->data);
  g_free(b);
}

static void take_text(Lines *l, ParsedText *t)
{
  t->line += l->line;
  if (l->ok)
    l->ok = input_take(l->engine, l->name, t, &l->error);
}

/* Claims between two steps of the memo lookups below: far enough apart
 * that what one step asked memory for has come when the next reads it. */
#define PEEK_STRIDE 2

/* The memo lookups of the claims in @items, found on the thread that
 * parsed them, in three steps PEEK_STRIDE claims apart
 * (reader_peek_fields()): the first at item @n - 1, the second at
 * @n - 1 - PEEK_STRIDE, the last at @n - 1 - 2 * PEEK_STRIDE. */
static void peek_items(const ReckonEngine *engine, GArray *items, guint n)
{
  for (guint step = READER_PEEK_SLOTS; step <= READER_PEEK_FIND; step++) {
    guint back = 1 + step * PEEK_STRIDE;
    if (n < back || n - back >= items->len)
      continue;
    ParsedText *t = &g_array_index(items, ParsedText, n - back);
    if (t->found)
      reader_peek_fields(engine, &t->fields, (ReaderPeekStep)step);
  }
}

/* Splits a block into lines as reader_load_text() would and parses each:
 * into the block's items, or (with @take_now) taking each at once. */
static void parse_block(Block *b, const ReckonEngine *engine, Lines *take_now)
{
  const char *p = b->text, *stop = b->text + b->len;
  guint line = 0;
  while (p < stop && (!take_now || take_now->ok)) {
    const char *nl = memchr(p, '\n', stop - p);
    const char *eol = nl ? nl : stop;
    line++;
    /* A file written on Windows ends its lines with CR LF. */
    const char *end = eol > p && eol[-1] == '\r' ? eol - 1 : eol;
    if (!reader_blank(p, end)) {
      ParsedText t = {.text = p, .len = end - p, .full_len = end - p, .line = line};
      input_parse_packed(engine, &t, b->slab);
      if (take_now) {
        take_text(take_now, &t);
        input_clear(&t);
        slab_rewind(b->slab);
      } else {
        /* Work that does not depend on the claims before, done here
         * rather than on the thread that takes claims in order. */
        if (t.obj) {
          reader_find_fields(t.obj, &t.fields);
          t.found = TRUE;
        }
        g_array_append_val(b->items, t);
        peek_items(engine, b->items, b->items->len);
      }
    }
    p = nl ? nl + 1 : stop;
  }
  for (guint n = 1; !take_now && n <= 2 * PEEK_STRIDE; n++) /* the last claims' last steps */
    peek_items(engine, b->items, b->items->len + n);
  b->n_lines = line;
}

/* A pool's task: parses a block. */
static void parse_task(gpointer data, gpointer user_data)
{
  Block *b = data;
  Lines *l = user_data;
  parse_block(b, l->engine, NULL);
  g_mutex_lock(&l->lock);
  b->parsed = TRUE;
  g_cond_broadcast(&l->parsed);
  g_mutex_unlock(&l->lock);
}

/* @one_block: the whole input is one block, not worth a thread. */
static void lines_init(Lines *l, ReckonEngine *engine, const char *name, gboolean one_block)
{
  memset(l, 0, sizeof *l);
  l->engine = engine;
  l->name = name;
  guint threads = engine->opts.threads ? engine->opts.threads : g_get_num_processors();
  threads = MIN(threads, MAX_THREADS);
  if (threads > 1 && !one_block) {
    /* The calling thread takes the claims: it is one of the threads. */
    l->pool = g_thread_pool_new(parse_task, l, (gint)threads - 1, FALSE, NULL);
    l->ahead = AHEAD_PER_THREAD * threads;
  }
  g_queue_init(&l->blocks);
  g_mutex_init(&l->lock);
  g_cond_init(&l->parsed);
  l->ok = TRUE;
}

/* Claims ahead of the one being taken whose memory is asked for. */
#define TAKE_AHEAD 4

/* Asks for what taking @t will read: its tree, parsed on another thread,
 * and what reader_prefetch_fields() names. */
static void prefetch_item(const ReckonEngine *engine, const ParsedText *t)
{
  if (!t->found)
    return;
  for (guint i = 0; i < 8; i++) /* the first lines of the tree, in the order it is read */
    __builtin_prefetch((const char *)t->obj + 64 * i);
  reader_prefetch_fields(engine, &t->fields);
}

static void take_items(Lines *l, Block *b)
{
  for (guint i = 0; i < b->items->len; i++) {
    if (i + TAKE_AHEAD < b->items->len)
      prefetch_item(l->engine, &g_array_index(b->items, ParsedText, i + TAKE_AHEAD));
    take_text(l, &g_array_index(b->items, ParsedText, i));
  }
  l->line += b->n_lines;
}

/* Takes the claims of the first block in the queue, in order, once it is
 * parsed.  After a strict run stopped, only frees them. */
static void take_first(Lines *l)
{
  Block *b = g_queue_pop_head(&l->blocks);
  g_mutex_lock(&l->lock);
  while (!b->parsed)
    g_cond_wait(&l->parsed, &l->lock);
  g_mutex_unlock(&l->lock);
  take_items(l, b);
  block_free(b);
}

/* On one thread, takes a block's claims at once: each claim is taken as
 * soon as it is parsed and its tree freed, as the allocator reuses the
 * memory of one tree for the next far faster than that of a thousand.
 * On several, queues the block for parsing (a block made parsed is only
 * queued) and takes blocks while more than @ahead wait. */
static void push(Lines *l, Block *b)
{
  if (!l->pool) {
    if (b->parsed)
      take_items(l, b);
    else {
      parse_block(b, l->engine, l);
      l->line += b->n_lines;
    }
    block_free(b);
    return;
  }
  g_queue_push_tail(&l->blocks, b);
  if (!b->parsed)
    g_thread_pool_push(l->pool, b, NULL);
  while (l->blocks.length > l->ahead)
    take_first(l);
}

/* Takes what is left; returns what the reading came to. */
static gboolean lines_finish(Lines *l, GError **error)
{
  while (l->blocks.length)
    take_first(l);
  if (l->pool)
    g_thread_pool_free(l->pool, FALSE, TRUE);
  memo_settle(l->engine->memo); /* no thread peeks in the memo now */
  g_mutex_clear(&l->lock);
  g_cond_clear(&l->parsed);
  if (l->error)
    g_propagate_error(error, l->error);
  return l->ok;
}

gboolean lines_load_text(ReckonEngine *engine, const char *name, const char *data, gsize len,
                         GError **error)
{
  Lines l;
  lines_init(&l, engine, name, len <= BLOCK_BYTES);
  const char *p = data, *stop = data + len;
  while (p < stop && l.ok) {
    const char *cut = stop;
    if ((gsize)(stop - p) > BLOCK_BYTES) {
      const char *nl = memchr(p + BLOCK_BYTES, '\n', stop - p - BLOCK_BYTES);
      cut = nl ? nl + 1 : stop;
    }
    push(&l, block_new(NULL, p, cut - p));
    p = cut;
  }
  return lines_finish(&l, error);
}

/* Reads into @buf from *have up to @cap bytes, or to the end of the file
 * (*eof).  FALSE with @error on a read error. */
static gboolean fill(int fd, const char *name, char *buf, gsize cap, gsize *have, gboolean *eof,
                     GError **error)
{
  while (*have < cap && !*eof) {
    gssize n = read(fd, buf + *have, MIN(cap - *have, (gsize)G_MAXSSIZE));
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, RECKON_ERROR, RECKON_ERROR_IO, "%s: cannot read: %s", name,
                  g_strerror(errno));
      return FALSE;
    }
    *have += (gsize)n;
    *eof = n == 0;
  }
  return TRUE;
}

/* Reads the rest of a file that is not JSON Lines after the @have bytes
 * already in @buf, and gives it whole to reader_load_text(). */
static gboolean load_whole(ReckonEngine *engine, const char *name, int fd, char *buf, gsize have,
                           gsize cap, gboolean eof, GError **error)
{
  gboolean ok = TRUE;
  while (ok && !eof) {
    if (have == cap)
      buf = g_realloc(buf, cap *= 2);
    ok = fill(fd, name, buf, cap, &have, &eof, error);
  }
  if (ok)
    ok = reader_load_text(engine, name, buf, have, error);
  g_free(buf);
  return ok;
}

/* The line that fills *buf (*have bytes, no line end) is longer than any
 * claim may be: reads on to its end counting its bytes, keeps its head
 * for the reject, and leaves in *buf what follows it. */
static gboolean skip_long_line(Lines *l, int fd, char **buf, gsize *have, gsize cap, gboolean *eof,
                               GError **error)
{
  char *head = *buf;
  gsize total = *have;
  gboolean blank = reader_blank(head, head + total);
  char last = head[total - 1];
  const char *rest = NULL;
  gsize n = 0;
  while (!rest && !*eof) {
    n = 0;
    if (!fill(fd, l->name, head + LONG_LINE_HEAD, cap - LONG_LINE_HEAD, &n, eof, error))
      return FALSE;
    const char *from = head + LONG_LINE_HEAD, *nl = memchr(from, '\n', n);
    gsize part = nl ? (gsize)(nl - from) : n;
    if (part) {
      total += part;
      blank = blank && reader_blank(from, from + part);
      last = from[part - 1];
    }
    rest = nl ? nl + 1 : NULL;
  }
  gsize left = rest ? (gsize)(head + LONG_LINE_HEAD + n - rest) : 0;
  *buf = g_malloc(MAX(cap, BLOCK_BYTES));
  memcpy(*buf, rest, left);
  *have = left;

  Block *b = block_new(head, head, LONG_LINE_HEAD);
  b->n_lines = 1;
  b->parsed = TRUE;
  if (!blank) {
    /* A file written on Windows ends its lines with CR LF. */
    gsize full = total - (last == '\r');
    ParsedText t = {.text = head, .len = LONG_LINE_HEAD, .full_len = full, .line = 1};
    input_parse(l->engine, &t);
    g_array_append_val(b->items, t);
  }
  push(l, b);
  return TRUE;
}

static const char *last_line_end(const char *buf, gsize len)
{
  for (const char *p = buf + len; p > buf;)
    if (*--p == '\n')
      return p;
  return NULL;
}

gboolean lines_load_fd(ReckonEngine *engine, const char *name, int fd, GError **error)
{
  gsize cap = BLOCK_BYTES, have = 0, skip;
  gboolean eof = FALSE;
  char *buf = g_malloc(cap);
  /* The start of the file tells its format. */
  if (!fill(fd, name, buf, cap, &have, &eof, error)) {
    g_free(buf);
    return FALSE;
  }
  if (!input_is_lines(name, buf, have, &skip))
    return load_whole(engine, name, fd, buf, have, cap, eof, error);
  memmove(buf, buf + skip, have - skip);
  have -= skip;

  Lines l;
  lines_init(&l, engine, name, eof);
  /* A line longer than this is rejected by its length, unread. */
  gsize too_long = MAX(engine->opts.max_claim_bytes + 1, LONG_LINE_HEAD);
  GError *read_error = NULL;
  while (l.ok && !read_error) {
    if (eof) {
      if (have)
        push(&l, block_new(buf, buf, have));
      else
        g_free(buf);
      buf = NULL;
      break;
    }
    const char *last = last_line_end(buf, have);
    if (last) {
      /* Whole lines go to be parsed; the part of a line after them
       * starts the next block. */
      gsize cut = (gsize)(last + 1 - buf);
      cap = MAX(BLOCK_BYTES, 2 * (have - cut));
      char *next = g_malloc(cap);
      memcpy(next, buf + cut, have - cut);
      push(&l, block_new(buf, buf, cut));
      buf = next;
      have -= cut;
    } else if (have > too_long) {
      if (!skip_long_line(&l, fd, &buf, &have, cap, &eof, &read_error))
        break;
    } else {
      buf = g_realloc(buf, cap *= 2);
    }
    fill(fd, name, buf, cap, &have, &eof, &read_error);
  }
  g_free(buf);
  /* A strict run's first reject comes before a read error after it. */
  gboolean ok = lines_finish(&l, error);
  if (!read_error)
    return ok;
  if (ok)
    g_propagate_error(error, read_error);
  else
    g_error_free(read_error);
  return FALSE;
}
