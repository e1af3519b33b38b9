/*
 * stream.c - streaming runs (reckon/stream.h): the batch data flow cut
 * into windows of dates, for input sorted by incident date.  Each line is
 * read (input.c, reader.c) into the engine of the open window; when a
 * claim starts after the last day the window's claims can reach, nothing
 * still to come can join them, so the window is grouped, estimated and
 * bounded by reckon_engine_run() as a batch run of its claims would be,
 * handed to the caller and freed.  Memory then holds one window, not the
 * archive.
 *
 * What a claim can reach: its own days, and for a date known only to its
 * month or year the date tolerance on each side (group.c lets it join an
 * incident there).  A period (an aggregate) reaches over its whole span,
 * so the incidents it contains share its window and it keeps bounding
 * them.  Sources learned in one window are the priors of the next, as
 * `--sources` and `--priors` would carry them from run to run, and at the
 * end the base engine holds what all the windows learned.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "memo.h"
#include "reader.h"
#include "reckon/error.h"
#include "reckon/stream.h"

#define BLOCK (1 << 16)

/* A source as the stream carries it from window to window.  The prior
 * comes first: reliability.c looks sources up in the priors table as
 * SourcePrior. */
typedef struct {
  SourcePrior prior;   /* what the next window starts from */
  char *name;          /* as the windows named it; NULL until a window has */
  const char *kind;    /* from the rules */
  guint64 claims;
  double first_prior;  /* the prior of the first window it was in */
} Carried;

static void carried_free(gpointer data)
{
  Carried *c = data;
  g_free(c->name);
  g_free(c);
}

struct _ReckonStream {
  ReckonEngine *base;
  ReckonWindowFunc func;
  gpointer data;
  GHashTable *priors;     /* source key -> Carried*, from window to window */
  ReckonEngine *window;   /* the open window, or NULL */
  gint64 window_end;      /* the last day a claim of the open window reaches */
  gint64 closed_end;      /* the last day the closed windows reach; -1 before any */
  char *name;             /* the input being fed, or NULL */
  guint line;             /* lines of it read */
  GString *partial;       /* the start of a line not yet ended */
  gsize partial_len;      /* its true length: only the start of a line too long is kept */
  char partial_last;      /* its last byte */
  gboolean refused;       /* the input is not JSON Lines: the rest of it is skipped */
  gboolean seen_text;     /* a line with text has been read from the input */
  gboolean failed;        /* stopped: nothing more may be fed */
  guint64 read, windows, incidents;
};

static void fail_again(GError **error)
{
  g_set_error(error, RECKON_ERROR, RECKON_ERROR_USAGE, "the stream stopped at an earlier error");
}

ReckonStream *reckon_stream_new(ReckonEngine *engine, ReckonWindowFunc func, gpointer data)
{
  g_return_val_if_fail(engine != NULL, NULL);
  g_return_val_if_fail(func != NULL, NULL);
  ReckonStream *s = g_new0(ReckonStream, 1);
  s->base = engine;
  s->func = func;
  s->data = data;
  s->priors = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, carried_free);
  if (engine->priors) {
    GHashTableIter it;
    gpointer key, value;
    g_hash_table_iter_init(&it, engine->priors);
    while (g_hash_table_iter_next(&it, &key, &value)) {
      Carried *c = g_new0(Carried, 1);
      c->prior = *(const SourcePrior *)value;
      g_hash_table_insert(s->priors, g_strdup(key), c);
    }
  }
  s->closed_end = -1;
  s->partial = g_string_new(NULL);
  return s;
}

void reckon_stream_free(ReckonStream *stream)
{
  if (!stream)
    return;
  reckon_engine_free(stream->window);
  g_hash_table_unref(stream->priors);
  g_string_free(stream->partial, TRUE);
  g_free(stream->name);
  g_free(stream);
}

guint64 reckon_stream_n_read(const ReckonStream *stream)
{
  g_return_val_if_fail(stream != NULL, 0);
  return stream->read;
}

guint64 reckon_stream_n_windows(const ReckonStream *stream)
{
  g_return_val_if_fail(stream != NULL, 0);
  return stream->windows;
}

static ReckonEngine *open_window(ReckonStream *s)
{
  if (!s->window) {
    /* The base engine's options were checked when it was made. */
    s->window = reckon_engine_new(&s->base->opts, NULL);
    s->window->priors = g_hash_table_ref(s->priors);
  }
  return s->window;
}

