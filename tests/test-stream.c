/*
 * test-stream.c - streaming (reckon/stream.h): which claims share a
 * window and when a window closes (table in stream-cases.txt), claims
 * split across the pieces fed, a claim longer than the limit, the source
 * reliabilities carried from one window to the next, strict stops, and
 * input that is not JSON Lines.
 */
#include <reckon.h>
#include <string.h>

#include "testutil.h"

static int compare_ids(gconstpointer a, gconstpointer b)
{
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* What the windows of a stream held, in the notation of stream-cases.txt. */
static gboolean collect(const ReckonEngine *window, gpointer data, GError **error)
{
  GString *out = data;
  (void)error;
  GPtrArray *ids = g_ptr_array_new();
  for (guint i = 0; i < reckon_engine_n_estimates(window); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(window, i);
    for (guint j = 0; j < reckon_estimate_n_members(e); j++)
      g_ptr_array_add(ids, (gpointer)reckon_estimate_member(e, j)->id);
  }
  g_ptr_array_sort(ids, compare_ids);
  if (out->len)
    g_string_append(out, " /");
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf(out, " %s", (const char *)g_ptr_array_index(ids, i));
  for (guint i = 0; i < reckon_engine_n_rejects(window); i++)
    g_string_append_printf(out, " !%s", reckon_engine_reject(window, i)->id);
  g_ptr_array_unref(ids);
  return TRUE;
}

/* Feeds @text in pieces of @piece bytes and returns what collect() saw. */
static char *run_stream(ReckonEngine *engine, const char *text, gsize piece)
{
  GString *out = g_string_new(NULL);
  GError *error = NULL;
  ReckonStream *stream = reckon_stream_new(engine, collect, out);
  gsize len = strlen(text);
  for (gsize at = 0; at < len; at += piece) {
    g_assert_true(reckon_stream_feed(stream, "claims.jsonl", text + at, MIN(piece, len - at), &error));
    g_assert_no_error(error);
  }
  g_assert_true(reckon_stream_finish(stream, &error));
  g_assert_no_error(error);
  reckon_stream_free(stream);
  return g_strstrip(g_string_free(out, FALSE));
}

static void claim_line(GString *out, const char *id, const char *when, const char *source,
                       const char *where, const char *value)
{
  g_string_append_printf(out, "{\"id\": \"%s\", \"source\": \"%s\", \"metric\": \"killed\", "
                         "\"value\": \"%s\", \"incident\": {\"where\": \"%s\", \"what\": \"air strike\"",
                         id, source, value, where);
  if (strcmp(when, "-") == 0)
    g_string_append_printf(out, ", \"key\": \"%s\"}}\n", id);
  else
    g_string_append_printf(out, ", \"when\": \"%s\"}}\n", when);
}

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("Claims share a window while a later claim could still join them; a claim "
                 "that could have joined a closed window, or has no date, is rejected");
  GString *text = g_string_new(NULL);
  char **claims = g_strsplit(row->fields[2], " ", -1);
  for (char **c = claims; *c; c++) {
    if (!**c)
      continue;
    char **kv = g_strsplit(*c, "=", 2);
    g_assert_cmpuint(g_strv_length(kv), ==, 2);
    claim_line(text, kv[0], kv[1], "Source", "Ariha", "5");
    g_strfreev(kv);
  }
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.date_tolerance = (unsigned)atoi(row->fields[1]);
  opts.method = RECKON_METHOD_MEDIAN;
  ReckonEngine *engine = reckon_engine_new(&opts, NULL);
  char *whole = run_stream(engine, text->str, text->len);
  g_assert_cmpstr(whole, ==, row->fields[3]);
  /* A claim split across the pieces fed is read as one. */
  char *pieces = run_stream(engine, text->str, 5);
  g_assert_cmpstr(pieces, ==, whole);
  g_free(pieces);
  g_free(whole);
  reckon_engine_free(engine);
  g_strfreev(claims);
  g_string_free(text, TRUE);
}

typedef struct {
  GPtrArray *reasons;
  guint windows;
} Rejects;

static gboolean collect_rejects(const ReckonEngine *window, gpointer data, GError **error)
{
  Rejects *r = data;
  (void)error;
  r->windows++;
  for (guint i = 0; i < reckon_engine_n_rejects(window); i++) {
    const ReckonReject *j = reckon_engine_reject(window, i);
    g_ptr_array_add(r->reasons, g_strdup_printf("%s:%u: %s", j->file, j->line, j->reason));
  }
  return TRUE;
}

