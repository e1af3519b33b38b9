/*
 * test-reader.c - the claims reader: every field of claims format v1, the
 * reasons given for bad claims (tables in reader-cases.txt for JSON and
 * csv-cases.txt for CSV), how JSON Lines, JSON arrays and bad lines among
 * good ones are read, and the limits on a claim's length, its nesting and
 * the claims of one incident.
 */
#include <glib/gstdio.h>
#include <reckon.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "engine-private.h"
#include "memo.h"
#include "testutil.h"

typedef struct {
  char *name;
  char *expect;
  char *claim;     /* the full text loaded: a JSON claim line, or a CSV file */
  const char *file; /* the name it is loaded under */
  guint line;      /* the line a reject is expected on */
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
  g_assert_true(reckon_engine_load_buffer(engine, c->file, c->claim, strlen(c->claim), &error));
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
    g_assert_cmpstr(r->file, ==, c->file);
    g_assert_cmpuint(r->line, ==, c->line);
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

/* The CSV header every csv-cases.txt record is read under. */
static const char *csv_header = "id,source,metric,value,where,when,what,key,who,via,doc,quote";

/* Reads reader-cases.txt (@csv FALSE) or csv-cases.txt into @cases.  A
 * JSON case is laid over base_claim; a CSV case is a record after
 * csv_header.  "raw:" gives the whole text, "\xHH" standing for a byte;
 * "reject@N" expects the reject on line N. */
static void load_cases(GPtrArray *cases, const char *table_name, gboolean csv)
{
  Table *table = test_load_table(table_name);
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    g_assert_cmpuint(row->n_fields, >=, 2);
    Case *c = g_new0(Case, 1);
    c->file = csv ? "case.csv" : "case";
    c->line = csv ? 2 : 1;
    c->expect = g_strdup(row->fields[0]);
    if (g_str_has_prefix(c->expect, "reject@")) {
      c->line = (guint)g_ascii_strtoull(c->expect + 7, NULL, 10);
      char *rest = strchr(c->expect, ' ');
      char *plain = g_strconcat("reject", rest ? rest : "", NULL);
      g_free(c->expect);
      c->expect = plain;
    }
    char *claim = g_strjoinv("|", row->fields + 1); /* JSON may hold '|' */
    if (g_str_has_prefix(claim, "raw:")) {
      c->claim = unescape_bytes(claim + 4);
    } else if (csv) {
      char *record = unescape_bytes(claim);
      c->claim = g_strdup_printf("%s\n%s\n", csv_header, record);
      g_free(record);
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
    c->name = g_strdup_printf("/reader/%s/%03u-line%u-%.40s", csv ? "csv" : "case", i + 1,
                              row->line, slug);
    g_free(slug);
    g_ptr_array_add(cases, c);
  }
  table_free(table);
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
  g_assert_false(reckon_engine_load_file(engine, g_get_tmp_dir(), &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_IO);
  g_assert_true(g_str_has_suffix(error->message, ": is a directory, not a claims file"));
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

/* Guards against a claim's own unknown fields losing its incident key or
 * via list, or a shared record taking one claim's fields to another. */
static void test_key_and_extra(void)
{
  g_test_summary("Claims of one explicit key group whether or not they carry unknown fields "
                 "or a via list, each keeps its via list and passes through only its own fields");
  ReckonEngine *engine = load(
      "{\"id\":\"a\",\"source\":\"S\",\"metric\":\"killed\",\"value\":3,\"coder\":\"ab\","
      "\"via\":[\"R\"],\"incident\":{\"key\":\"K-1\",\"where\":\"Homs\"}}\n"
      "{\"id\":\"b\",\"source\":\"T\",\"metric\":\"killed\",\"value\":4,\"via\":\"R\","
      "\"incident\":{\"key\":\"K-1\",\"where\":\"Idlib\"}}\n"
      "{\"id\":\"c\",\"source\":\"U\",\"metric\":\"killed\",\"value\":5,\"note\":1,"
      "\"incident\":{\"key\":\"K-1\"}}\n"
      "{\"id\":\"d\",\"source\":\"V\",\"metric\":\"killed\",\"value\":6,\"via\":[\"R\"],"
      "\"incident\":{\"key\":\"K-1\"}}\n",
      FALSE, NULL);
  const Claim *c = &g_array_index(engine->claims, Claim, 0);
  for (guint i = 0; i < 4; i++)
    g_assert_cmpstr(claim_key(&c[i]), ==, "K-1");
  g_assert_cmpstr(claim_via(&c[0])[0], ==, "R");
  g_assert_true(claim_via(&c[1]) == claim_via(&c[0]));
  g_assert_null(claim_via(&c[2]));
  g_assert_true(c[3].rare == c[1].rare); /* the same key and via, no unknown fields */
  g_assert_true(c[0].rare != c[1].rare);
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 1);
  const ReckonEstimate *e = reckon_engine_estimate(engine, 0);
  g_assert_cmpuint(reckon_estimate_n_members(e), ==, 4);
  cJSON *json = reckon_estimate_to_json(e);
  const cJSON *members = cJSON_GetObjectItem(json, "members");
  for (int i = 0; i < cJSON_GetArraySize(members); i++) {
    const cJSON *m = cJSON_GetArrayItem(members, i);
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(m, "id"));
    const cJSON *extra = cJSON_GetObjectItem(m, "extra");
    if (strcmp(id, "a") == 0)
      g_assert_cmpstr(cJSON_GetStringValue(cJSON_GetObjectItem(extra, "coder")), ==, "ab");
    else if (strcmp(id, "c") == 0)
      g_assert_cmpfloat(cJSON_GetNumberValue(cJSON_GetObjectItem(extra, "note")), ==, 1);
    else
      g_assert_null(extra);
    g_assert_cmpint(cJSON_GetArraySize(extra), ==, extra ? 1 : 0);
  }
  cJSON_Delete(json);
  reckon_engine_free(engine);
}

static void test_shared(void)
{
  g_test_summary("Claims that give the same value, or name the same source, share one record "
                 "of it, with the text and range each claim gave");
  const char *values[] = {
    "\"8\"", "\"8\"", "8", "8.0", "{\"low\":3,\"high\":null}", "{\"low\":3,\"high\":null}",
    "{\"high\":null,\"low\":3}", "{\"low\":3,\"high\":5}", "{\"low\":3,\"high\":5.0}",
    "{\"low\":3,\"high\":6}",
  };
  GString *text = g_string_new(NULL);
  for (guint i = 0; i < G_N_ELEMENTS(values); i++)
    g_string_append_printf(text, "{\"id\":\"c%u\",\"source\":\"S\",\"metric\":\"killed\","
                           "\"value\":%s,\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}\n",
                           i, values[i]);
  ReckonEngine *engine = load(text->str, FALSE, NULL);
  g_string_free(text, TRUE);
  g_assert_cmpuint(engine->claims->len, ==, G_N_ELEMENTS(values));
  const Claim *c = &g_array_index(engine->claims, Claim, 0);
  const char *texts[] = {"8", "8", "8", "8", "{\"low\":3,\"high\":null}",
                         "{\"low\":3,\"high\":null}", "{\"high\":null,\"low\":3}",
                         "{\"low\":3,\"high\":5}", "{\"low\":3,\"high\":5}", "{\"low\":3,\"high\":6}"};
  for (guint i = 0; i < G_N_ELEMENTS(values); i++)
    g_assert_cmpstr(c[i].value->text, ==, texts[i]);
  g_assert_cmphex((guintptr)c[0].value, ==, (guintptr)c[1].value);
  g_assert_cmphex((guintptr)c[2].value, ==, (guintptr)c[3].value);
  g_assert_cmphex((guintptr)c[4].value, ==, (guintptr)c[5].value);
  g_assert_cmphex((guintptr)c[0].value, !=, (guintptr)c[2].value); /* the phrase "8" and the number 8 */
  g_assert_cmphex((guintptr)c[5].value, !=, (guintptr)c[6].value);
  g_assert_cmphex((guintptr)c[7].value, ==, (guintptr)c[8].value);
  g_assert_cmphex((guintptr)c[8].value, !=, (guintptr)c[9].value);
  g_assert_cmpuint(c[9].value->range.high, ==, 6);
  for (guint i = 1; i < G_N_ELEMENTS(values); i++)
    g_assert_cmphex((guintptr)c[i].source, ==, (guintptr)c[0].source);
  g_assert_cmpstr(c[0].source->text, ==, "S");
  g_assert_cmpuint(c[2].value->range.low, ==, 8);
  g_assert_cmpuint(c[6].value->range.low, ==, 3);
  g_assert_cmpuint(c[6].value->range.high, ==, RECKON_UNBOUNDED);
  g_assert_cmpint(c[6].value->range.kind, ==, RECKON_KIND_AT_LEAST);
  reckon_engine_free(engine);
}

static void test_via(void)
{
  g_test_summary("via is kept as an aligned array of the outlets, nearest the origin first");
  /* Regression: the array once lived in the string chunk, unaligned. */
  ReckonEngine *engine = load("{\"id\":\"a\",\"source\":\"S\",\"metric\":\"killed\",\"value\":\"8\","
                              "\"via\":[\"Middle East Eye\",\"ZeroHedge\"],"
                              "\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}\n"
                              "{\"id\":\"b\",\"source\":\"S\",\"metric\":\"killed\",\"value\":\"8\","
                              "\"via\":\"Al Jazeera\",\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}",
                              FALSE, NULL);
  g_assert_cmpuint(engine->claims->len, ==, 2);
  const Claim *a = &g_array_index(engine->claims, Claim, 0);
  const Claim *b = &g_array_index(engine->claims, Claim, 1);
  g_assert_cmpuint((guintptr)claim_via(a) % G_ALIGNOF(char *), ==, 0);
  g_assert_cmpuint(g_strv_length((char **)claim_via(a)), ==, 2);
  g_assert_cmpstr(claim_via(a)[0], ==, "Middle East Eye");
  g_assert_cmpstr(claim_via(a)[1], ==, "ZeroHedge");
  g_assert_cmpuint(g_strv_length((char **)claim_via(b)), ==, 1);
  g_assert_cmpstr(claim_via(b)[0], ==, "Al Jazeera");
  reckon_engine_free(engine);

  /* A long chain of relays, in order, and a list with a bad element. */
  GString *text = g_string_new("{\"id\":\"a\",\"source\":\"S\",\"metric\":\"killed\","
                               "\"value\":\"8\",\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"},"
                               "\"via\":[");
  for (guint i = 0; i < 40; i++)
    g_string_append_printf(text, "%s\"Outlet %u\"", i ? "," : "", i);
  g_string_append(text, "]}\n{\"id\":\"b\",\"source\":\"S\",\"metric\":\"killed\","
                        "\"value\":\"8\",\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"},"
                        "\"via\":[\"X\",1]}");
  engine = load(text->str, FALSE, NULL);
  g_string_free(text, TRUE);
  g_assert_cmpuint(engine->claims->len, ==, 1);
  a = &g_array_index(engine->claims, Claim, 0);
  g_assert_cmpuint(g_strv_length((char **)claim_via(a)), ==, 40);
  g_assert_cmpstr(claim_via(a)[0], ==, "Outlet 0");
  g_assert_cmpstr(claim_via(a)[39], ==, "Outlet 39");
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==, "field 'via' must be an array of strings");
  reckon_engine_free(engine);
}