/* What a window learned of its sources becomes the prior of the next:
 * the learned figures already weigh the prior they started from, and the
 * claims judged add up, as a table saved and loaded back would. */
static void carry_sources(ReckonStream *s, const ReckonEngine *w)
{
  for (guint i = 0; i < w->sources->len; i++) {
    const SourceStat *st = &g_array_index(w->sources, SourceStat, i);
    Carried *c = g_hash_table_lookup(s->priors, st->key);
    if (!c) {
      c = g_new0(Carried, 1);
      g_hash_table_insert(s->priors, g_strdup(st->key), c);
    }
    if (!c->name) {
      c->first_prior = st->pub.prior;
      c->kind = st->pub.kind;
    }
    /* An unaliased source is named by its smallest spelling, as in a batch run. */
    if (!c->name || strcmp(st->pub.name, c->name) < 0) {
      g_free(c->name);
      c->name = g_strdup(st->pub.name);
    }
    c->claims += st->pub.claims;
    c->prior.reliability = CLAMP(st->pub.reliability, 0.01, 0.99);
    c->prior.bias = st->pub.bias;
    c->prior.spread = st->pub.spread;
    c->prior.judged = (guint)MIN((guint64)c->prior.judged + st->pub.judged, G_MAXUINT);
  }
}

/* The sources of all windows become the base engine's, as a batch run
 * leaves them (reckon_engine_source(), reckon_engine_write_sources()). */
static void give_sources(ReckonStream *s)
{
  ReckonEngine *base = s->base;
  g_array_set_size(base->sources, 0);
  g_hash_table_remove_all(base->source_index);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, s->priors);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    const Carried *c = value;
    if (!c->name)
      continue; /* a loaded prior no window used */
    SourceStat st = {0};
    st.key = g_string_chunk_insert_const(base->strings, key);
    st.pub.name = g_string_chunk_insert_const(base->strings, c->name);
    st.pub.kind = c->kind;
    st.pub.claims = (guint)MIN(c->claims, G_MAXUINT);
    st.pub.judged = c->prior.judged;
    st.pub.reliability = c->prior.reliability;
    st.pub.bias = c->prior.bias;
    st.pub.prior = c->first_prior;
    st.pub.spread = c->prior.spread;
    g_array_append_val(base->sources, st);
  }
  g_array_sort(base->sources, source_stat_compare);
  for (guint i = 0; i < base->sources->len; i++) {
    const SourceStat *st = &g_array_index(base->sources, SourceStat, i);
    g_hash_table_insert(base->source_index, (gpointer)st->key, GUINT_TO_POINTER(i + 1));
  }
}

/* Runs the open window (unless a strict stop left it unestimated), hands
 * it to the caller and frees it. */
static gboolean close_window(ReckonStream *s, gboolean run, GError **error)
{
  ReckonEngine *w = s->window;
  s->window = NULL;
  if (!w)
    return TRUE;
  GError *local = NULL;
  gboolean ok = !run || reckon_engine_run(w, &local);
  if (ok && run)
    carry_sources(s, w);
  s->closed_end = MAX(s->closed_end, s->window_end);
  s->windows++;
  s->incidents += w->incidents->len;
  if (!s->func(w, s->data, local ? NULL : &local))
    ok = FALSE;
  reckon_engine_free(w);
  if (s->base->progress)
    s->base->progress(RECKON_STAGE_ESTIMATE, s->read, s->incidents, s->base->progress_data);
  if (!ok) {
    s->failed = TRUE;
    g_propagate_error(error, local);
  }
  return ok;
}

/* A strict stop: the open window goes to the caller for its rejects. */
static gboolean stop(ReckonStream *s)
{
  GError *ignored = NULL;
  close_window(s, FALSE, &ignored);
  g_clear_error(&ignored);
  s->failed = TRUE;
  return FALSE;
}

/* Takes back the claim just read into @w, so it can be read again
 * elsewhere or rejected. */
static const char *pop_claim(ReckonEngine *w)
{
  Claim *c = &g_array_index(w->claims, Claim, w->claims->len - 1);
  const char *id = c->id; /* in the window's strings: lives as long as the window */
  memo_id_forget(w, id);
  claim_clear(c);
  g_array_set_size(w->claims, w->claims->len - 1);
  return id;
}

