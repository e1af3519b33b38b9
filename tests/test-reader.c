/*
 * test-reader.c - the claims reader: every field of claims format v1, the
 * reasons given for bad claims (table in reader-cases.txt), and how JSON
 * Lines, JSON arrays and bad lines among good ones are read.
 */
#include <reckon.h>
#include <string.h>

#include "testutil.h"

typedef struct {
  char *name;
  char *expect;
  char *claim; /* the full JSON text of the claim line */
} Case;

static const char *base_claim =
    "{\"id\": \"c\", \"source\": \"Syrian Ministry of Health\", \"metric\": \"killed\", "
    "\"value\": \"80\", \"incident\": {\"where\": \"Homs\", \"when\": \"2023-10-05\"}}";

/* Lays @over onto @base; "incident" merges field by field; "$unset" removes. */
static void overlay(cJSON *base, const cJSON *over)
{
  for (const cJSON *f = over->child; f; f = f->next) {
    if (cJSON_IsString(f) && strcmp(f->valuestring, "$unset") == 0) {
      cJSON_DeleteItemFromObjectCaseSensitive(base, f->string);
      continue;
    }
    cJSON *have = cJSON_GetObjectItemCaseSensitive(base, f->string);
    if (strcmp(f->string, "incident") == 0 && cJSON_IsObject(f) && cJSON_IsObject(have)) {
      overlay(have, f);
      continue;
    }
    if (have)
      cJSON_ReplaceItemInObjectCaseSensitive(base, f->string, cJSON_Duplicate(f, TRUE));
    else
      cJSON_AddItemToObject(base, f->string, cJSON_Duplicate(f, TRUE));
  }
}

/* "\xHH" in a raw line stands for that byte, to write invalid UTF-8. */
static char *unescape_bytes(const char *s)
{
  GString *out = g_string_new(NULL);
  for (; *s; s++) {
    if (s[0] == '\\' && s[1] == 'x' && g_ascii_isxdigit(s[2]) && g_ascii_isxdigit(s[3])) {
      g_string_append_c(out, (char)(g_ascii_xdigit_value(s[2]) * 16 + g_ascii_xdigit_value(s[3])));
      s += 3;
    } else {
      g_string_append_c(out, *s);
    }
  }
  return g_string_free(out, FALSE);
}

static void test_case(gconstpointer data)
{
  const Case *c = data;
  g_test_summary("A claim is read into the range and metric it states, or rejected with its reason");
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  GError *error = NULL;
  g_assert_true(reckon_engine_load_buffer(engine, "case", c->claim, strlen(c->claim), &error));
  g_assert_no_error(error);
  g_assert_true(reckon_engine_run(engine, NULL));

  char **want = g_strsplit(c->expect, " ", 2);
  if (strcmp(want[0], "ok") == 0) {
    char **f = g_strsplit(c->expect, " ", -1);
    g_assert_cmpuint(g_strv_length(f), ==, 6);
    if (reckon_engine_n_rejects(engine))
      g_test_message("rejected: %s", reckon_engine_reject(engine, 0)->reason);
    g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 0);
    g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 1);
    g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 1);
    const ReckonEstimate *e = reckon_engine_estimate(engine, 0);
    g_assert_cmpstr(reckon_estimate_metric(e), ==, f[1]);
    g_assert_cmpstr(reckon_estimate_who(e), ==, strcmp(f[2], "-") ? f[2] : NULL);
    const ReckonMember *m = reckon_estimate_member(e, 0);
    g_assert_cmpuint(m->range.low, ==, g_ascii_strtoull(f[3], NULL, 10));
    g_assert_cmpuint(m->range.high, ==,
                     strcmp(f[4], "inf") ? g_ascii_strtoull(f[4], NULL, 10) : RECKON_UNBOUNDED);
    g_assert_cmpstr(reckon_kind_to_string(m->range.kind), ==, f[5]);
    g_strfreev(f);
  } else {
    g_assert_cmpstr(want[0], ==, "reject");
    g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 0);
    g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 0);
    g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
    const ReckonReject *r = reckon_engine_reject(engine, 0);
    g_assert_cmpstr(r->file, ==, "case");
    g_assert_cmpuint(r->line, ==, 1);
    if (!g_str_has_prefix(r->reason, want[1]))
      g_assert_cmpstr(r->reason, ==, want[1]);
  }
  g_strfreev(want);
  reckon_engine_free(engine);
}

