/*
 * test-api.c - the public API as an embedding program sees it: options,
 * argument checks, ownership, the output formats and the JSON field names
 * other tools read.
 */
#include <reckon.h>
#include <glib/gstdio.h>
#include <string.h>

#include "testutil.h"

static const char *homs =
    "{\"id\":\"moh\",\"source\":\"Syrian Ministry of Health\",\"metric\":\"killed\",\"value\":\"80\","
    "\"incident\":{\"what\":\"drone attack\",\"where\":\"Homs military college\",\"when\":\"2023-10-05\"}}\n"
    "{\"id\":\"sohr\",\"source\":\"SOHR\",\"metric\":\"dead\",\"value\":\"more than 100\","
    "\"incident\":{\"what\":\"drone attack\",\"where\":\"Homs Military College\",\"when\":\"2023-10-05\"}}\n";

/* The same two claims a day apart: the ministry's early count, then SOHR's. */
static const char *homs_dated =
    "{\"id\":\"moh\",\"source\":\"Syrian Ministry of Health\",\"metric\":\"killed\",\"value\":\"80\","
    "\"as_of\":\"2023-10-05\",\"incident\":{\"where\":\"Homs military college\",\"when\":\"2023-10-05\"}}\n"
    "{\"id\":\"sohr\",\"source\":\"SOHR\",\"metric\":\"dead\",\"value\":\"more than 100\","
    "\"as_of\":\"2023-10-06\",\"incident\":{\"where\":\"Homs Military College\",\"when\":\"2023-10-05\"}}\n";

static ReckonEngine *run(const char *text, const ReckonOptions *opts)
{
  GError *error = NULL;
  ReckonEngine *engine = reckon_engine_new(opts, &error);
  g_assert_no_error(error);
  g_assert_true(reckon_engine_load_buffer(engine, "api", text, strlen(text), &error));
  g_assert_true(reckon_engine_run(engine, &error));
  g_assert_no_error(error);
  return engine;
}

static void test_version(void)
{
  g_test_summary("The run-time version matches the headers");
  g_assert_cmpstr(reckon_version(), ==, RECKON_VERSION_STRING);
  g_assert_cmpint(RECKON_VERSION, ==,
                  RECKON_VERSION_ENCODE(RECKON_VERSION_MAJOR, RECKON_VERSION_MINOR, RECKON_VERSION_PATCH));
}