/* Loads @len bytes of @text as "in" under @opts and runs. */
static ReckonEngine *load_with(const ReckonOptions *opts, const char *text, gsize len,
                               GError **error)
{
  ReckonEngine *engine = reckon_engine_new(opts, NULL);
  if (reckon_engine_load_buffer(engine, "in", text, len, error))
    reckon_engine_run(engine, error);
  return engine;
}

/* Every claim read is in exactly one estimate or among the rejects. */
static void assert_conserved(const ReckonEngine *engine, guint n_read)
{
  guint used = 0;
  for (guint i = 0; i < reckon_engine_n_estimates(engine); i++)
    used += reckon_estimate_n_members(reckon_engine_estimate(engine, i));
  g_assert_cmpuint(used, ==, reckon_engine_n_claims(engine));
  g_assert_cmpuint(used + reckon_engine_n_rejects(engine), ==, n_read);
}

static void test_limit_claim_bytes(void)
{
  g_test_summary("A claim longer than max_claim_bytes is rejected unparsed; one at the limit reads");
  const char *claim = CLAIM("a", "80");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  g_assert_cmpuint(opts.max_claim_bytes, ==, 1048576);
  opts.max_claim_bytes = strlen(claim);
  char *text = g_strconcat(claim, "\n", CLAIM("bb", "80"), "\n", CLAIM("c", "80"), NULL);
  ReckonEngine *engine = load_with(&opts, text, strlen(text), NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 2);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  char *want = g_strdup_printf("claim is %zu bytes, longer than the limit of %zu bytes",
                               strlen(claim) + 1, strlen(claim));
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==, want);
  g_assert_cmpuint(reckon_engine_reject(engine, 0)->line, ==, 2);
  assert_conserved(engine, 3);
  reckon_engine_free(engine);

  opts.strict = TRUE;
  GError *error = NULL;
  engine = load_with(&opts, text, strlen(text), &error);
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_LIMIT);
  g_assert_true(g_str_has_prefix(error->message, "in:2: claim is"));
  g_clear_error(&error);
  reckon_engine_free(engine);
  g_free(want);
  g_free(text);
}