static void case_free(gpointer data)
{
  Case *c = data;
  g_free(c->name);
  g_free(c->expect);
  g_free(c->claim);
  g_free(c);
}

static GPtrArray *load_cases(void)
{
  Table *table = test_load_table("reader-cases.txt");
  GPtrArray *cases = g_ptr_array_new_with_free_func(case_free);
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    g_assert_cmpuint(row->n_fields, >=, 2);
    Case *c = g_new0(Case, 1);
    c->expect = g_strdup(row->fields[0]);
    char *claim = g_strjoinv("|", row->fields + 1); /* JSON may hold '|' */
    if (g_str_has_prefix(claim, "raw:")) {
      c->claim = unescape_bytes(claim + 4);
    } else {
      cJSON *base = cJSON_Parse(base_claim), *over = cJSON_Parse(claim);
      if (!cJSON_IsObject(over))
        g_error("%s:%u: case is not a JSON object", table->filename, row->line);
      overlay(base, over);
      c->claim = cJSON_PrintUnformatted(base);
      cJSON_Delete(base);
      cJSON_Delete(over);
    }
    g_free(claim);
    char *slug = g_strdup(c->expect);
    g_strcanon(slug, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", '-');
    c->name = g_strdup_printf("/reader/case/%03u-line%u-%.40s", i + 1, row->line, slug);
    g_free(slug);
    g_ptr_array_add(cases, c);
  }
  table_free(table);
  return cases;
}

/* Loads @text as "in" and returns the engine, run. */
static ReckonEngine *load(const char *text, gboolean strict, GError **error)
{
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.strict = strict;
  ReckonEngine *engine = reckon_engine_new(&opts, NULL);
  if (reckon_engine_load_buffer(engine, "in", text, strlen(text), error))
    reckon_engine_run(engine, NULL);
  return engine;
}

#define CLAIM(id, value) \
  "{\"id\":\"" id "\",\"source\":\"S\",\"metric\":\"killed\",\"value\":\"" value \
  "\",\"incident\":{\"where\":\"Homs\",\"when\":\"2023-10-05\"}}"

static void test_lines_bad_among_good(void)
{
  g_test_summary("A bad JSON line is rejected with its line number and the other claims still run");
  const char *text = CLAIM("a", "80") "\n\n" "{broken\n" CLAIM("b", "over 100") "\n"
                     "   \n" CLAIM("c", "banana") "\n" CLAIM("d", "125");
  ReckonEngine *engine = load(text, FALSE, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 3);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 2);
  g_assert_cmpuint(reckon_engine_reject(engine, 0)->line, ==, 3);
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->text, ==, "{broken");
  g_assert_cmpuint(reckon_engine_reject(engine, 1)->line, ==, 6);
  g_assert_cmpstr(reckon_engine_reject(engine, 1)->id, ==, "c");
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 1);
  g_assert_cmpuint(reckon_estimate_n_members(reckon_engine_estimate(engine, 0)), ==, 3);
  reckon_engine_free(engine);
}

