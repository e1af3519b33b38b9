/*
 * test-group.c - grouping claims into incidents and estimates: explicit
 * keys, folded places and equal dates, metric synonyms, sub-populations,
 * readable incident ids and labels, and output independent of input order.
 */
#include <reckon.h>
#include <string.h>

#include "testutil.h"

/* One claim line: id, where (JSON), when, metric, who (JSON), key (JSON or NULL). */
static char *claim(const char *id, const char *where, const char *when, const char *metric,
                   const char *who, const char *key)
{
  return g_strdup_printf("{\"id\":\"%s\",\"source\":\"S-%s\",\"metric\":\"%s\",\"value\":\"5\","
                         "\"who\":%s,\"incident\":{\"what\":\"air strike\",\"where\":%s,"
                         "\"when\":\"%s\"%s%s}}\n",
                         id, id, metric, who ? who : "null", where, when, key ? ",\"key\":" : "",
                         key ? key : "");
}

typedef struct {
  const char *name;
  const char *claims[6][6]; /* id, where, when, metric, who, key */
  const char *expect;       /* "incident metric who: ids" per estimate, ';'-separated */
} GroupCase;

static const GroupCase cases[] = {
  {"places-fold-case-accents-punctuation",
   {{"a", "\"Homs Military College\"", "2023-10-05", "killed", NULL, NULL},
    {"b", "\"homs  military-college\"", "2023-10-05", "killed", NULL, NULL},
    {"c", "\"Hóms military college.\"", "2023-10-05", "dead", NULL, NULL}},
   "homs-military-college@2023-10-05 killed -: a,b,c"},
  {"different-days-stay-apart",
   {{"a", "\"Idlib\"", "2024-12-01", "killed", NULL, NULL},
    {"b", "\"Idlib\"", "2024-12-02", "killed", NULL, NULL}},
   "idlib@2024-12-01 killed -: a;idlib@2024-12-02 killed -: b"},
  {"day-and-month-stay-apart",
   {{"a", "\"Idlib\"", "2024-12-01", "killed", NULL, NULL},
    {"b", "\"Idlib\"", "2024-12", "killed", NULL, NULL}},
   "idlib@2024-12 killed -: b;idlib@2024-12-01 killed -: a"},
  {"explicit-key-wins",
   {{"a", "\"Homs Military Academy\"", "2023-10-05", "killed", NULL, "\"homs-academy\""},
    {"b", "\"the Syrian government military college in Homs\"", "2023-10-06", "killed", NULL,
     "\"Homs-Academy\""}},
   "homs-academy killed -: a,b"},
  {"place-arrays-in-any-order",
   {{"a", "[\"Idlib\", \"northern Aleppo\"]", "2024-11-26/2024-12-01", "killed", NULL, NULL},
    {"b", "[\"Northern Aleppo\", \"Idlib\"]", "2024-11-26/2024-12-01", "killed", NULL, NULL}},
   "idlib-northern-aleppo@2024-11-26/2024-12-01 killed -: a,b"},
  {"metrics-and-who-split-estimates",
   {{"a", "\"Harbanoush\"", "2024-12-02", "killed", NULL, NULL},
    {"b", "\"Harbanoush\"", "2024-12-02", "killed", "\"children\"", NULL},
    {"c", "\"Harbanoush\"", "2024-12-02", "wounded", NULL, NULL},
    {"d", "\"Harbanoush\"", "2024-12-02", "deaths", "\"Children\"", NULL},
    {"e", "\"Harbanoush\"", "2024-12-02", "killed", "\"women\"", NULL}},
   "harbanoush@2024-12-02 injured -: c;harbanoush@2024-12-02 killed -: a;"
   "harbanoush@2024-12-02 killed children: b,d;harbanoush@2024-12-02 killed women: e"},
};