static void test_options(void)
{
  g_test_summary("Options start from documented defaults; bad values are refused with an error");
  ReckonOptions opts;
  reckon_options_init(&opts);
  g_assert_cmpuint(opts.version, ==, RECKON_OPTIONS_VERSION);
  g_assert_cmpint(opts.method, ==, RECKON_METHOD_BAYES);
  g_assert_cmpfloat(opts.level, ==, 0.9);
  g_assert_false(opts.strict);

  GError *error = NULL;
  opts.level = 1.0;
  g_assert_null(reckon_engine_new(&opts, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
  g_clear_error(&error);
  reckon_options_init(&opts);
  opts.version = 99;
  g_assert_null(reckon_engine_new(&opts, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
  g_clear_error(&error);

  ReckonMethod m;
  g_assert_true(reckon_method_from_string("median", &m));
  g_assert_cmpint(m, ==, RECKON_METHOD_MEDIAN);
  g_assert_false(reckon_method_from_string("mean", &m));
  ReckonFormat f;
  g_assert_true(reckon_format_from_string("csv", &f));
  g_assert_cmpstr(reckon_format_to_string(f), ==, "csv");
  g_assert_false(reckon_format_from_string("xml", &f));
}

static void test_free_null(void)
{
  g_test_summary("Freeing NULL is a harmless no-op");
  reckon_engine_free(NULL);
  reckon_rules_free(NULL);
}

static void test_bad_arguments(void)
{
  g_test_summary("Programmer errors are caught by argument checks, not crashes");
  if (g_test_subprocess()) {
    reckon_engine_run(NULL, NULL);
    return;
  }
  g_test_trap_subprocess(NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed();
  g_test_trap_assert_stderr("*reckon_engine_run*engine != NULL*");
}

/* The output formats do not depend on the estimator; the interval method
 * keeps the figures easy to check by hand. */
static ReckonEngine *run_interval(const char *text)
{
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.method = RECKON_METHOD_INTERVAL;
  return run(text, &opts);
}

static void test_jsonl_fields(void)
{
  g_test_summary("JSON Lines output keeps the documented field names and values");
  ReckonEngine *engine = run_interval(homs);
  char *out = test_write_to_string(engine, RECKON_FORMAT_JSONL);
  char **lines = g_strsplit(out, "\n", -1);
  g_assert_cmpuint(g_strv_length(lines), ==, 2); /* one estimate, then the final newline */
  cJSON *o = cJSON_Parse(lines[0]);
  g_assert_nonnull(o);
  static const char *const fields[] = {"incident", "label", "place", "when",    "parent",
                                       "metric",   "who",   "low",   "best",    "high",
                                       "level",    "claims", "sources", "flags", "members",
                                       "origins",  "method"};
  const cJSON *f = o->child;
  for (gsize i = 0; i < G_N_ELEMENTS(fields); i++, f = f->next)
    g_assert_cmpstr(f->string, ==, fields[i]);
  g_assert_cmpstr(cJSON_GetObjectItem(o, "incident")->valuestring, ==,
                  "homs-military-academy@2023-10-05");
  g_assert_cmpstr(cJSON_GetObjectItem(o, "place")->valuestring, ==, "Homs Military Academy");
  g_assert_cmpstr(cJSON_GetObjectItem(o, "when")->valuestring, ==, "2023-10-05");
  g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "parent")));
  g_assert_cmpstr(cJSON_GetObjectItem(o, "metric")->valuestring, ==, "killed");
  g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(o, "who")));
  g_assert_cmpfloat(cJSON_GetObjectItem(o, "low")->valuedouble, ==, 80);
  g_assert_cmpfloat(cJSON_GetObjectItem(o, "high")->valuedouble, ==, 101);
  g_assert_cmpstr(cJSON_GetArrayItem(cJSON_GetObjectItem(o, "flags"), 0)->valuestring, ==, "conflict");
  const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "members"), 0); /* by source */
  g_assert_cmpstr(cJSON_GetObjectItem(m, "id")->valuestring, ==, "sohr");
  g_assert_cmpstr(cJSON_GetObjectItem(m, "kind")->valuestring, ==, "more_than");
  g_assert_cmpstr(cJSON_GetObjectItem(m, "role")->valuestring, ==, "used");
  g_assert_true(cJSON_IsNull(cJSON_GetObjectItem(m, "high")));
  /* Aliases: SOHR is the Syrian Observatory for Human Rights, its origin. */
  g_assert_cmpstr(cJSON_GetObjectItem(m, "source")->valuestring, ==, "SOHR");
  g_assert_cmpstr(cJSON_GetObjectItem(m, "origin")->valuestring, ==, "Syrian Observatory for Human Rights");
  g_assert_cmpfloat(cJSON_GetObjectItem(m, "weight")->valuedouble, ==, 1);
  g_assert_cmpfloat(cJSON_GetObjectItem(o, "origins")->valuedouble, ==, 2);
  g_assert_cmpstr(cJSON_GetObjectItem(o, "method")->valuestring, ==, "interval");
  cJSON_Delete(o);
  g_strfreev(lines);
  g_free(out);
  reckon_engine_free(engine);
}

static void test_formats(void)
{
  g_test_summary("JSON is one array of the JSON Lines objects; CSV has a header and a row each");
  ReckonEngine *engine = run_interval(homs);
  char *jsonl = test_write_to_string(engine, RECKON_FORMAT_JSONL);
  char *json = test_write_to_string(engine, RECKON_FORMAT_JSON);
  cJSON *arr = cJSON_Parse(json), *line = cJSON_Parse(jsonl);
  g_assert_true(cJSON_IsArray(arr));
  g_assert_cmpint(cJSON_GetArraySize(arr), ==, 1);
  g_assert_true(cJSON_Compare(cJSON_GetArrayItem(arr, 0), line, TRUE));
  cJSON_Delete(arr);
  cJSON_Delete(line);

  char *csv = test_write_to_string(engine, RECKON_FORMAT_CSV);
  g_assert_cmpstr(csv, ==,
                  "incident,label,metric,who,low,best,high,level,claims,sources,flags,place,when,"
                  "parent,origins\n"
                  "homs-military-academy@2023-10-05,\"drone attack, Homs Military College, "
                  "2023-10-05\",killed,,80,90.5,101,0.9,2,2,conflict,Homs Military Academy,"
                  "2023-10-05,,2\n");
  char *table = test_write_to_string(engine, RECKON_FORMAT_TABLE);
  g_assert_nonnull(strstr(table, "killed: best 90.5, range 80-101"));
  g_free(jsonl);
  g_free(json);
  g_free(csv);
  g_free(table);
  reckon_engine_free(engine);
}