static gboolean reject(ReckonStream *s, ReckonEngine *w, const char *id, const char *reason,
                       const char *text, gsize len, GError **error)
{
  if (!reader_reject(w, RECKON_ERROR_INPUT, s->name, s->line, id, reason, text, len, error))
    return stop(s);
  return TRUE;
}

static char *day_text(gint64 day)
{
  GDate d;
  g_date_clear(&d, 1);
  g_date_set_julian(&d, (guint32)CLAMP(day, 1, G_MAXUINT32));
  return g_strdup_printf("%04u-%02u-%02u", g_date_get_year(&d), g_date_get_month(&d),
                         g_date_get_day(&d));
}

/* Reads one line of claim text and places the claim in its window. */
static gboolean take_line(ReckonStream *s, const char *text, gsize len, GError **error)
{
  ReckonEngine *w = open_window(s);
  guint before = w->claims->len;
  s->read++;
  if (!reader_take_text(w, s->name, s->line, text, len, error))
    return stop(s);
  if (w->claims->len == before)
    return TRUE; /* rejected by the reader */
  const DateSpan when = g_array_index(w->claims, Claim, before).when;
  if (!date_span_is_set(&when)) {
    const char *id = pop_claim(w);
    return reject(s, w, id, "claim has no incident.when: streaming places claims by date "
                  "(run without --stream to group it by its key)", text, len, error);
  }
  gint64 tolerance = s->base->opts.date_tolerance;
  gint64 widen = date_span_shape(&when) == DATE_SHAPE_VAGUE ? tolerance : 0;
  gint64 first = (gint64)when.start - widen, last = (gint64)when.end + widen;
  if (first <= s->closed_end) {
    const char *id = pop_claim(w);
    char *dated = date_span_format(&when), *closed = day_text(s->closed_end);
    char *reason = g_strdup_printf("claim dated %s comes after the claims up to %s were "
                                   "estimated: streaming needs claims sorted by incident.when",
                                   dated, closed);
    gboolean ok = reject(s, w, id, reason, text, len, error);
    g_free(reason);
    g_free(closed);
    g_free(dated);
    return ok;
  }
  /* Every later claim starts on this claim's day or after, and reaches
   * back at most the tolerance: past the window's end, none can join it. */
  if (before > 0 && (gint64)when.start - tolerance > s->window_end) {
    pop_claim(w);
    if (!close_window(s, TRUE, error))
      return FALSE;
    w = open_window(s);
    s->window_end = last;
    if (!reader_take_text(w, s->name, s->line, text, len, error))
      return stop(s);
    return TRUE;
  }
  s->window_end = before > 0 ? MAX(s->window_end, last) : last;
  return TRUE;
}

/* One whole line of the input (without its newline), @true_len bytes
 * long of which @len are kept, ending in @last. */
static gboolean end_line(ReckonStream *s, const char *p, gsize len, gsize true_len, char last,
                         GError **error)
{
  s->line++;
  if (s->refused)
    return TRUE;
  if (s->line == 1 && len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) {
    p += 3; /* a byte-order mark says nothing in UTF-8 */
    len -= 3;
    true_len -= 3;
  }
  if (true_len && last == '\r') { /* CR LF */
    len -= len == true_len;
    true_len--;
  }
  if (reader_blank(p, p + len))
    return TRUE;
  if (!s->seen_text) {
    s->seen_text = TRUE;
    gsize n = strlen(s->name);
    const char *q = p;
    while (g_ascii_isspace(*q))
      q++;
    const char *what = *q == '[' ? "a JSON array" :
                       n >= 4 && g_ascii_strcasecmp(s->name + n - 4, ".csv") == 0 ? "CSV" : NULL;
    if (what) {
      s->refused = TRUE;
      s->read++;
      char *reason = g_strdup_printf("the file is %s; streaming reads JSON Lines, one claim "
                                     "per line (run without --stream)", what);
      gboolean ok = reject(s, open_window(s), NULL, reason, NULL, 0, error);
      g_free(reason);
      return ok;
    }
  }
  if (true_len > len) { /* longer than the limit, and not kept whole */
    s->read++;
    char *reason = g_strdup_printf("claim is %" G_GSIZE_FORMAT " bytes, longer than the limit of %"
                                   G_GSIZE_FORMAT " bytes", true_len, s->base->opts.max_claim_bytes);
    ReckonEngine *w = open_window(s);
    gboolean ok = reader_reject(w, RECKON_ERROR_LIMIT, s->name, s->line, NULL, reason, p, len, error);
    g_free(reason);
    return ok || stop(s);
  }
  return take_line(s, p, len, error);
}