static void test_limit_long_line(void)
{
  g_test_summary("A 50 MB line is rejected, its reject keeps 64 KiB of it, and the claims "
                 "around it still run");
  gsize n = 50 * 1000 * 1000;
  GString *text = g_string_sized_new(n + 1024);
  g_string_append(text, CLAIM("a", "80") "\n{\"id\": \"long\", \"quote\": \"");
  for (gsize i = 0; i < n / 2; i++)
    g_string_append(text, "\xC3\xA9"); /* two bytes each, so a blind cut would split one */
  g_string_append(text, "\"}\n" CLAIM("b", "81") "\n");
  ReckonEngine *engine = load_with(NULL, text->str, text->len, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 2);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  const ReckonReject *r = reckon_engine_reject(engine, 0);
  g_assert_cmpuint(r->line, ==, 2);
  g_assert_true(g_str_has_prefix(r->reason, "claim is 5000002"));
  g_assert_cmpuint(strlen(r->text), <=, 65536);
  g_assert_cmpuint(strlen(r->text), >=, 65530);
  g_assert_true(g_utf8_validate(r->text, -1, NULL));
  assert_conserved(engine, 3);
  reckon_engine_free(engine);
  g_string_free(text, TRUE);
}

static void test_limit_depth(void)
{
  g_test_summary("A claim nested deeper than max_depth is rejected before cJSON parses it, "
                 "in text and in parsed JSON");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.max_depth = 3;
  const char *ok = "{\"source\":\"S\",\"metric\":\"killed\",\"value\":\"8\",\"x\":[[1]],"
                   "\"incident\":{\"where\":[\"Homs\"],\"when\":\"2023\"}}";
  const char *deep = "{\"source\":\"S\",\"metric\":\"killed\",\"value\":\"8\",\"x\":[[[1]]],"
                     "\"incident\":{\"where\":[\"Homs\"],\"when\":\"2023\"}}";
  char *text = g_strconcat(ok, "\n", deep, "\n", NULL);
  ReckonEngine *engine = load_with(&opts, text, strlen(text), NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 1);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==,
                  "JSON nested deeper than the limit of 3 levels (at column 51)");
  reckon_engine_free(engine);
  g_free(text);

  /* A hundred thousand brackets: the default limit stops them at 32. */
  GString *brackets = g_string_new(NULL);
  for (int i = 0; i < 100000; i++)
    g_string_append_c(brackets, '[');
  engine = load_with(NULL, brackets->str, brackets->len, NULL);
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==,
                  "JSON nested deeper than the limit of 32 levels (at column 33)");
  reckon_engine_free(engine);
  g_string_free(brackets, TRUE);

  /* Parsed JSON, built deeper than any stack could recurse through. */
  cJSON *claim = cJSON_Parse(ok), *inner = cJSON_CreateArray();
  cJSON_AddItemToObject(claim, "y", inner);
  for (int i = 0; i < 1000000; i++) {
    cJSON *next = cJSON_CreateArray();
    cJSON_AddItemToArray(inner, next);
    inner = next;
  }
  engine = reckon_engine_new(NULL, NULL);
  g_assert_true(reckon_engine_load_json(engine, "api", claim, NULL));
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==,
                  "JSON nested deeper than the limit of 32 levels");
  reckon_engine_free(engine);
  /* cJSON_Delete() recurses: take the tower apart from the top. */
  cJSON *tower = cJSON_DetachItemFromObject(claim, "y");
  while (tower) {
    cJSON *next = cJSON_DetachItemFromArray(tower, 0);
    cJSON_Delete(tower);
    tower = next;
  }
  cJSON_Delete(claim);
}