/* A stream whose windows' rejects are kept as "FILE:LINE: reason". */
typedef struct {
  ReckonEngine *engine;
  ReckonStream *stream;
  Rejects r;
} RejectRun;

static void reject_run_init(RejectRun *t, const ReckonOptions *opts)
{
  GError *error = NULL;
  t->engine = reckon_engine_new(opts, &error);
  g_assert_no_error(error);
  t->r.reasons = g_ptr_array_new_with_free_func(g_free);
  t->r.windows = 0;
  t->stream = reckon_stream_new(t->engine, collect_rejects, &t->r);
}

static void reject_run_clear(RejectRun *t)
{
  reckon_stream_free(t->stream);
  reckon_engine_free(t->engine);
  g_ptr_array_unref(t->r.reasons);
}

static void test_long_line(void)
{
  g_test_summary("A line longer than max_claim_bytes, fed in pieces, is rejected by its full "
                 "length without being held whole, and the claims after it are read");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.max_claim_bytes = 200;
  opts.method = RECKON_METHOD_MEDIAN;
  RejectRun t;
  reject_run_init(&t, &opts);
  GError *error = NULL;
  GString *text = g_string_new(NULL);
  claim_line(text, "a", "2023-10-05", "Source", "Ariha", "5");
  g_string_append(text, "{\"id\": \"long\", \"quote\": \"");
  for (int i = 0; i < 1000; i++)
    g_string_append_c(text, 'x');
  g_string_append(text, "\"}\r\n");
  claim_line(text, "b", "2023-10-05", "Source", "Ariha", "5");
  for (gsize at = 0; at < text->len; at += 7)
    g_assert_true(reckon_stream_feed(t.stream, "big.jsonl", text->str + at, MIN(7, text->len - at), &error));
  g_assert_true(reckon_stream_finish(t.stream, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reckon_stream_n_read(t.stream), ==, 3);
  g_assert_cmpuint(t.r.reasons->len, ==, 1);
  g_assert_cmpstr(g_ptr_array_index(t.r.reasons, 0), ==,
                  "big.jsonl:2: claim is 1027 bytes, longer than the limit of 200 bytes");
  reject_run_clear(&t);
  g_string_free(text, TRUE);
}

static void test_not_lines(void)
{
  g_test_summary("A JSON array or a CSV file cannot be streamed: it is rejected as a whole, "
                 "at its first line, and the next input is read");
  RejectRun t;
  reject_run_init(&t, NULL);
  GError *error = NULL;
  GString *claim = g_string_new(NULL);
  claim_line(claim, "a", "2023-10-05", "Source", "Ariha", "5");
  char *array = g_strdup_printf("\n[%s]\n", claim->str);
  const char *csv = "id,source,metric,value,where,when\nb,S,killed,5,Ariha,2023-10-05\n";
  g_assert_true(reckon_stream_feed(t.stream, "array.json", array, strlen(array), &error));
  g_assert_true(reckon_stream_feed(t.stream, "claims.csv", csv, strlen(csv), &error));
  g_assert_true(reckon_stream_feed(t.stream, "ok.jsonl", claim->str, claim->len, &error));
  g_assert_true(reckon_stream_finish(t.stream, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(t.r.reasons->len, ==, 2);
  g_assert_cmpstr(g_ptr_array_index(t.r.reasons, 0), ==,
                  "array.json:2: the file is a JSON array; streaming reads JSON Lines, one claim "
                  "per line (run without --stream)");
  g_assert_cmpstr(g_ptr_array_index(t.r.reasons, 1), ==,
                  "claims.csv:1: the file is CSV; streaming reads JSON Lines, one claim per line "
                  "(run without --stream)");
  g_assert_cmpuint(reckon_stream_n_read(t.stream), ==, 3);
  reject_run_clear(&t);
  g_free(array);
  g_string_free(claim, TRUE);
}

static void test_strict(void)
{
  g_test_summary("A strict stream stops at the first claim out of order, hands the open window "
                 "over with its reject, and refuses more input");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.strict = TRUE;
  RejectRun t;
  reject_run_init(&t, &opts);
  GError *error = NULL;
  GString *text = g_string_new(NULL);
  claim_line(text, "a", "2023-10-06", "Source", "Ariha", "5");
  claim_line(text, "b", "2023-10-07", "Source", "Ariha", "5");
  claim_line(text, "c", "2023-10-05", "Source", "Ariha", "5");
  g_assert_false(reckon_stream_feed(t.stream, "s.jsonl", text->str, text->len, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_INPUT);
  g_assert_cmpstr(error->message, ==,
                  "s.jsonl:3: claim dated 2023-10-05 comes after the claims up to 2023-10-06 "
                  "were estimated: streaming needs claims sorted by incident.when");
  g_clear_error(&error);
  g_assert_cmpuint(t.r.windows, ==, 2);
  g_assert_cmpuint(t.r.reasons->len, ==, 1);
  g_assert_false(reckon_stream_finish(t.stream, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
  g_clear_error(&error);
  reject_run_clear(&t);
  g_string_free(text, TRUE);
}

/* The reliability and prior of source "X" in each window. */
typedef struct {
  double reliability[2], prior[2];
  guint windows;
} Learned;

static gboolean collect_source(const ReckonEngine *window, gpointer data, GError **error)
{
  Learned *l = data;
  (void)error;
  for (guint i = 0; i < reckon_engine_n_sources(window) && l->windows < 2; i++) {
    const ReckonSource *s = reckon_engine_source(window, i);
    if (strcmp(s->name, "X") == 0) {
      l->reliability[l->windows] = s->reliability;
      l->prior[l->windows] = s->prior;
    }
  }
  l->windows++;
  return TRUE;
}

static void test_priors_carry(void)
{
  g_test_summary("What a window learns of a source is the prior of the next window, and the "
                 "engine ends with the sources of all windows");
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  Learned l = {{0}, {0}, 0};
  GError *error = NULL;
  ReckonStream *stream = reckon_stream_new(engine, collect_source, &l);
  GString *text = g_string_new(NULL);
  /* Day one: X is far off three times where two others agree. */
  const char *places[] = {"Ariha", "Saraqib", "Sarmin"};
  for (guint i = 0; i < G_N_ELEMENTS(places); i++) {
    char id[32];
    g_snprintf(id, sizeof id, "a%u", i);
    claim_line(text, id, "2023-10-05", "A", places[i], "80");
    g_snprintf(id, sizeof id, "b%u", i);
    claim_line(text, id, "2023-10-05", "B", places[i], "80");
    g_snprintf(id, sizeof id, "x%u", i);
    claim_line(text, id, "2023-10-05", "X", places[i], "900");
  }
  claim_line(text, "x9", "2023-10-06", "X", "Ariha", "20");
  g_assert_true(reckon_stream_feed(stream, "p.jsonl", text->str, text->len, &error));
  g_assert_true(reckon_stream_finish(stream, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(l.windows, ==, 2);
  g_assert_cmpfloat(l.reliability[0], <, l.prior[0] - 0.1);
  g_assert_cmpfloat_with_epsilon(l.prior[1], l.reliability[0], 1e-9);
  /* At the end the engine holds X as all windows saw it. */
  const ReckonSource *x = NULL;
  for (guint i = 0; i < reckon_engine_n_sources(engine); i++)
    if (strcmp(reckon_engine_source(engine, i)->name, "X") == 0)
      x = reckon_engine_source(engine, i);
  g_assert_nonnull(x);
  g_assert_cmpuint(x->claims, ==, 4);
  g_assert_cmpfloat_with_epsilon(x->prior, l.prior[0], 1e-9);
  g_assert_cmpfloat_with_epsilon(x->reliability, l.reliability[1], 1e-9);
  g_assert_cmpuint(reckon_engine_n_sources(engine), ==, 3);
  reckon_stream_free(stream);
  reckon_engine_free(engine);
  g_string_free(text, TRUE);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("stream-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    g_assert_cmpuint(row->n_fields, ==, 4);
    char *name = g_strdup_printf("/stream/window/%02u-%s", i + 1, row->fields[0]);
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }
  g_test_add_func("/stream/long-line", test_long_line);
  g_test_add_func("/stream/not-json-lines", test_not_lines);
  g_test_add_func("/stream/strict", test_strict);
  g_test_add_func("/stream/priors-carry", test_priors_carry);
  int status = g_test_run();
  table_free(table);
  return status;
}
