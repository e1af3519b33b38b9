/*
 * test-group.c - grouping claims into incidents (table in group-cases.txt):
 * spellings, translations, transliterations and places outside the
 * gazetteer meet; different days, places and event types stay apart;
 * vague dates join only an unambiguous day; aggregates stay whole and
 * contain what lies inside them; keys win.  Also: one estimate per
 * metric and sub-population, readable labels, output independent of
 * input order, and the sort grouping shares out among threads.
 */
#include <reckon.h>
#include <string.h>

#include "parallel.h"
#include "textsort.h"
#include "testutil.h"

typedef struct {
  char *name;
  guint tolerance;
  GString *claims;   /* JSON Lines */
  GPtrArray *expect; /* of char*: "ID = MEMBERS ^ PARENT" */
} GroupCase;

static void group_case_free(gpointer data)
{
  GroupCase *c = data;
  g_free(c->name);
  g_string_free(c->claims, TRUE);
  g_ptr_array_unref(c->expect);
  g_free(c);
}

static int compare_strings(gconstpointer a, gconstpointer b)
{
  return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "b a  c" -> "a b c": members compared as one space-separated, sorted list. */
static char *sorted_words(const char *text)
{
  char **words = g_strsplit_set(text, " ", -1);
  GPtrArray *kept = g_ptr_array_new();
  for (char **w = words; *w; w++)
    if (**w)
      g_ptr_array_add(kept, *w);
  g_ptr_array_sort(kept, compare_strings);
  g_ptr_array_add(kept, NULL);
  char *out = g_strjoinv(" ", (char **)kept->pdata);
  g_ptr_array_unref(kept);
  g_strfreev(words);
  return out;
}

static void add_claim(GroupCase *c, const TableRow *row)
{
  cJSON *o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "id", row->fields[1]);
  cJSON_AddStringToObject(o, "source", row->fields[1]);
  cJSON_AddStringToObject(o, "metric", "killed");
  cJSON_AddStringToObject(o, "value", "5");
  cJSON *inc = cJSON_AddObjectToObject(o, "incident");
  const char *where = row->fields[2];
  cJSON *places = where[0] == '[' ? cJSON_Parse(where) : cJSON_CreateString(where);
  g_assert_nonnull(places);
  cJSON_AddItemToObject(inc, "where", places);
  cJSON_AddStringToObject(inc, "when", row->fields[3]);
  if (row->n_fields > 4 && row->fields[4][0])
    cJSON_AddStringToObject(inc, "what", row->fields[4]);
  if (row->n_fields > 5 && row->fields[5][0])
    cJSON_AddStringToObject(inc, "key", row->fields[5]);
  char *text = cJSON_PrintUnformatted(o);
  g_string_append_printf(c->claims, "%s\n", text);
  cJSON_free(text);
  cJSON_Delete(o);
}

static GPtrArray *load_cases(Table *table)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func(group_case_free);
  GHashTable *by_name = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < table->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(table->rows, i);
    g_assert_cmpuint(row->n_fields, >=, 3);
    GroupCase *c = g_hash_table_lookup(by_name, row->fields[0]);
    if (!c) {
      c = g_new0(GroupCase, 1);
      c->name = g_strdup(row->fields[0]);
      c->claims = g_string_new(NULL);
      c->expect = g_ptr_array_new_with_free_func(g_free);
      g_hash_table_insert(by_name, c->name, c);
      g_ptr_array_add(cases, c);
    }
    if (g_str_equal(row->fields[1], "tolerance")) {
      c->tolerance = (guint)atoi(row->fields[2]);
    } else if (g_str_equal(row->fields[1], "=>")) {
      g_assert_cmpuint(row->n_fields, >=, 4);
      char *members = sorted_words(row->fields[3]);
      g_ptr_array_add(c->expect, g_strdup_printf("%s = %s ^ %s", row->fields[2], members,
                                                 row->n_fields > 4 ? row->fields[4] : ""));
      g_free(members);
    } else {
      g_assert_cmpuint(row->n_fields, >=, 4);
      add_claim(c, row);
    }
  }
  g_hash_table_unref(by_name);
  return cases;
}