static char *describe(const ReckonEngine *engine)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(engine, i);
    const char *who = reckon_estimate_who(e);
    g_string_append_printf(s, "%s%s %s %s:", i ? ";" : "", reckon_estimate_incident(e),
                           reckon_estimate_metric(e), who ? who : "-");
    for (guint j = 0; j < reckon_estimate_n_members(e); j++)
      g_string_append_printf(s, "%s%s", j ? "," : " ", reckon_estimate_member(e, j)->id);
  }
  return g_string_free(s, FALSE);
}

static void test_case(gconstpointer data)
{
  const GroupCase *c = data;
  g_test_summary("Claims about the same incident meet; different incidents stay apart");
  GString *text = g_string_new(NULL);
  for (int i = 0; i < 6 && c->claims[i][0]; i++) {
    char *line = claim(c->claims[i][0], c->claims[i][1], c->claims[i][2], c->claims[i][3],
                       c->claims[i][4], c->claims[i][5]);
    g_string_append(text, line);
    g_free(line);
  }
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  g_assert_true(reckon_engine_load_buffer(engine, "case", text->str, text->len, NULL));
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 0);
  reckon_engine_run(engine, NULL);
  char *got = describe(engine);
  g_assert_cmpstr(got, ==, c->expect);
  g_free(got);
  reckon_engine_free(engine);
  g_string_free(text, TRUE);
}

static void test_label(void)
{
  g_test_summary("The label names the most reported event type and place spelling, then the date");
  const char *text =
      "{\"source\":\"A\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":{\"what\":\"drone attack\","
      "\"where\":\"Homs military college\",\"when\":\"2023-10-05\",\"key\":\"k\"}}\n"
      "{\"source\":\"B\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":{\"what\":\"drone attack\","
      "\"where\":\"Homs Military Academy\",\"when\":\"2023-10-05\",\"key\":\"k\"}}\n"
      "{\"source\":\"C\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":{\"what\":\"drone strike\","
      "\"where\":\"Homs Military Academy\",\"when\":\"2023-10-05\",\"key\":\"k\"}}\n";
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  reckon_engine_load_buffer(engine, "in", text, strlen(text), NULL);
  reckon_engine_run(engine, NULL);
  g_assert_cmpstr(reckon_estimate_label(reckon_engine_estimate(engine, 0)), ==,
                  "drone attack, Homs Military Academy, 2023-10-05");
  reckon_engine_free(engine);
}

/* The run's output for @text as JSON Lines. */
static char *run_output(const char *text)
{
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  reckon_engine_load_buffer(engine, "in", text, strlen(text), NULL);
  reckon_engine_run(engine, NULL);
  char *out = test_write_to_string(engine, RECKON_FORMAT_JSONL);
  reckon_engine_free(engine);
  return out;
}

static void test_order_independent(void)
{
  g_test_summary("The same claims in any order give byte-identical output");
  char *path = g_test_build_filename(G_TEST_DIST, "..", "fixtures", "homs-2023", "claims.jsonl", NULL);
  char *text;
  g_assert_true(g_file_get_contents(path, &text, NULL, NULL));
  char **lines = g_strsplit(text, "\n", -1);
  guint n = g_strv_length(lines);
  char *want = run_output(text);
  g_assert_cmpuint(strlen(want), >, 0);
  for (int round = 0; round < 20; round++) {
    for (guint i = n - 1; i > 0; i--) {
      guint j = (guint)g_test_rand_int_range(0, (gint32)i + 1);
      char *t = lines[i];
      lines[i] = lines[j];
      lines[j] = t;
    }
    char *shuffled = g_strjoinv("\n", lines);
    char *got = run_output(shuffled);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
    g_free(shuffled);
  }
  g_free(want);
  g_strfreev(lines);
  g_free(text);
  g_free(path);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  for (gsize i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *name = g_strdup_printf("/group/case/%s", cases[i].name);
    g_test_add_data_func(name, &cases[i], test_case);
    g_free(name);
  }
  g_test_add_func("/group/label", test_label);
  g_test_add_func("/group/order-independent", test_order_independent);
  return g_test_run();
}