static void test_limit_incident_claims(void)
{
  g_test_summary("An incident with more claims than max_incident_claims has them all "
                 "rejected by the run; other incidents are estimated");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.max_incident_claims = 2;
  const char *text =
      CLAIM("a", "80") "\n" CLAIM("b", "81") "\n"
      "{\"id\":\"x\",\"source\":\"S\",\"metric\":\"killed\",\"value\":\"5\","
      "\"incident\":{\"where\":\"Idlib\",\"when\":\"2023\"}}\n"
      "{\"id\":\"c\",\"source\":\"S\",\"metric\":\"injured\",\"value\":\"5\","
      "\"incident\":{\"where\":\"Homs\",\"when\":\"2023-10-05\"}}\n";
  ReckonEngine *engine = load_with(&opts, text, strlen(text), NULL);
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 1);
  g_assert_cmpstr(reckon_estimate_incident(reckon_engine_estimate(engine, 0)), ==, "idlib@2023");
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 3);
  const char *ids[] = {"a", "b", "c"};
  for (guint i = 0; i < 3; i++) {
    const ReckonReject *r = reckon_engine_reject(engine, i);
    g_assert_cmpstr(r->id, ==, ids[i]);
    g_assert_cmpstr(r->reason, ==, "incident 'homs@2023-10-05' has 3 claims, more than the limit of 2");
  }
  g_assert_cmpuint(reckon_engine_reject(engine, 2)->line, ==, 4);
  assert_conserved(engine, 4);
  /* Claims read after the run: the ids of the rejected claims, and of the
   * one kept, are still taken where they were first seen. */
  const char *more = CLAIM("b", "9") "\n" CLAIM("x", "9") "\n" CLAIM("y", "9") "\n";
  g_assert_true(reckon_engine_load_buffer(engine, "more", more, strlen(more), NULL));
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 2);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 5);
  g_assert_cmpstr(reckon_engine_reject(engine, 3)->reason, ==, "duplicate claim id 'b' (first at in:2)");
  g_assert_cmpstr(reckon_engine_reject(engine, 4)->reason, ==, "duplicate claim id 'x' (first at in:3)");
  reckon_engine_free(engine);

  opts.strict = TRUE;
  GError *error = NULL;
  engine = load_with(&opts, text, strlen(text), &error);
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_LIMIT);
  g_assert_cmpstr(error->message, ==,
                  "in:1: incident 'homs@2023-10-05' has 3 claims, more than the limit of 2");
  g_assert_cmpuint(reckon_engine_n_estimates(engine), ==, 0);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  g_clear_error(&error);
  reckon_engine_free(engine);
}