/* The run's incidents as "ID = MEMBERS ^ PARENT", sorted. */
static GPtrArray *incidents_of(const ReckonEngine *engine)
{
  GHashTable *members =
      g_hash_table_new_full(g_str_hash, g_str_equal, NULL, (GDestroyNotify)g_ptr_array_unref);
  GHashTable *parents = g_hash_table_new(g_str_hash, g_str_equal);
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(engine, i);
    const char *id = reckon_estimate_incident(e);
    GPtrArray *list = g_hash_table_lookup(members, id);
    if (!list)
      g_hash_table_insert(members, (gpointer)id, list = g_ptr_array_new());
    for (guint j = 0; j < reckon_estimate_n_members(e); j++)
      g_ptr_array_add(list, (gpointer)reckon_estimate_member(e, j)->id);
    const char *parent = reckon_estimate_parent(e);
    g_hash_table_insert(parents, (gpointer)id, (gpointer)(parent ? parent : ""));
  }
  GPtrArray *out = g_ptr_array_new_with_free_func(g_free);
  GHashTableIter it;
  gpointer key, value;
  g_hash_table_iter_init(&it, members);
  while (g_hash_table_iter_next(&it, &key, &value)) {
    GPtrArray *list = value;
    g_ptr_array_sort(list, compare_strings);
    g_ptr_array_add(list, NULL);
    char *joined = g_strjoinv(" ", (char **)list->pdata);
    g_ptr_array_add(out, g_strdup_printf("%s = %s ^ %s", (char *)key, joined,
                                         (char *)g_hash_table_lookup(parents, key)));
    g_free(joined);
  }
  g_ptr_array_sort(out, compare_strings);
  g_hash_table_unref(members);
  g_hash_table_unref(parents);
  return out;
}

static char *joined_lines(GPtrArray *lines)
{
  GString *s = g_string_new(NULL);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf(s, "%s\n", (char *)g_ptr_array_index(lines, i));
  return g_string_free(s, FALSE);
}

static void test_case(gconstpointer data)
{
  const GroupCase *c = data;
  g_test_summary("Claims about the same incident meet; different incidents stay apart, "
                 "aggregates contain their parts");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.date_tolerance = c->tolerance;
  GError *error = NULL;
  ReckonEngine *engine = reckon_engine_new(&opts, &error);
  g_assert_no_error(error);
  g_assert_true(reckon_engine_load_buffer(engine, c->name, c->claims->str, c->claims->len, &error));
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 0);
  g_assert_true(reckon_engine_run(engine, &error));
  GPtrArray *got = incidents_of(engine);
  GPtrArray *want = g_ptr_array_new();
  for (guint i = 0; i < c->expect->len; i++)
    g_ptr_array_add(want, g_ptr_array_index(c->expect, i));
  g_ptr_array_sort(want, compare_strings);
  char *got_text = joined_lines(got), *want_text = joined_lines(want);
  g_assert_cmpstr(got_text, ==, want_text);
  g_free(got_text);
  g_free(want_text);
  g_ptr_array_unref(got);
  g_ptr_array_unref(want);
  reckon_engine_free(engine);
}

/* Estimates as "incident metric who: ids", ';'-separated. */
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


/* A run of the claims in @text (JSON Lines), which must all be read. */
static ReckonEngine *run_text(const char *text)
{
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  g_assert_true(reckon_engine_load_buffer(engine, "in", text, strlen(text), NULL));
  g_assert_true(reckon_engine_run(engine, NULL));
  return engine;
}