static void test_empty(void)
{
  g_test_summary("No claims give no estimates and valid empty output in every format");
  ReckonEngine *engine = run("", NULL);
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 0);
  char *json = test_write_to_string(engine, RECKON_FORMAT_JSON);
  g_assert_cmpstr(json, ==, "[]\n");
  char *jsonl = test_write_to_string(engine, RECKON_FORMAT_JSONL);
  g_assert_cmpstr(jsonl, ==, "");
  g_free(json);
  g_free(jsonl);
  reckon_engine_free(engine);
}

typedef struct {
  guint calls[3];
  guint64 claims[3], incidents[3];
} Seen;

static void record_progress(ReckonStage stage, guint64 claims, guint64 incidents, gpointer data)
{
  Seen *seen = data;
  g_assert_cmpint(stage, <=, RECKON_STAGE_ESTIMATE);
  /* Counts never go back. */
  g_assert_cmpuint(claims, >=, seen->claims[stage]);
  seen->calls[stage]++;
  seen->claims[stage] = claims;
  seen->incidents[stage] = incidents;
}

static void test_progress(void)
{
  g_test_summary("A progress function hears the claims read, then the incidents, then each "
                 "round of estimates; a run without one is the same");
  /* Enough claims for reports while reading, and one bad line. */
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < 20000; i++)
    g_string_append_printf(text, "{\"source\":\"S%u\",\"metric\":\"killed\",\"value\":%u,"
                           "\"incident\":{\"where\":\"Homs\",\"when\":\"2023-10-%02u\"}}\n",
                           i % 7, i % 50, 1 + i % 28);
  g_string_append(text, "not json\n");
  Seen seen = {0};
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  reckon_engine_set_progress(engine, record_progress, &seen);
  g_assert_true(reckon_engine_load_buffer(engine, "p", text->str, text->len, NULL));
  g_assert_cmpuint(seen.calls[RECKON_STAGE_READ], ==, 20001 / 8192 + 1);
  g_assert_cmpuint(seen.claims[RECKON_STAGE_READ], ==, 20001);
  g_assert_cmpuint(seen.incidents[RECKON_STAGE_READ], ==, 0);
  g_assert_true(reckon_engine_run(engine, NULL));
  g_assert_cmpuint(seen.calls[RECKON_STAGE_GROUP], ==, 1);
  g_assert_cmpuint(seen.incidents[RECKON_STAGE_GROUP], ==, 28);
  g_assert_cmpuint(seen.calls[RECKON_STAGE_ESTIMATE], >=, 1);
  g_assert_cmpuint(seen.incidents[RECKON_STAGE_ESTIMATE], ==, 28);
  char *with = test_write_to_string(engine, RECKON_FORMAT_JSONL);
  reckon_engine_free(engine);

  engine = reckon_engine_new(NULL, NULL);
  g_assert_true(reckon_engine_load_buffer(engine, "p", text->str, text->len, NULL));
  g_assert_true(reckon_engine_run(engine, NULL));
  char *without = test_write_to_string(engine, RECKON_FORMAT_JSONL);
  g_assert_cmpstr(with, ==, without);
  reckon_engine_free(engine);
  g_free(with);
  g_free(without);
  g_string_free(text, TRUE);
}

