/*
 * reader-robustness.c - what the claims reader's checks and limits cost,
 * and that bad input costs no more than its size.  Prints one line per
 * measurement: the work, its size, the best of five timings, and the rate.
 *
 *   reader-robustness [POPULATION_DIR]
 *
 * POPULATION_DIR (default ../shared/data/population, relative to the source
 * root) holds the population benchmark's claims.tsv; each of its rows
 * becomes a claim (the contributor as source, the city and year as the
 * incident, the figure as the value), so the claims have the variety of
 * real data.  The rows are repeated until there are 100,000 claims.
 */
#include <reckon.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "floor.h"

#define N_CLAIMS 100000
#define ROUNDS 5

typedef gboolean (*Work)(const char *text, gsize len, gpointer data);

/* The best of ROUNDS timings of @work, in seconds. */
static double best_time(Work work, const char *text, gsize len, gpointer data)
{
  double best = G_MAXDOUBLE;
  for (int i = 0; i < ROUNDS; i++) {
    gint64 t0 = g_get_monotonic_time();
    if (!work(text, len, data)) {
      fprintf(stderr, "reader-robustness: a measured run failed\n");
      exit(1);
    }
    best = MIN(best, (double)(g_get_monotonic_time() - t0) / 1e6);
  }
  return best;
}

/* How a measurement loads its text. */
typedef struct {
  const char *name;      /* the name it is loaded under (".csv" reads CSV) */
  gsize max_claim_bytes; /* 0 for the default */
  gboolean run;          /* group and estimate too */
} Load;

/* Loads @text as @data says; TRUE when something was read or rejected. */
static gboolean load(const char *text, gsize len, gpointer data)
{
  const Load *how = data;
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  if (how->max_claim_bytes)
    opts.max_claim_bytes = how->max_claim_bytes;
  ReckonEngine *engine = reckon_engine_new(&opts, NULL);
  gboolean ok = reckon_engine_load_buffer(engine, how->name, text, len, NULL) &&
                (!how->run || reckon_engine_run(engine, NULL)) &&
                reckon_engine_n_claims(engine) + reckon_engine_n_rejects(engine) > 0;
  reckon_engine_free(engine);
  return ok;
}

/* The floor: cJSON parses each line, nothing else. */
static gboolean parse_only(const char *text, gsize len, gpointer data)
{
  return floor_parse_lines(text, len) > 0;
}

static void report(const char *what, gsize bytes, guint claims, double seconds)
{
  printf("%-44s %10.1f MB %8u claims %9.4f s %9.1f MB/s", what, bytes / 1e6, claims, seconds,
         bytes / 1e6 / seconds);
  if (claims)
    printf(" %9.0f claims/s", claims / seconds);
  printf("\n");
}

/* @text cut back to @head, then @open, @unit @times times, @close. */
static void runaway(GString *text, gsize head, const char *open, const char *unit, gsize times,
                    const char *close)
{
  g_string_truncate(text, head);
  g_string_append(text, open);
  for (gsize i = 0; i < times; i++)
    g_string_append(text, unit);
  g_string_append(text, close);
}

/* Reports the load of @text as @how, named by @format. */
static void measure(const GString *text, Load *how, const char *format, ...) G_GNUC_PRINTF(3, 4);
static void measure(const GString *text, Load *how, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  char *what = g_strdup_vprintf(format, args);
  va_end(args);
  report(what, text->len, 0, best_time(load, text->str, text->len, how));
  g_free(what);
}