/* Ends the input being fed: its last line need not end in a newline. */
static gboolean end_input(ReckonStream *s, GError **error)
{
  gboolean ok = TRUE;
  if (s->partial_len)
    ok = end_line(s, s->partial->str, s->partial->len, s->partial_len, s->partial_last, error);
  g_string_truncate(s->partial, 0);
  s->partial_len = 0;
  g_clear_pointer(&s->name, g_free);
  s->line = 0;
  s->refused = s->seen_text = FALSE;
  return ok;
}

/* Keeps the start of a line that does not end in this block, up to one
 * byte past the length limit: enough to reject it by its length. */
static void keep(ReckonStream *s, const char *p, gsize n)
{
  gsize room = s->base->opts.max_claim_bytes + 1;
  if (s->partial->len < room)
    g_string_append_len(s->partial, p, (gssize)MIN(n, room - s->partial->len));
  s->partial_len += n;
  if (n)
    s->partial_last = p[n - 1];
}

gboolean reckon_stream_feed(ReckonStream *stream, const char *name, const char *data, gsize len,
                            GError **error)
{
  g_return_val_if_fail(stream != NULL, FALSE);
  g_return_val_if_fail(name != NULL, FALSE);
  g_return_val_if_fail(data != NULL || len == 0, FALSE);
  ReckonStream *s = stream;
  if (s->failed) {
    fail_again(error);
    return FALSE;
  }
  if (s->name && strcmp(s->name, name) != 0 && !end_input(s, error))
    return FALSE;
  if (!s->name)
    s->name = g_strdup(name);
  const char *p = data, *stop_at = data + len;
  while (p < stop_at) {
    const char *nl = memchr(p, '\n', (gsize)(stop_at - p));
    if (!nl) {
      keep(s, p, (gsize)(stop_at - p));
      break;
    }
    gboolean ok;
    if (s->partial_len) {
      keep(s, p, (gsize)(nl - p));
      ok = end_line(s, s->partial->str, s->partial->len, s->partial_len, s->partial_last, error);
      g_string_truncate(s->partial, 0);
      s->partial_len = 0;
    } else {
      ok = end_line(s, p, (gsize)(nl - p), (gsize)(nl - p), nl > p ? nl[-1] : '\n', error);
    }
    if (!ok)
      return FALSE;
    p = nl + 1;
  }
  return TRUE;
}

gboolean reckon_stream_load_file(ReckonStream *stream, const char *path, GError **error)
{
  g_return_val_if_fail(stream != NULL, FALSE);
  g_return_val_if_fail(path != NULL, FALSE);
  if (stream->failed) {
    fail_again(error);
    return FALSE;
  }
  int fd = engine_open_input(path, error);
  if (fd < 0)
    return FALSE;
  /* An input of the same name fed before is a new input all the same. */
  gboolean ok = end_input(stream, error);
  char *block = g_malloc(BLOCK);
  while (ok) {
    gssize n = read(fd, block, BLOCK);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      g_set_error(error, RECKON_ERROR, RECKON_ERROR_IO, "%s: cannot read: %s", path,
                  g_strerror(errno));
      ok = FALSE;
    }
    if (n <= 0)
      break;
    ok = reckon_stream_feed(stream, path, block, (gsize)n, error);
  }
  g_free(block);
  if (fd != STDIN_FILENO)
    close(fd);
  if (ok && stream->name)
    ok = end_input(stream, error);
  return ok;
}

gboolean reckon_stream_finish(ReckonStream *stream, GError **error)
{
  g_return_val_if_fail(stream != NULL, FALSE);
  if (stream->failed) {
    fail_again(error);
    return FALSE;
  }
  if (!end_input(stream, error))
    return FALSE;
  gboolean ok = close_window(stream, TRUE, error);
  if (ok)
    give_sources(stream);
  stream->failed = TRUE; /* finished: nothing more may be fed */
  return ok;
}