static void test_long_reasons(void)
{
  g_test_summary("A reason quotes at most 60 characters of a field, and is never longer than "
                 "400 characters, however long the claim");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  opts.max_claim_bytes = 4 * 1000 * 1000;
  GString *value = g_string_new(NULL);
  for (int i = 0; i < 500000; i++)
    g_string_append(value, i ? ",1" : "1");
  char *text = g_strdup_printf("{\"source\":\"S\",\"metric\":\"killed\",\"value\":\"%s\","
                               "\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}\n"
                               "{\"source\":\"S\",\"metric\":\"%s\",\"value\":\"8\","
                               "\"incident\":{\"where\":\"Homs\",\"when\":\"2023\"}}\n",
                               value->str, value->str);
  ReckonEngine *engine = load_with(&opts, text, strlen(text), NULL);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 2);
  const char *reason = reckon_engine_reject(engine, 0)->reason;
  g_assert_true(g_str_has_prefix(reason, "value '1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                                         "1,1,\xE2\x80\xA6': malformed number '1,1,"));
  g_assert_cmpuint(g_utf8_strlen(reason, -1), ==, 401);
  g_assert_true(g_str_has_suffix(reason, "\xE2\x80\xA6"));
  g_assert_cmpstr(reckon_engine_reject(engine, 1)->reason, ==,
                  "unknown metric '1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,"
                  "\xE2\x80\xA6' (add it to rules/metrics)");
  reckon_engine_free(engine);
  g_free(text);
  g_string_free(value, TRUE);
}

static void test_limit_options(void)
{
  g_test_summary("Limits out of range are refused when the engine is made");
  ReckonOptions opts = RECKON_OPTIONS_INIT;
  GError *error = NULL;
  opts.max_depth = RECKON_MAX_DEPTH_LIMIT + 1;
  g_assert_null(reckon_engine_new(&opts, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
  g_clear_error(&error);
  opts.max_depth = RECKON_MAX_DEPTH_LIMIT;
  ReckonEngine *engine = reckon_engine_new(&opts, &error);
  g_assert_no_error(error);
  reckon_engine_free(engine);
  opts.max_claim_bytes = 0;
  g_assert_null(reckon_engine_new(&opts, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
  g_clear_error(&error);
  reckon_options_init(&opts);
  opts.max_incident_claims = 0;
  g_assert_null(reckon_engine_new(&opts, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_USAGE);
  g_clear_error(&error);
}

static void test_reject_text(void)
{
  g_test_summary("A reject's text is the claim's own line, without its CR, made valid UTF-8");
  static const char text[] = CLAIM("a", "80") "\r\n{\"id\": \"x\xff\" \x00}\r\n" CLAIM("b", "81") "\r\n";
  ReckonEngine *engine = load_with(NULL, text, sizeof text - 1, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 2);
  g_assert_cmpuint(reckon_engine_n_rejects(engine), ==, 1);
  const ReckonReject *r = reckon_engine_reject(engine, 0);
  g_assert_cmpuint(r->line, ==, 2);
  g_assert_cmpstr(r->reason, ==, "invalid UTF-8 at byte 10");
  g_assert_cmpstr(r->text, ==, "{\"id\": \"x\xEF\xBF\xBD\" \xEF\xBF\xBD}");
  reckon_engine_free(engine);
}

static void test_nul_byte(void)
{
  g_test_summary("A NUL byte in a line is named as such, and the lines around it read");
  static const char text[] = CLAIM("a", "80") "\n{\"id\": \"x\", \x00}\n" CLAIM("b", "81");
  ReckonEngine *engine = load_with(NULL, text, sizeof text - 1, NULL);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 2);
  g_assert_cmpstr(reckon_engine_reject(engine, 0)->reason, ==, "NUL byte at byte 13");
  reckon_engine_free(engine);
}

static void test_empty_and_blank(void)
{
  g_test_summary("Empty text, blank lines, a lone byte-order mark and an empty array hold no "
                 "claims and no rejects");
  const char *texts[] = {"", "\n\n  \r\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF[ ]\r\n", "[]"};
  for (gsize i = 0; i < G_N_ELEMENTS(texts); i++) {
    ReckonEngine *engine = load_with(NULL, texts[i], strlen(texts[i]), NULL);
    g_assert_cmpuint(reckon_engine_n_claims(engine) + reckon_engine_n_rejects(engine), ==, 0);
    reckon_engine_free(engine);
  }
}

static void test_binary(void)
{
  g_test_summary("Random bytes never crash the reader and every bad line is a reject; "
                 "the good claims among them read");
  GRand *rand = g_rand_new_with_seed(7);
  for (int round = 0; round < 50; round++) {
    GString *text = g_string_new(CLAIM("a", "80") "\n");
    for (int i = 0; i < 4096; i++)
      g_string_append_c(text, (char)g_rand_int_range(rand, 0, 256));
    g_string_append(text, "\n" CLAIM("b", "81") "\n");
    ReckonEngine *engine = load_with(NULL, text->str, text->len, NULL);
    g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 2);
    g_assert_cmpuint(reckon_engine_n_rejects(engine), >=, 1);
    for (guint i = 0; i < reckon_engine_n_rejects(engine); i++) {
      const ReckonReject *r = reckon_engine_reject(engine, i);
      g_assert_cmpuint(r->line, >=, 2);
      g_assert_true(r->text == NULL || g_utf8_validate(r->text, -1, NULL));
    }
    reckon_engine_free(engine);
    g_string_free(text, TRUE);
  }
  g_rand_free(rand);
}

static void test_fifo(void)
{
  g_test_summary("A named pipe is read as a stream, not mapped as an empty file");
  char *dir = g_dir_make_tmp("reckon-fifo-XXXXXX", NULL);
  char *path = g_build_filename(dir, "claims", NULL);
  g_assert_cmpint(mkfifo(path, 0600), ==, 0);
  GPid pid;
  char *argv[] = {(char *)"/bin/sh", (char *)"-c",
                  (char *)"printf '%s\\n' \"$1\" > \"$2\"", (char *)"sh",
                  (char *)CLAIM("a", "80"), path, NULL};
  g_assert_true(g_spawn_async(NULL, argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, &pid, NULL));
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  GError *error = NULL;
  g_assert_true(reckon_engine_load_file(engine, path, &error));
  g_assert_no_error(error);
  g_assert_cmpuint(reckon_engine_n_claims(engine), ==, 1);
  reckon_engine_free(engine);
  int status;
  waitpid(pid, &status, 0);
  g_spawn_close_pid(pid);
  g_unlink(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}

/* The id table forgets ids (a stream takes back a claim) without losing
 * the ids stored after them: ids whose hashes collide, forgotten in a
 * random order, with the table growing in between. */
static void test_ids_forget(void)
{
  g_test_summary("The table of claim ids finds every id it holds after others are forgotten");
  ReckonEngine *engine = reckon_engine_new(NULL, NULL);
  const char *file = memo_file(engine, "f.jsonl");
  enum { N = 3000 };
  char *ids[N];
  gboolean held[N];
  for (guint i = 0; i < N; i++) {
    ids[i] = g_strdup_printf("id-%u", i);
    /* Few distinct hashes: long runs of colliding slots. */
    Claim claim = {.id = ids[i], .file = file, .line = i + 1};
    g_array_append_val(engine->claims, claim);
    memo_id_add(engine, i % 7 == 0 ? 42 : memo_hash(ids[i]));
    held[i] = TRUE;
    if (i % 3 == 2) {
      guint k = (guint)g_test_rand_int_range(0, (gint32)i + 1);
      if (held[k] && k % 7 != 0) {
        memo_id_forget(engine, ids[k]);
        held[k] = FALSE;
      }
    }
  }
  for (guint i = 0; i < N; i++) {
    guint seen = memo_id_find(engine, ids[i], i % 7 == 0 ? 42 : memo_hash(ids[i]));
    g_assert_cmpint(seen != 0, ==, held[i]);
    if (held[i]) {
      char *where = g_strdup_printf("f.jsonl:%u", i + 1);
      g_assert_cmpstr(memo_sighting_text(engine, seen), ==, where);
      g_free(where);
    }
  }

  /* Claims taken out of the array, as a crowded incident's are: their ids
   * stay taken where they were first seen, and the ids of the claims that
   * moved up are found where they moved.  (The forgotten ones go too, as
   * a stream takes them out.) */
  guint kept = 0;
  for (guint i = 0; i < N; i++) {
    const Claim *c = &g_array_index(engine->claims, Claim, i);
    if (held[i] && i % 5 == 1)
      memo_id_gone(engine, c);
    else if (held[i])
      g_array_index(engine->claims, Claim, kept++) = *c;
  }
  g_array_set_size(engine->claims, kept);
  memo_id_release(engine);
  for (guint i = 0; i < N; i++) {
    guint seen = memo_id_find(engine, ids[i], memo_hash(ids[i]));
    g_assert_cmpint(seen != 0, ==, held[i]);
    if (held[i]) {
      char *where = g_strdup_printf("f.jsonl:%u", i + 1);
      g_assert_cmpstr(memo_sighting_text(engine, seen), ==, where);
      g_free(where);
    }
  }
  reckon_engine_free(engine);
  for (guint i = 0; i < N; i++)
    g_free(ids[i]);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  GPtrArray *cases = g_ptr_array_new_with_free_func(case_free);
  load_cases(cases, "reader-cases.txt", FALSE);
  load_cases(cases, "csv-cases.txt", TRUE);
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
  g_test_add_func("/reader/key-and-extra", test_key_and_extra);
  g_test_add_func("/reader/via", test_via);
  g_test_add_func("/reader/shared", test_shared);
  g_test_add_func("/reader/limit/claim-bytes", test_limit_claim_bytes);
  g_test_add_func("/reader/limit/long-line", test_limit_long_line);
  g_test_add_func("/reader/limit/depth", test_limit_depth);
  g_test_add_func("/reader/limit/incident-claims", test_limit_incident_claims);
  g_test_add_func("/reader/limit/options", test_limit_options);
  g_test_add_func("/reader/long-reasons", test_long_reasons);
  g_test_add_func("/reader/reject-text", test_reject_text);
  g_test_add_func("/reader/nul-byte", test_nul_byte);
  g_test_add_func("/reader/empty-and-blank", test_empty_and_blank);
  g_test_add_func("/reader/binary", test_binary);
  g_test_add_func("/reader/fifo", test_fifo);
  g_test_add_func("/reader/ids/forget", test_ids_forget);
  int status = g_test_run();
  g_ptr_array_unref(cases);
  return status;
}