/* Claims made from the population rows, as JSON Lines and as CSV. */
static void make_claims(const char *dir, GString *jsonl, GString *csv)
{
  char *path = g_build_filename(dir, "claims.tsv", NULL);
  char *tsv;
  GError *error = NULL;
  if (!g_file_get_contents(path, &tsv, NULL, &error)) {
    fprintf(stderr, "reader-robustness: %s\n", error->message);
    exit(2);
  }
  char **rows = g_strsplit(tsv, "\n", -1);
  g_string_append(csv, "id,source,metric,value,where,when\n");
  for (guint n = 0, r = 0; n < N_CLAIMS; r = rows[r + 1] ? r + 1 : 0) {
    char **f = g_strsplit(rows[r], "\t", -1);
    if (g_strv_length(f) == 4) {
      cJSON *o = cJSON_CreateObject(), *inc = cJSON_CreateObject();
      char *id = g_strdup_printf("c%u", n);
      cJSON_AddStringToObject(o, "id", id);
      cJSON_AddStringToObject(o, "source", f[1]);
      cJSON_AddStringToObject(o, "metric", "displaced");
      cJSON_AddStringToObject(o, "value", f[2]);
      cJSON_AddStringToObject(inc, "where", f[0]);
      cJSON_AddStringToObject(inc, "when", f[3]);
      cJSON_AddItemToObject(o, "incident", inc);
      char *line = cJSON_PrintUnformatted(o);
      g_string_append_printf(jsonl, "%s\n", line);
      /* Sources and places hold commas; CSV quotes them (doubling quotes). */
      char **parts = g_strsplit(f[1], "\"", -1);
      char *src = g_strjoinv("\"\"", parts);
      g_string_append_printf(csv, "%s,\"%s\",displaced,%s,\"%s\",%s\n", id, src, f[2], f[0], f[3]);
      g_free(src);
      g_strfreev(parts);
      cJSON_free(line);
      cJSON_Delete(o);
      g_free(id);
      n++;
    }
    g_strfreev(f);
  }
  g_strfreev(rows);
  g_free(tsv);
  g_free(path);
}

int main(int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : "../shared/data/population";
  GString *jsonl = g_string_new(NULL), *csv = g_string_new(NULL);
  make_claims(dir, jsonl, csv);

  Load jsonl_load = {"bench.jsonl", 0, FALSE}, jsonl_run = {"bench.jsonl", 0, TRUE};
  Load csv_load = {"bench.csv", 0, FALSE};
  Load raised = {"bench.jsonl", 100000000, FALSE};
  report("cJSON parse of each line (the floor)", jsonl->len, N_CLAIMS,
         best_time(parse_only, jsonl->str, jsonl->len, NULL));
  report("load, JSON Lines", jsonl->len, N_CLAIMS,
         best_time(load, jsonl->str, jsonl->len, &jsonl_load));
  report("load + run, JSON Lines", jsonl->len, N_CLAIMS,
         best_time(load, jsonl->str, jsonl->len, &jsonl_run));
  report("load, CSV", csv->len, N_CLAIMS, best_time(load, csv->str, csv->len, &csv_load));

  /* One runaway line among good claims: rejected by its length, or read
   * in full when the limit is raised (parse cost, linear). */
  GString *text = g_string_new("{\"id\":\"a\",\"source\":\"S\",\"metric\":\"killed\",\"value\":\"8\","
                               "\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}\n");
  gsize head = text->len;
  for (int mb = 5; mb <= 50; mb *= 10) {
    runaway(text, head, "{\"id\":\"long\",\"quote\":\"", "x", (gsize)mb * 1000000, "\"}\n");
    measure(text, &jsonl_load, "a %d MB line, rejected by its length", mb);
    measure(text, &raised, "a %d MB line, parsed (limit raised)", mb);
  }
  /* A runaway value phrase, "1,1,1,...", parsed (the limit raised): the
   * phrase parser once searched the digits so far for each comma. */
  for (int mb = 1; mb <= 2; mb++) {
    runaway(text, head, "{\"source\":\"S\",\"metric\":\"killed\",\"value\":\"1", ",1",
            (gsize)mb * 500000, "\",\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}\n");
    measure(text, &raised, "a %d MB value phrase '1,1,1,...'", mb);
  }

  /* A hundred thousand open brackets: rejected at the nesting limit. */
  g_string_truncate(text, head);
  for (int i = 0; i < 100000; i++)
    g_string_append_c(text, '[');
  g_string_append_c(text, '\n');
  report("100,000 open brackets, rejected by nesting", text->len, 0,
         best_time(load, text->str, text->len, &jsonl_load));

  /* Binary garbage: every line a reject, none of it copied whole. */
  g_string_truncate(text, head);
  GRand *rand = g_rand_new_with_seed(1);
  for (int i = 0; i < 10000000; i++)
    g_string_append_c(text, (char)g_rand_int_range(rand, 0, 256));
  g_rand_free(rand);
  report("10 MB of random bytes", text->len, 0,
         best_time(load, text->str, text->len, &jsonl_load));

  g_string_free(text, TRUE);
  g_string_free(jsonl, TRUE);
  g_string_free(csv, TRUE);
  return 0;
}
