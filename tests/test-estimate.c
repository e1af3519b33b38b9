/*
 * test-estimate.c - the estimators (table in estimate-cases.txt) and the
 * invariants every estimate keeps: low <= best <= high, every claim a
 * member of exactly one estimate.
 */
#include <reckon.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

/* Builds a JSON Lines text of claims about one incident from "A:80; over 100". */
static char *claims_text(const char *spec)
{
  char **parts = g_strsplit(spec, ";", -1);
  GString *out = g_string_new(NULL);
  for (guint i = 0; parts[i]; i++) {
    char *p = g_strstrip(parts[i]);
    char *colon = strchr(p, ':');
    char *source = colon ? g_strndup(p, colon - p) : g_strdup_printf("s%02u", i + 1);
    const char *value = colon ? colon + 1 : p;
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "id", (char[]){(char)('a' + i), 0});
    cJSON_AddStringToObject(o, "source", source);
    cJSON_AddStringToObject(o, "metric", "killed");
    unsigned lo, hi;
    if (sscanf(value, "{%u,%u}", &lo, &hi) == 2) {
      cJSON *v = cJSON_AddObjectToObject(o, "value");
      cJSON_AddNumberToObject(v, "low", lo);
      cJSON_AddNumberToObject(v, "high", hi);
    } else {
      cJSON_AddStringToObject(o, "value", value);
    }
    cJSON *inc = cJSON_AddObjectToObject(o, "incident");
    cJSON_AddStringToObject(inc, "where", "Homs");
    cJSON_AddStringToObject(inc, "when", "2023-10-05");
    char *line = cJSON_PrintUnformatted(o);
    g_string_append_printf(out, "%s\n", line);
    cJSON_free(line);
    cJSON_Delete(o);
    g_free(source);
  }
  g_strfreev(parts);
  return g_string_free(out, FALSE);
}

static char *flags_text(ReckonFlags flags)
{
  GString *s = g_string_new(NULL);
  for (int bit = 0; bit < RECKON_FLAG_COUNT; bit++)
    if (flags & (1u << bit))
      g_string_append_printf(s, "%s%s", s->len ? "," : "", reckon_flag_to_string(1u << bit));
  if (!s->len)
    g_string_append(s, "-");
  return g_string_free(s, FALSE);
}

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("An estimator combines the claims' ranges into low, best, high and flags");
  g_assert_cmpuint(row->n_fields, ==, 7);
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  char **method = g_strsplit(row->fields[0], ":", 2);
  g_assert_true(reckon_method_from_string(method[0], &opts.method));
  if (method[1])
    opts.level = g_ascii_strtod(method[1], NULL);
  g_strfreev(method);

  ReckonEngine *engine = reckon_engine_new(&opts, NULL);
  char *text = claims_text(row->fields[1]);
  g_assert_true(reckon_engine_load_buffer(engine, "case", text, strlen(text), NULL));
  if (reckon_engine_n_rejects(engine))
    g_test_message("rejected: %s", reckon_engine_reject(engine, 0)->reason);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 0);
  g_assert_true(reckon_engine_run(engine, NULL));
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 1);
  const ReckonEstimate *e = reckon_engine_estimate(engine, 0);

  g_assert_cmpuint(reckon_estimate_low(e), ==, g_ascii_strtoull(row->fields[2], NULL, 10));
  g_assert_cmpfloat_with_epsilon(reckon_estimate_best(e), g_ascii_strtod(row->fields[3], NULL), 1e-9);
  g_assert_cmpuint(reckon_estimate_high(e), ==,
                   strcmp(row->fields[4], "inf") ? g_ascii_strtoull(row->fields[4], NULL, 10)
                                                 : RECKON_UNBOUNDED);
  char *flags = flags_text(reckon_estimate_flags(e));
  g_assert_cmpstr(flags, ==, row->fields[5]);
  g_free(flags);

  /* Members are sorted by source ("s01", ...) so their order is the order given,
   * except where a case names its sources. */
  GString *conflicting = g_string_new(NULL);
  for (guint i = 0; i < reckon_estimate_n_members(e); i++) {
    const ReckonMember *m = reckon_estimate_member(e, i);
    if (m->flags & RECKON_FLAG_CONFLICT)
      g_string_append_printf(conflicting, "%s%d", conflicting->len ? "," : "", m->id[0] - 'a' + 1);
  }
  g_assert_cmpstr(conflicting->len ? conflicting->str : "-", ==, row->fields[6]);
  g_string_free(conflicting, TRUE);
  g_free(text);
  reckon_engine_free(engine);
}

/* Random claims: whatever they say, low <= best <= high, and each claim is
 * in exactly one estimate. */
static void test_invariants(void)
{
  g_test_summary("For any claims, low <= best <= high and every claim is in exactly one estimate");
  static const char *const forms[] = {"", "at least ", "over ", "up to ", "fewer than "};
  for (int round = 0; round < 200; round++) {
    GString *spec = g_string_new(NULL);
    int n = g_test_rand_int_range(1, 9);
    for (int i = 0; i < n; i++) {
      g_string_append_printf(spec, "%s%s:%s%u", i ? ";" : "",
                             (const char *[]){"A", "B", "C"}[g_test_rand_int_range(0, 3)],
                             forms[g_test_rand_int_range(0, G_N_ELEMENTS(forms))],
                             (unsigned)g_test_rand_int_range(1, 500));
    }
    for (ReckonMethod method = RECKON_METHOD_INTERVAL; method <= RECKON_METHOD_MEDIAN; method++) {
      ReckonOptions opts = RECKON_OPTIONS_INIT;
      opts.method = method;
      ReckonEngine *engine = reckon_engine_new(&opts, NULL);
      char *text = claims_text(spec->str);
      reckon_engine_load_buffer(engine, "rand", text, strlen(text), NULL);
      reckon_engine_run(engine, NULL);
      guint members = 0;
      for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
        const ReckonEstimate *e = reckon_engine_estimate(engine, i);
        members += reckon_estimate_n_members(e);
        g_assert_cmpfloat(reckon_estimate_low(e), <=, reckon_estimate_best(e));
        if (reckon_estimate_high(e) != RECKON_UNBOUNDED)
          g_assert_cmpfloat(reckon_estimate_best(e), <=, reckon_estimate_high(e));
      }
      g_assert_cmpuint(members + reckon_engine_n_rejects(engine), ==, (guint)n);
      g_free(text);
      reckon_engine_free(engine);
    }
    g_string_free(spec, TRUE);
  }
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("estimate-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = g_strdup_printf("/estimate/case/%02u-line%u-%s", i + 1, row->line, row->fields[0]);
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }
  g_test_add_func("/estimate/invariants", test_invariants);
  int status = g_test_run();
  table_free(table);
  return status;
}
