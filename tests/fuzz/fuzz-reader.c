/*
 * fuzz-reader.c - libFuzzer target for the first stage and all that
 * follows it: the input is loaded as a claims file of unknown name (JSON
 * Lines, a JSON array or CSV, told apart as reckon tells them) and again
 * as a .csv file, then run, written in every format and explained; and
 * streamed (reckon/stream.h), fed in pieces of a size the first byte
 * picks.
 * Besides crashes and sanitizer reports it stops on a broken promise:
 * a claim not accounted for, or a reject that is not "FILE:LINE: reason"
 * with valid UTF-8 text.
 */
#include <reckon.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rejects(const ReckonEngine *engine)
{
  for (guint i = 0; i < reckon_engine_n_rejects(engine); i++) {
    const ReckonReject *r = reckon_engine_reject(engine, i);
    if (r->line < 1 || !r->reason[0] || (r->text && !g_utf8_validate(r->text, -1, NULL)))
      abort();
  }
}

typedef struct {
  FILE *sink;
  guint64 accounted; /* claims in estimates and rejects, over all windows */
} Streamed;

static gboolean check_window(const ReckonEngine *window, gpointer data, GError **error)
{
  Streamed *s = data;
  check_rejects(window);
  s->accounted += reckon_engine_n_rejects(window);
  for (guint i = 0; i < reckon_engine_n_estimates(window); i++)
    s->accounted += reckon_estimate_n_members(reckon_engine_estimate(window, i));
  return reckon_engine_write(window, RECKON_FORMAT_JSONL, s->sink, error);
}

/* Every line streamed is accounted for, whatever its order or pieces. */
static void stream_pieces(const char *text, size_t size, FILE *sink)
{
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.max_incident_claims = 8;
  opts.date_tolerance = size ? (guint8)text[0] % 4 : 0;
  ReckonEngine *engine = reckon_engine_new(&opts, NULL);
  Streamed s = {sink, 0};
  ReckonStream *stream = reckon_stream_new(engine, check_window, &s);
  size_t piece = size ? 1 + (guint8)text[0] % 64 : 1;
  for (size_t at = 0; at < size; at += piece)
    if (!reckon_stream_feed(stream, "fuzz", text + at, MIN(piece, size - at), NULL))
      abort();
  if (!reckon_stream_finish(stream, NULL) || s.accounted != reckon_stream_n_read(stream))
    abort();
  reckon_stream_free(stream);
  reckon_engine_free(engine);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
  static FILE *sink;
  if (!sink && !(sink = fopen("/dev/null", "w")))
    abort();
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.max_incident_claims = 8; /* small, so crowded incidents happen */
  ReckonEngine *engine = reckon_engine_new(&opts, NULL);
  const char *text = (const char *)data;
  if (!reckon_engine_load_buffer(engine, "fuzz", text, size, NULL) ||
      !reckon_engine_load_buffer(engine, "fuzz.csv", text, size, NULL) ||
      !reckon_engine_run(engine, NULL))
    abort(); /* only a strict engine may stop */
  check_rejects(engine);

  guint used = 0;
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++)
    used += reckon_estimate_n_members(reckon_engine_estimate(engine, i));
  if (used != reckon_engine_n_claims(engine))
    abort();

  for (int f = RECKON_FORMAT_TABLE; f <= RECKON_FORMAT_CSV; f++)
    reckon_engine_write(engine, (ReckonFormat)f, sink, NULL);
  if (reckon_engine_n_estimates(engine) > 0) {
    const char *incident = reckon_estimate_incident(reckon_engine_estimate(engine, 0));
    char *why = reckon_engine_explain(engine, incident, NULL);
    if (!why)
      abort();
    g_free(why);
  }
  reckon_engine_free(engine);
  stream_pieces(text, size, sink);
  return 0;
}