static void test_array(void)
{
  g_test_summary("A JSON array is read element by element; a bad element is rejected alone, "
                 "with the line it starts on");
  const char *text = "\xEF\xBB\xBF\n[\n  " CLAIM("a", "80") ",\n  {\"source\": [}\n  ,\n  " CLAIM(
      "b", "over 100") ",\n  \"x\",\n  " CLAIM("c", "125") "\n]\n";
  ReckonEngine *engine = load(text, FALSE, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 3);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 2);
  g_assert_cmpuint(reckon_engine_reject(engine, 0)->line, ==, 4);
  g_assert_cmpuint(reckon_engine_reject(engine, 1)->line, ==, 7);
  g_assert_cmpstr(reckon_engine_reject(engine, 1)->reason, ==, "claim is not a JSON object");
  reckon_engine_free(engine);

  engine = load("[" CLAIM("a", "80") ",\n" CLAIM("b", "81"), FALSE, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 2);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==, "JSON array is not closed with ']'");
  reckon_engine_free(engine);

  engine = load("[]", FALSE, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine) + reckon_engine_n_rejects(engine), ==, 0);
  reckon_engine_free(engine);
}

static void test_duplicate_ids(void)
{
  g_test_summary("A second claim with an id already read is rejected, naming the first");
  ReckonEngine *engine = load(CLAIM("a", "80") "\n" CLAIM("a", "81"), FALSE, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 1);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==, "duplicate claim id 'a' (first at in:1)");
  reckon_engine_free(engine);
}

static void test_strict(void)
{
  g_test_summary("With strict set, loading stops at the first bad claim with FILE:LINE: reason");
  GError *error = NULL;
  ReckonEngine *engine = load(CLAIM("a", "80") "\n" CLAIM("b", "banana") "\n" CLAIM("c", "5"), TRUE,
                              &error);
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_INPUT);
  g_assert_cmpstr(error->message, ==, "in:2: value 'banana': no number in phrase");
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 1);
  g_clear_error(&error);
  reckon_engine_free(engine);
}

static void test_load_json_and_file(void)
{
  g_test_summary("Claims load from parsed JSON, and a missing file is an I/O error");
  cJSON *arr = cJSON_Parse("[" CLAIM("a", "80") "," CLAIM("b", "banana") "]");
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  GError *error = NULL;
  g_assert_true(reckon_engine_load_json(engine, "api", arr, &error));
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 1);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  g_assert_cmpuint(reckon_engine_reject(engine, 0)->line, ==, 2);
  g_assert_null(reckon_engine_reject(engine, 0)->text);
  g_assert_false(reckon_engine_load_file(engine, "/nonexistent/claims.jsonl", &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_IO);
  g_clear_error(&error);
  cJSON_Delete(arr);
  reckon_engine_free(engine);
}

static void test_default_id_and_extra(void)
{
  g_test_summary("A claim without an id is named FILE:LINE; unknown fields pass through to the output");
  ReckonEngine *engine = load("\n{\"source\":\"S\",\"metric\":\"killed\",\"value\":3,\"coder\":\"ab\","
                              "\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}",
                              FALSE, NULL);
  const ReckonEstimate *e = reckon_engine_estimate(engine, 0);
  g_assert_cmpstr(reckon_estimate_member(e, 0)->id, ==, "in:2");
  cJSON *json = reckon_estimate_to_json(e);
  const cJSON *m = cJSON_GetArrayItem(cJSON_GetObjectItem(json, "members"), 0);
  g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(cJSON_GetObjectItem(m, "extra"), "coder")),
                  ==, "ab");
  cJSON_Delete(json);
  reckon_engine_free(engine);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  GPtrArray *cases = load_cases();
  for (guint i = 0; i < cases->len; i++) {
    Case *c = g_ptr_array_index(cases, i);
    g_test_add_data_func(c->name, c, test_case);
  }
  g_test_add_func("/reader/lines/bad-among-good", test_lines_bad_among_good);
  g_test_add_func("/reader/array", test_array);
  g_test_add_func("/reader/duplicate-ids", test_duplicate_ids);
  g_test_add_func("/reader/strict", test_strict);
  g_test_add_func("/reader/load-json-and-file", test_load_json_and_file);
  g_test_add_func("/reader/default-id-and-extra", test_default_id_and_extra);
  int status = g_test_run();
  g_ptr_array_unref(cases);
  return status;
}