static void test_metrics_and_who(void)
{
  g_test_summary("Within an incident there is one estimate per metric (after synonyms) and who");
  const char *text =
      "{\"id\":\"a\",\"source\":\"A\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":"
      "{\"where\":\"Harbanoush\",\"when\":\"2024-12-02\"}}\n"
      "{\"id\":\"b\",\"source\":\"B\",\"metric\":\"killed\",\"who\":\"children\",\"value\":\"5\","
      "\"incident\":{\"where\":\"Harbanoush\",\"when\":\"2024-12-02\"}}\n"
      "{\"id\":\"c\",\"source\":\"C\",\"metric\":\"wounded\",\"value\":\"5\",\"incident\":"
      "{\"where\":\"Harbanoush\",\"when\":\"2024-12-02\"}}\n"
      "{\"id\":\"d\",\"source\":\"D\",\"metric\":\"deaths\",\"who\":\"Children\",\"value\":\"5\","
      "\"incident\":{\"where\":\"Harbanush\",\"when\":\"2024-12-02\"}}\n"
      "{\"id\":\"e\",\"source\":\"E\",\"metric\":\"killed\",\"who\":\"women\",\"value\":\"5\","
      "\"incident\":{\"where\":\"Harbanoush\",\"when\":\"2024-12-02\"}}\n";
  ReckonEngine *engine = run_text(text);
  char *got = describe(engine);
  g_assert_cmpstr(
      got, ==,
      "harbanoush@2024-12-02 injured -: c;harbanoush@2024-12-02 killed -: a;"
      "harbanoush@2024-12-02 killed children: b,d;harbanoush@2024-12-02 killed women: e");
  g_free(got);
  reckon_engine_free(engine);
}