static void test_rerun(void)
{
  g_test_summary("Loading more claims and running again replaces the estimates");
  ReckonEngine *engine = run_interval(homs);
  g_assert_cmpuint(reckon_estimate_n_members(reckon_engine_estimate(engine, 0)), ==, 2);
  const char *more = "{\"source\":\"blog\",\"metric\":\"killed\",\"value\":125,"
                     "\"incident\":{\"where\":\"Homs military college\",\"when\":\"2023-10-05\"}}";
  g_assert_true(reckon_engine_load_buffer(engine, "more", more, strlen(more), NULL));
  g_assert_true(reckon_engine_run(engine, NULL));
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 1);
  const ReckonEstimate *e = reckon_engine_estimate(engine, 0);
  g_assert_cmpuint(reckon_estimate_n_members(e), ==, 3);
  g_assert_cmpuint(reckon_estimate_high(e), ==, 125);
  reckon_engine_free(engine);
}

static void test_explain(void)
{
  g_test_summary("explain names the grouping reason, each claim's range, weight and role, how "
                 "the estimate came about and the flags; an unknown incident is an error");
  ReckonEngine *engine = run(homs_dated, NULL);
  GError *error = NULL;
  char *text = reckon_engine_explain(engine, "homs-military-academy@2023-10-05", &error);
  g_assert_no_error(error);
  g_assert_nonnull(strstr(text, "Place: Homs Military Academy (site, in Homs,"));
  g_assert_nonnull(strstr(text, "moh: \"Homs military college\" is Homs Military Academy (alias "
                                "\"Homs military college\"); 2023-10-05"));
  g_assert_nonnull(strstr(text, "(bayes method, level 0.9)"));
  g_assert_nonnull(strstr(text, "moh: Syrian Ministry of Health (government, reliability 0.70) said \"80\", "
                                "true as of 2023-10-05: exactly 80 (exact)."));
  g_assert_nonnull(strstr(text, "Role superseded, weight "));
  g_assert_nonnull(strstr(text, "a later claim, sohr (as of 2023-10-06), puts the count at 101 or more"));
  g_assert_nonnull(strstr(text, "Their product over the counts the claims allow has"));
  g_assert_nonnull(strstr(text, "superseded (early counts replaced by later ones): moh."));
  g_free(text);
  reckon_engine_free(engine);

  engine = run_interval(homs);
  text = reckon_engine_explain(engine, "homs-military-academy@2023-10-05", &error);
  g_assert_nonnull(strstr(text, "(interval method, level 0.9)"));
  g_assert_nonnull(strstr(text, "Role used, weight 1.00: the range exactly 80."));
  g_assert_nonnull(strstr(text, "the range is their hull"));
  g_assert_nonnull(strstr(text, "conflict (credible claims whose ranges cannot both be true, or a toll "
                                "lower than its own origin's earlier count): sohr, moh."));
  g_free(text);
  g_assert_null(reckon_engine_explain(engine, "nosuch", &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
  g_clear_error(&error);
  reckon_engine_free(engine);
}

/* Guards against a run that frees grouping's readings changing what it
 * estimates, or explaining from freed memory. */
static void test_explain_not_kept(void)
{
  g_test_summary("A run without keep_explain gives the same estimates, members, places and "
                 "parents, twice on one engine, and refuses to explain");
  char *path = g_test_build_filename(G_TEST_DIST, "..", "fixtures", "nw-syria-2024", "claims.jsonl",
                                     NULL);
  GError *error = NULL;
  ReckonEngine *kept = reckon_engine_new(NULL, &error);
  g_assert_true(reckon_engine_load_file(kept, path, &error));
  g_assert_true(reckon_engine_run(kept, &error));
  char *want = test_write_to_string(kept, RECKON_FORMAT_JSONL);
  char *why = reckon_engine_explain(kept, "syria@2011/2024", &error);
  g_assert_no_error(error);
  g_assert_nonnull(strstr(why, "Place: Syria"));
  g_free(why);

  ReckonOptions opts = RECKON_OPTIONS_INIT;
  g_assert_true(opts.keep_explain);
  opts.keep_explain = FALSE;
  ReckonEngine *freed = reckon_engine_new(&opts, &error);
  g_assert_true(reckon_engine_load_file(freed, path, &error));
  for (int pass = 0; pass < 2; pass++) {
    g_assert_true(reckon_engine_run(freed, &error));
    g_assert_no_error(error);
    char *got = test_write_to_string(freed, RECKON_FORMAT_JSONL);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
    g_assert_cmpuint(reckon_engine_n_estimates(freed), ==, reckon_engine_n_estimates(kept));
    const ReckonEstimate *e = reckon_engine_estimate(freed, 0);
    g_assert_cmpstr(reckon_estimate_place(e), ==, reckon_estimate_place(reckon_engine_estimate(kept, 0)));
    g_assert_cmpfloat(reckon_estimate_member(e, 0)->weight, ==,
                      reckon_estimate_member(reckon_engine_estimate(kept, 0), 0)->weight);
    g_assert_null(reckon_engine_explain(freed, "syria@2011/2024", &error));
    g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
    g_assert_nonnull(strstr(error->message, "keep_explain"));
    g_clear_error(&error);
  }
  g_free(want);
  reckon_engine_free(freed);
  reckon_engine_free(kept);
  g_free(path);
}

static void test_rules(void)
{
  g_test_summary("Rules resolve metric synonyms; unknown profiles and missing directories are errors");
  GError *error = NULL;
  ReckonRules *rules = reckon_rules_new(NULL, NULL, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(reckon_rules_metric(rules, "Wounded"), ==, "injured");
  g_assert_cmpstr(reckon_rules_metric(rules, "death toll"), ==, "killed");
  g_assert_null(reckon_rules_metric(rules, "bananas"));
  reckon_rules_free(rules);

  g_assert_null(reckon_rules_new("nosuch", NULL, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
  g_assert_cmpstr(error->message, ==, "unknown profile 'nosuch' (known: default, acled)");
  g_clear_error(&error);

  const char *dirs[] = {"/nonexistent/rules", NULL};
  g_assert_null(reckon_rules_new(NULL, dirs, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
  g_clear_error(&error);

  char **profiles = reckon_rules_profiles();
  g_assert_cmpstr(profiles[0], ==, "default");
  g_assert_cmpstr(profiles[1], ==, "acled");
  g_strfreev(profiles);
}

static void test_user_metrics(void)
{
  g_test_summary("A user rules directory adds metrics; a malformed rule file fails with FILE:LINE");
  char *dir = g_dir_make_tmp("reckon-rules-XXXXXX", NULL);
  char *path = g_build_filename(dir, "metrics", NULL);
  const char *dirs[] = {dir, NULL};
  GError *error = NULL;

  g_assert_true(g_file_set_contents(path, "# extra\nexecuted | yes | executions, shot dead\n", -1, NULL));
  ReckonRules *rules = reckon_rules_new(NULL, dirs, &error);
  g_assert_no_error(error);
  g_assert_cmpstr(reckon_rules_metric(rules, "Executions"), ==, "executed");
  g_assert_cmpstr(reckon_rules_metric(rules, "dead"), ==, "killed");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.rules = rules;
  const char *text = "{\"source\":\"S\",\"metric\":\"shot dead\",\"value\":3,"
                     "\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}";
  ReckonEngine *engine = run(text, &opts);
  g_assert_cmpstr(reckon_estimate_metric(reckon_engine_estimate(engine, 0)), ==, "executed");
  reckon_engine_free(engine);
  reckon_rules_free(rules);

  g_assert_true(g_file_set_contents(path, "# extra\n\nexecuted | perhaps | executions\n", -1, NULL));
  g_assert_null(reckon_rules_new(NULL, dirs, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
  char *want = g_strdup_printf("%s:3: cumulative must be 'yes' or 'no', not 'perhaps'", path);
  g_assert_cmpstr(error->message, ==, want);
  g_free(want);
  g_clear_error(&error);

  g_remove(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

/* Writes @text to DIR/@name, loads rules from DIR, and returns them or the
 * error message (both newly allocated). */
static ReckonRules *rules_from(const char *dir, const char *name, const char *text, char **message)
{
  char *path = g_build_filename(dir, name, NULL);
  g_assert_true(g_file_set_contents(path, text, -1, NULL));
  const char *dirs[] = {dir, NULL};
  GError *error = NULL;
  ReckonRules *rules = reckon_rules_new(NULL, dirs, &error);
  *message = error ? g_strdup_printf("%s", error->message) : NULL;
  if (error)
    g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
  g_clear_error(&error);
  g_remove(path);
  g_free(path);
  return rules;
}

static void test_user_sources(void)
{
  g_test_summary("A user rules directory adds source aliases and kinds, and sub-populations; "
                 "malformed rows and a group that is part of itself fail with FILE:LINE");
  char *dir = g_dir_make_tmp("reckon-rules-XXXXXX", NULL);
  char *message = NULL;
  ReckonRules *rules = rules_from(dir, "sources",
                                  "kind | local council | 0.9 | 2 | 0\n"
                                  "source | Idlib Health Directorate | local council | IHD, Idlib health\n",
                                  &message);
  g_assert_null(message);
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.rules = rules;
  const char *text = "{\"id\":\"a\",\"source\":\"IHD\",\"metric\":\"killed\",\"value\":3,"
                     "\"incident\":{\"where\":\"Idlib\",\"when\":\"2024\"}}\n"
                     "{\"id\":\"b\",\"source\":\"Idlib Health\",\"metric\":\"killed\",\"value\":3,"
                     "\"incident\":{\"where\":\"Idlib\",\"when\":\"2024\"}}\n";
  ReckonEngine *engine = run(text, &opts);
  const ReckonEstimate *e = reckon_engine_estimate(engine, 0);
  g_assert_cmpuint(reckon_estimate_n_sources(e), ==, 1);
  g_assert_cmpuint(reckon_estimate_n_origins(e), ==, 1);
  g_assert_cmpint(reckon_estimate_member(e, 1)->role, ==, RECKON_ROLE_ECHO);
  g_assert_cmpstr(reckon_estimate_member(e, 1)->origin, ==, "Idlib Health Directorate");
  g_assert_cmpuint(reckon_engine_n_sources(engine), ==, 1);
  g_assert_cmpstr(reckon_engine_source(engine, 0)->kind, ==, "local council");
  g_assert_cmpfloat(reckon_engine_source(engine, 0)->prior, ==, 0.9);
  reckon_engine_free(engine);
  reckon_rules_free(rules);

  static const struct {
    const char *file, *text, *reason;
  } bad[] = {
    {"sources", "source | X | nosuch\n", ":1: unknown kind 'nosuch' (define it with a 'kind' row first)"},
    {"sources", "# c\nkind | k | 1.5 | 4\n", ":2: reliability must be a number from 0.01 to 0.99, not '1.5'"},
    {"sources", "person | X | media\n", ":1: a row starts with 'kind' or 'source', not 'person'"},
    {"who", "cadets | soldiers | maybe\n", ":1: disjoint must be 'yes' or 'no', not 'maybe'"},
    {"who", "a | b | yes\nb | a | yes\n", ":2: 'b' would be a part of itself"},
  };
  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    g_assert_null(rules_from(dir, bad[i].file, bad[i].text, &message));
    char *want = g_strconcat(dir, G_DIR_SEPARATOR_S, bad[i].file, bad[i].reason, NULL);
    g_assert_cmpstr(message, ==, want);
    g_free(want);
    g_free(message);
  }
  g_rmdir(dir);
  g_free(dir);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  g_test_add_func("/api/version", test_version);
  g_test_add_func("/api/options", test_options);
  g_test_add_func("/api/free-null", test_free_null);
  g_test_add_func("/api/bad-arguments", test_bad_arguments);
  g_test_add_func("/api/jsonl-fields", test_jsonl_fields);
  g_test_add_func("/api/formats", test_formats);
  g_test_add_func("/api/empty", test_empty);
  g_test_add_func("/api/rerun", test_rerun);
  g_test_add_func("/api/progress", test_progress);
  g_test_add_func("/api/explain", test_explain);
  g_test_add_func("/api/explain/not-kept", test_explain_not_kept);
  g_test_add_func("/api/rules", test_rules);
  g_test_add_func("/api/user-metrics", test_user_metrics);
  g_test_add_func("/api/user-sources", test_user_sources);
  return g_test_run();
}