static void test_label(void)
{
  g_test_summary("The label names the most reported event type and place spelling, then the date; "
                 "place and date are canonical");
  const char *text =
      "{\"source\":\"A\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":{\"what\":\"drone "
      "attack\","
      "\"where\":\"Homs military college\",\"when\":\"2023-10-05\",\"key\":\"k\"}}\n"
      "{\"source\":\"B\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":{\"what\":\"drone "
      "attack\","
      "\"where\":\"Homs Military Academy\",\"when\":\"2023-10-05\",\"key\":\"k\"}}\n"
      "{\"source\":\"C\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":{\"what\":\"drone "
      "strike\","
      "\"where\":\"Homs Military Academy\",\"when\":\"2023-10-05\",\"key\":\"k\"}}\n";
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  reckon_engine_load_buffer(engine, "in", text, strlen(text), NULL);
  reckon_engine_run(engine, NULL);
  const ReckonEstimate *e = reckon_engine_estimate(engine, 0);
  g_assert_cmpstr(reckon_estimate_label(e), ==, "drone attack, Homs Military Academy, 2023-10-05");
  g_assert_cmpstr(reckon_estimate_place(e), ==, "Homs Military Academy");
  g_assert_cmpstr(reckon_estimate_when(e), ==, "2023-10-05");
  g_assert_null(reckon_estimate_parent(e));
  reckon_engine_free(engine);
}

/* Grouping drops the keys of incidents once they are named, but a keyed
 * incident's key is what explain quotes. */
static void test_explain_keyed(void)
{
  g_test_summary("Explaining an incident grouped by an explicit key quotes the key, after the run "
                 "has dropped the internal keys of the other incidents");
  const char *text =
      "{\"source\":\"A\",\"metric\":\"killed\",\"value\":\"5\",\"incident\":{\"where\":"
      "\"Homs\",\"when\":\"2023-10-05\",\"key\":\"Market Blast\"}}\n"
      "{\"source\":\"B\",\"metric\":\"killed\",\"value\":\"7\",\"incident\":{\"where\":"
      "\"Idlib\",\"when\":\"2023-10-06\",\"key\":\"market blast\"}}\n"
      "{\"source\":\"C\",\"metric\":\"killed\",\"value\":\"3\",\"incident\":{\"where\":"
      "\"Aleppo\",\"when\":\"2023-10-07\"}}\n";
  ReckonEngine *engine = run_text(text);
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 2);
  guint keyed = 0;
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++) {
    const ReckonEstimate *e = reckon_engine_estimate(engine, i);
    char *why = reckon_engine_explain(engine, reckon_estimate_incident(e), NULL);
    g_assert_nonnull(why);
    if (reckon_estimate_n_members(e) == 2) {
      keyed++;
      g_assert_nonnull(strstr(why, "with the explicit incident key 'market blast'"));
    } else {
      g_assert_nonnull(strstr(why, "naming the same places on the same date"));
    }
    g_free(why);
  }
  g_assert_cmpuint(keyed, ==, 1);
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

static void test_order_independent(gconstpointer data)
{
  g_test_summary("The same claims in any order give byte-identical output");
  char *path = g_test_build_filename(G_TEST_DIST, "..", "fixtures", (const char *)data,
                                     "claims.jsonl", NULL);
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

/* Claims at @n invented places on one day, with Abzimo and Abzimoz (one
 * letter apart) among them, the fillers' order reversed when @reverse. */
static char *crowd_claims(guint n, gboolean reverse)
{
  static const char consonants[] = "bcdfghjklmnpqrstvwz";
  GString *out = g_string_new(NULL);
#define CROWD_LINE                                                                               \
  "{\"id\": \"%s\", \"source\": \"%s\", \"metric\": \"killed\", \"value\": \"5\", "             \
  "\"incident\": {\"where\": \"%s\", \"when\": \"2024-03-05\", \"what\": \"air strike\"}}\n"
  g_string_append_printf(out, CROWD_LINE, "a", "A", "Abzimo");
  for (guint k = 0; k < n; k++) {
    guint i = reverse ? n - 1 - k : k, v = i;
    char name[16] = "Qu", id[16];
    for (guint l = 0; l < 4; l++, v /= 19) {
      name[2 + 2 * l] = consonants[v % 19];
      name[3 + 2 * l] = "aeiou"[(v / 19 + l) % 5];
    }
    name[10] = '\0';
    g_snprintf(id, sizeof id, "f%u", i);
    g_string_append_printf(out, CROWD_LINE, id, "C", name);
  }
  g_string_append_printf(out, CROWD_LINE, "b", "B", "Abzimoz");
#undef CROWD_LINE
  return g_string_free(out, FALSE);
}

static void test_close_places_crowd(void)
{
  g_test_summary("Places one letter apart are one incident among thousands of other "
                 "places outside the gazetteer, whatever their order");
  for (guint n = 0; n <= 2500; n += 2500) {
    char *text = crowd_claims(n, FALSE);
    char *want = run_output(text);
    const char *abzimo = strstr(want, "{\"incident\":\"abzimo@2024-03-05\"");
    g_assert_nonnull(abzimo);
    g_assert_true(g_str_has_prefix(strstr(abzimo, "\"claims\":"), "\"claims\":2,"));
    g_assert_null(strstr(want, "abzimoz@"));
    /* The fillers' names are one letter apart in chains: they fold into
     * 118 incidents (1,893 if only equal spelling keys joined them), more
     * than enough keys with a letter deleted to sort by radix. */
    guint lines = 0;
    for (const char *p = want; (p = strchr(p, '\n')); p++)
      lines++;
    g_assert_cmpuint(lines, ==, n ? 119 : 1);
    char *reversed = crowd_claims(n, TRUE);
    char *got = run_output(reversed);
    g_assert_cmpstr(got, ==, want);
    g_free(got);
    g_free(reversed);
    g_free(want);
    g_free(text);
  }
}

static int compare_pointed(gconstpointer a, gconstpointer b, gpointer data)
{
  (void)data;
  return **(const guint *const *)a < **(const guint *const *)b ? -1
         : **(const guint *const *)a > **(const guint *const *)b;
}

static void test_parallel_sort(void)
{
  g_test_summary("Grouping sorts long lists on several threads: the order is that of one "
                 "stable sort (equal items keep their order) for any number of threads");
  for (guint n = 0; n <= 50000; n += 12345) {
    guint *keys = g_new(guint, n + 1);
    gpointer *want = g_new(gpointer, n + 1), *got = g_new(gpointer, n + 1);
    for (guint i = 0; i < n; i++) {
      keys[i] = (i * 7919u) % 997u; /* many equal keys, in no order */
      want[i] = &keys[i];
    }
    memcpy(got, want, n * sizeof *got);
    g_qsort_with_data(want, (gint)n, sizeof *want, compare_pointed, NULL);
    for (guint threads = 1; threads <= 7; threads++) {
      gpointer *items = g_memdup2(got, (n + 1) * sizeof *items);
      parallel_sort(items, n, compare_pointed, NULL, threads);
      for (guint i = 0; i < n; i++)
        g_assert_cmpuint((guint)((guint *)items[i] - keys), ==, /* the same item, not an equal one */
                         (guint)((guint *)want[i] - keys));
      g_free(items);
    }
    g_free(got);
    g_free(want);
    g_free(keys);
  }
}

static int compare_texts_pointed(gconstpointer a, gconstpointer b, gpointer data)
{
  (void)data;
  /* @a and @b are the addresses of two items, each the address of a text. */
  return strcmp(**(const char *const *const *)a, **(const char *const *const *)b);
}

static const char *text_pointed(gconstpointer item)
{
  return *(const char *const *)item;
}

static void test_text_sort(void)
{
  g_test_summary("Incident keys and ids are sorted as strcmp() sorts them, equal texts "
                 "keeping their order: texts alike in their first sixteen bytes or more, "
                 "ending there, shorter than them, and with bytes above 127");
  /* Texts of 0 to 20 bytes over a few letters, one of them above 127, so
   * that many share their first sixteen bytes and many are equal. */
  const char letters[] = {'a', 'b', '\x1f', (char)0xc3};
  GRand *rand = g_rand_new_with_seed(7);
  guint n = 20000;
  char **texts = g_new0(char *, n + 1);
  for (guint i = 0; i < n; i++) {
    guint len = (guint)g_rand_int_range(rand, 0, 21);
    texts[i] = g_malloc(len + 1);
    for (guint k = 0; k < len; k++)
      texts[i][k] = k < 14 ? 'a' : letters[g_rand_int_range(rand, 0, G_N_ELEMENTS(letters))];
    texts[i][len] = '\0';
  }
  gpointer *want = g_new(gpointer, n + 1);
  for (guint i = 0; i < n; i++)
    want[i] = &texts[i];
  gpointer *from = g_memdup2(want, (n + 1) * sizeof *want);
  g_qsort_with_data(want, (gint)n, sizeof *want, compare_texts_pointed, NULL);
  for (guint threads = 1; threads <= 3; threads++) {
    gpointer *items = g_memdup2(from, (n + 1) * sizeof *items);
    text_sort(items, n, text_pointed, threads);
    for (guint i = 0; i < n; i++)
      g_assert_cmpuint((guint)((char **)items[i] - texts), ==, (guint)((char **)want[i] - texts));
    g_free(items);
  }
  g_free(from);
  g_free(want);
  g_strfreev(texts);
  g_rand_free(rand);
}

/* The claims of one case of tests/label-cases.txt and what they must give. */
typedef struct {
  char *name;
  GPtrArray *claims; /* of TableRow*: CASE | WHAT | WHERE */
  const TableRow *want;
} LabelCase;

static void label_case_free(gpointer data)
{
  LabelCase *c = data;
  g_free(c->name);
  g_ptr_array_unref(c->claims);
  g_free(c);
}

/* The label and place of the one incident @claims form, in that order
 * or reversed. */
static void run_label_case(const LabelCase *c, gboolean reversed, char **label, char **place)
{
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < c->claims->len; i++) {
    const TableRow *row = g_ptr_array_index(c->claims, reversed ? c->claims->len - 1 - i : i);
    g_string_append_printf(text,
                           "{\"source\":\"S%u\",\"metric\":\"killed\",\"value\":\"5\","
                           "\"incident\":{\"what\":\"%s\",\"where\":\"%s\","
                           "\"when\":\"2023-10-05\",\"key\":\"k\"}}\n",
                           i, row->fields[1], row->fields[2]);
  }
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  g_assert_true(reckon_engine_load_buffer(engine, "in", text->str, text->len, NULL));
  g_assert_true(reckon_engine_run(engine, NULL));
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 1);
  const ReckonEstimate *e = reckon_engine_estimate(engine, 0);
  *label = g_strdup(reckon_estimate_label(e));
  *place = g_strdup(reckon_estimate_place(e));
  reckon_engine_free(engine);
  g_string_free(text, TRUE);
}

static void test_label_case(gconstpointer data)
{
  const LabelCase *c = data;
  g_test_summary("An incident is labelled by its most common what and where texts (equal "
                 "counts: the smaller text) and placed by the most common where's reading, "
                 "whatever the order of its claims");
  for (int reversed = 0; reversed < 2; reversed++) {
    char *label, *place;
    run_label_case(c, reversed, &label, &place);
    g_assert_cmpstr(label, ==, c->want->fields[2]);
    g_assert_cmpstr(place, ==, c->want->fields[3]);
    g_free(label);
    g_free(place);
  }
}

static GPtrArray *load_label_cases(const Table *table)
{
  GPtrArray *cases = g_ptr_array_new_with_free_func(label_case_free);
  LabelCase *c = NULL;
  for (guint i = 0; i < table->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(table->rows, i);
    if (!c || strcmp(c->name, row->fields[0]) != 0) {
      c = g_new0(LabelCase, 1);
      c->name = g_strdup(row->fields[0]);
      c->claims = g_ptr_array_new();
      g_ptr_array_add(cases, c);
    }
    if (strcmp(row->fields[1], "=>") == 0) {
      g_assert_cmpuint(row->n_fields, ==, 4);
      c->want = row;
    } else {
      g_assert_cmpuint(row->n_fields, ==, 3);
      g_ptr_array_add(c->claims, (gpointer)row);
    }
  }
  return cases;
}

/* Adds a test @prefix + name for each of @cases (GroupCase or LabelCase:
 * each starts with its name). */
static void add_cases(const char *prefix, GPtrArray *cases, GTestDataFunc func)
{
  for (guint i = 0; i < cases->len; i++) {
    gconstpointer c = g_ptr_array_index(cases, i);
    char *name = g_strconcat(prefix, *(char *const *)c, NULL);
    g_test_add_data_func(name, c, func);
    g_free(name);
  }
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("group-cases.txt");
  GPtrArray *cases = load_cases(table);
  add_cases("/group/case/", cases, test_case);
  g_test_add_func("/group/metrics-and-who", test_metrics_and_who);
  g_test_add_func("/group/label", test_label);
  Table *label_table = test_load_table("label-cases.txt");
  GPtrArray *label_cases = load_label_cases(label_table);
  add_cases("/group/label/", label_cases, test_label_case);
  g_test_add_func("/group/explain/keyed", test_explain_keyed);
  g_test_add_func("/group/close-places/crowd", test_close_places_crowd);
  g_test_add_func("/group/parallel/sort", test_parallel_sort);
  g_test_add_func("/group/parallel/text-sort", test_text_sort);
  g_test_add_data_func("/group/order-independent/homs-2023", "homs-2023", test_order_independent);
  g_test_add_data_func("/group/order-independent/nw-syria-2024", "nw-syria-2024",
                       test_order_independent);
  int status = g_test_run();
  g_ptr_array_unref(label_cases);
  table_free(label_table);
  g_ptr_array_unref(cases);
  table_free(table);
  return status;
}
