/*
 * test-range.c - the value language (engine/range.c): every phrase of
 * range-cases.txt as its own test, the kind names, and the vague-word rules
 * (rules/quantifiers): the acled profile, user overrides, broken rule
 * files, and phrases nobody wrote down (a robustness sweep).
 */
#include <glib/gstdio.h>
#include <string.h>

#include "quantifiers.h"
#include "reckon/error.h"
#include "reckon/range.h"
#include "reckon/rules.h"
#include "testutil.h"

/* A range no parse can produce, to see that a failure leaves it alone. */
static const ReckonRange untouched = {7, 3, 99, RECKON_KIND_VAGUE};

static void assert_untouched(const ReckonRange *r)
{
  g_assert_cmpuint(r->low, ==, untouched.low);
  g_assert_cmpuint(r->high, ==, untouched.high);
  g_assert_cmpuint(r->figure, ==, untouched.figure);
  g_assert_cmpint(r->kind, ==, untouched.kind);
}

/* The phrase of a case: "..." is taken literally, to keep spaces. */
static char *case_phrase(const char *field)
{
  gsize len = strlen(field);
  if (len >= 2 && field[0] == '"' && field[len - 1] == '"')
    return g_strndup(field + 1, len - 2);
  return g_strdup(field);
}

static guint64 expect_count(const char *field, gboolean allow_inf)
{
  guint64 v;
  if (allow_inf && strcmp(field, "inf") == 0)
    return RECKON_UNBOUNDED;
  g_assert_true(g_ascii_string_to_unsigned(field, 10, 0, G_MAXUINT64, &v, NULL));
  return v;
}

static void assert_range(const ReckonRange *r, guint64 low, guint64 high, ReckonKind kind)
{
  g_assert_cmpuint(r->low, ==, low);
  g_assert_cmpuint(r->high, ==, high);
  g_assert_cmpstr(reckon_kind_to_string(r->kind), ==, reckon_kind_to_string(kind));
  g_assert_cmpuint(r->figure, >=, r->low);
  g_assert_cmpuint(r->figure, <=, r->high);
}

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  char *phrase = case_phrase(row->fields[0]);
  char *summary = g_strdup_printf("'%s' reads as an analyst would write it down", phrase);
  g_test_summary(summary);
  g_free(summary);

  ReckonRange r = untouched;
  GError *error = NULL;
  gboolean ok = reckon_range_parse(NULL, phrase, &r, &error);

  if (g_str_has_prefix(row->fields[1], "error: ")) {
    g_assert_cmpuint(row->n_fields, ==, 2);
    g_assert_false(ok);
    g_assert_error(error, RECKON_ERROR, RECKON_ERROR_PHRASE);
    g_assert_cmpstr(error->message, ==, row->fields[1] + strlen("error: "));
    assert_untouched(&r);
    g_error_free(error);
    g_free(phrase);
    return;
  }
  g_assert_no_error(error);
  g_assert_true(ok);
  g_assert_cmpuint(row->n_fields, >=, 4);
  g_assert_cmpuint(row->n_fields, <=, 5);
  ReckonKind kind;
  g_assert_true(reckon_kind_from_string(row->fields[3], &kind));
  assert_range(&r, expect_count(row->fields[1], FALSE), expect_count(row->fields[2], TRUE), kind);
  if (row->n_fields == 5)
    g_assert_cmpuint(r.figure, ==, expect_count(row->fields[4], FALSE));
  g_free(phrase);
}

static void test_kind_names(void)
{
  g_test_summary("Every kind has a name, and the name reads back as the kind");
  static const char *const names[] = {"exact",   "at_least", "more_than", "at_most", "less_than",
                                      "between", "approx",   "nearly",    "vague"};
  for (guint i = 0; i < G_N_ELEMENTS(names); i++) {
    ReckonKind kind;
    g_assert_cmpstr(reckon_kind_to_string((ReckonKind)i), ==, names[i]);
    g_assert_true(reckon_kind_from_string(names[i], &kind));
    g_assert_cmpint(kind, ==, (ReckonKind)i);
  }
  g_assert_false(reckon_kind_from_string("Exact", NULL));
  g_assert_false(reckon_kind_from_string("more than", NULL));
  g_assert_false(reckon_kind_from_string("", NULL));
}

/* Parses @phrase with @rules and checks the result. */
static void assert_parse(const ReckonRules *rules, const char *phrase, guint64 low, guint64 high,
                         guint64 figure, ReckonKind kind)
{
  ReckonRange r;
  GError *error = NULL;
  gboolean ok = reckon_range_parse(rules, phrase, &r, &error);
  g_assert_no_error(error);
  g_assert_true(ok);
  assert_range(&r, low, high, kind);
  g_assert_cmpuint(r.figure, ==, figure);
}

static void test_profile_acled(void)
{
  g_test_summary("--profile acled codes vague words as ACLED does: tens 10, dozens 12, "
                 "hundreds 100 (the low end and the quoted figure), same upper ends");
  GError *error = NULL;
  ReckonRules *acled = reckon_rules_new("acled", NULL, &error);
  g_assert_no_error(error);
  g_assert_nonnull(acled);

  assert_parse(NULL, "dozens", 24, 99, 36, RECKON_KIND_VAGUE);
  assert_parse(acled, "dozens", 12, 99, 12, RECKON_KIND_VAGUE);
  assert_parse(acled, "dozens of soldiers", 12, 99, 12, RECKON_KIND_VAGUE);
  assert_parse(acled, "tens", 10, 99, 10, RECKON_KIND_VAGUE);
  assert_parse(acled, "hundreds", 100, 999, 100, RECKON_KIND_VAGUE);
  assert_parse(acled, "scores", 20, 199, 20, RECKON_KIND_VAGUE);
  assert_parse(acled, "tens of thousands", 10000, 99999, 10000, RECKON_KIND_VAGUE);
  assert_parse(acled, "hundreds of thousands", 100000, 999999, 100000, RECKON_KIND_VAGUE);
  assert_parse(acled, "several", 3, 7, 3, RECKON_KIND_VAGUE);
  assert_parse(acled, "more than dozens", 13, RECKON_UNBOUNDED, 13, RECKON_KIND_MORE_THAN);
  /* Numbers are grammar, not rules: a profile cannot change them. */
  assert_parse(acled, "a dozen", 12, 12, 12, RECKON_KIND_EXACT);
  assert_parse(acled, "about 100", 90, 110, 100, RECKON_KIND_APPROX);
  reckon_rules_free(acled);

  /* "default" is the embedded table itself. */
  ReckonRules *def = reckon_rules_new("default", NULL, &error);
  g_assert_no_error(error);
  assert_parse(def, "dozens", 24, 99, 36, RECKON_KIND_VAGUE);
  reckon_rules_free(def);

  g_assert_null(reckon_rules_new("no-such-profile", NULL, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
  g_clear_error(&error);
}

/* A temporary rules directory holding one "quantifiers" file. */
static char *rules_dir_with(const char *quantifiers, gsize len)
{
  GError *error = NULL;
  char *dir = g_dir_make_tmp("reckon-range-XXXXXX", &error);
  g_assert_no_error(error);
  char *path = g_build_filename(dir, "quantifiers", NULL);
  g_assert_true(g_file_set_contents(path, quantifiers, (gssize)len, &error));
  g_assert_no_error(error);
  g_free(path);
  return dir;
}

static void remove_rules_dir(char *dir)
{
  char *path = g_build_filename(dir, "quantifiers", NULL);
  g_assert_cmpint(g_remove(path), ==, 0);
  g_assert_cmpint(g_rmdir(dir), ==, 0);
  g_free(path);
  g_free(dir);
}

static void test_user_override(void)
{
  g_test_summary("A --rules directory overrides default and profile rows and adds words; "
                 "rows it does not mention keep their values");
  static const char text[] = "# my newsroom's reading\n"
                             "dozens | 30 | 60 | 40\n"
                             "a slew, slews | 5 | 30 | 10\n";
  char *dir = rules_dir_with(text, sizeof text - 1);
  const char *dirs[] = {dir, NULL};
  GError *error = NULL;

  ReckonRules *rules = reckon_rules_new(NULL, dirs, &error);
  g_assert_no_error(error);
  assert_parse(rules, "dozens", 30, 60, 40, RECKON_KIND_VAGUE);
  assert_parse(rules, "a slew of people", 5, 30, 10, RECKON_KIND_VAGUE);
  assert_parse(rules, "Slews", 5, 30, 10, RECKON_KIND_VAGUE);
  /* "several dozen" is several x 12 (grammar), not the "dozens" row. */
  assert_parse(rules, "several dozen", 36, 95, 60, RECKON_KIND_VAGUE);
  assert_parse(rules, "scores", 40, 199, 60, RECKON_KIND_VAGUE);
  reckon_rules_free(rules);

  /* Profile first, then the user's directory: the user has the last word. */
  rules = reckon_rules_new("acled", dirs, &error);
  g_assert_no_error(error);
  assert_parse(rules, "dozens", 30, 60, 40, RECKON_KIND_VAGUE);
  assert_parse(rules, "tens", 10, 99, 10, RECKON_KIND_VAGUE);
  reckon_rules_free(rules);

  /* The defaults are untouched by either. */
  assert_parse(NULL, "dozens", 24, 99, 36, RECKON_KIND_VAGUE);
  remove_rules_dir(dir);
}

static void test_bad_rules(void)
{
  g_test_summary("A malformed quantifiers file fails the whole load with RECKON_ERROR_RULES "
                 "and 'FILE:LINE: reason'");
  static const struct {
    const char *text;
    guint line;
    const char *reason;
  } cases[] = {
    {"dozens | 24 | 99\n", 1, "expected 'words | low | high | typical', got 3 fields"},
    {"dozens\n", 1, "expected 'words | low | high | typical', got 1 field"},
    {"# a comment\n\ndozens | 99 | 24 | 50\n", 3, "low 99 is above high 24"},
    {"dozens | 24 | 99 | 200\n", 1, "typical 200 is outside low..high (24..99)"},
    {"dozens | many | 99 | 30\n", 1, "low 'many' is not a count"},
    {"dozens | -1 | 99 | 30\n", 1, "low '-1' is not a count"},
    {"dozens | 24 | lots | 30\n", 1, "high 'lots' is not a count or 'inf'"},
    {"dozens | 24 | 99 | inf\n", 1, "typical 'inf' is not a count"},
    {"many | 8 | inf | 20\nmany | 8 | 99 | 20\n", 2, "'many' is listed twice (first on line 1)"},
    {"dozens | 24 | 99 | 36\nDozens | 20 | 99 | 30\n", 2, "'dozens' is listed twice (first on line 1)"},
    {"few, a few, few | 2 | 5 | 3\n", 1, "'few' is listed twice (first on line 1)"},
    {"1000s | 2000 | 9999 | 3000\n", 1, "'1000s' has digits; numbers are read by the grammar"},
    {"a few, | 2 | 5 | 3\n", 1, "empty word in 'a few,'"},
    {"dozens | 24 | 99 | 36\ntens | 20 | 99 | 30 \xff\n", 2, "invalid UTF-8"},
  };
  for (guint i = 0; i < G_N_ELEMENTS(cases); i++) {
    char *dir = rules_dir_with(cases[i].text, strlen(cases[i].text));
    const char *dirs[] = {dir, NULL};
    GError *error = NULL;
    g_assert_null(reckon_rules_new(NULL, dirs, &error));
    g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
    char *path = g_build_filename(dir, "quantifiers", NULL);
    char *expected = g_strdup_printf("%s:%u: %s", path, cases[i].line, cases[i].reason);
    g_assert_cmpstr(error->message, ==, expected);
    g_free(expected);
    g_free(path);
    g_error_free(error);
    remove_rules_dir(dir);
  }
}

static void test_load_is_atomic(void)
{
  g_test_summary("A quantifiers file that fails to load changes nothing, even rows before "
                 "its bad line");
  Quantifiers *q = quantifiers_new();
  static const char good[] = "dozens | 24 | 99 | 36\n";
  static const char bad[] = "dozens | 12 | 99 | 12\nscores | x | 1 | 1\n";
  GError *error = NULL;
  g_assert_true(quantifiers_load(q, "good", good, sizeof good - 1, &error));
  g_assert_no_error(error);
  g_assert_false(quantifiers_load(q, "bad", bad, sizeof bad - 1, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
  g_assert_cmpstr(error->message, ==, "bad:2: low 'x' is not a count");
  g_clear_error(&error);
  QuantifierValue v;
  g_assert_true(quantifiers_lookup(q, "Dozens", &v));
  g_assert_cmpuint(v.low, ==, 24);
  g_assert_cmpuint(v.typical, ==, 36);
  g_assert_false(quantifiers_lookup(q, "scores", &v));
  quantifiers_free(q);
  quantifiers_free(NULL);
}

static void test_sweep(void)
{
  g_test_summary("Phrases assembled from the language's own pieces either parse to a "
                 "well-formed range or fail with a phrase error and a reason");
  static const char *const pieces[] = {
    "over",  "at least", "about", "nearly", "up to",  "between", "and",   "to",     "or",
    "more",  "a",        "half",  "dozen",  "dozens", "several", "of",    "thousands",
    "hundred", "million", "forty-five", "no one", "none", "1,000", "1.5", "80", "0",
    "-",     "+",        "–",     ">",      "<=",     "~",       ",",     "odd",    "plus",
    "people", "killed",  "including", "1e3", "1e400", "9999999999999", "%", "so",  "few",
  };
  GRand *rand = g_rand_new_with_seed(20231005);
  for (guint i = 0; i < 20000; i++) {
    GString *phrase = g_string_new(NULL);
    guint n = (guint)g_rand_int_range(rand, 1, 7);
    for (guint k = 0; k < n; k++) {
      if (k)
        g_string_append_c(phrase, ' ');
      g_string_append(phrase, pieces[g_rand_int_range(rand, 0, G_N_ELEMENTS(pieces))]);
    }
    ReckonRange r = untouched;
    GError *error = NULL;
    if (reckon_range_parse(NULL, phrase->str, &r, &error)) {
      g_assert_no_error(error);
      g_assert_cmpuint(r.low, <=, r.high);
      g_assert_cmpuint(r.figure, >=, r.low);
      g_assert_cmpuint(r.figure, <=, r.high);
      g_assert_cmpuint(r.low, <=, RECKON_COUNT_MAX);
      g_assert_true(r.high <= RECKON_COUNT_MAX || r.high == RECKON_UNBOUNDED);
      g_assert_nonnull(reckon_kind_to_string(r.kind));
    } else {
      g_assert_error(error, RECKON_ERROR, RECKON_ERROR_PHRASE);
      g_assert_cmpuint(strlen(error->message), >, 0);
      assert_untouched(&r);
      g_error_free(error);
    }
    g_string_free(phrase, TRUE);
  }
  g_rand_free(rand);
}

static void test_invalid_utf8(void)
{
  g_test_summary("Bytes that are not UTF-8 are a phrase error, not a crash or a guess");
  ReckonRange r = untouched;
  GError *error = NULL;
  g_assert_false(reckon_range_parse(NULL, "over \xff 100", &r, &error));
  g_assert_error(error, RECKON_ERROR, RECKON_ERROR_PHRASE);
  g_assert_cmpstr(error->message, ==, "invalid UTF-8");
  g_error_free(error);
}

/* "/range/case/0042-over-100": the number, then the phrase as a slug. */
static char *case_path(guint index, const char *phrase)
{
  GString *path = g_string_new(NULL);
  g_string_printf(path, "/range/case/%04u-", index);
  gsize start = path->len;
  for (const char *c = phrase; *c && path->len - start < 40; c++) {
    if (g_ascii_isalnum(*c))
      g_string_append_c(path, g_ascii_tolower(*c));
    else if (path->len > start && path->str[path->len - 1] != '-')
      g_string_append_c(path, '-');
  }
  while (path->len > start && path->str[path->len - 1] == '-')
    g_string_truncate(path, path->len - 1);
  if (path->len == start)
    g_string_append(path, "symbols");
  return g_string_free(path, FALSE);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);

  Table *table = test_load_table("range-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = case_path(i + 1, row->fields[0]);
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }

  g_test_add_func("/range/kind/names", test_kind_names);
  g_test_add_func("/range/rules/profile-acled", test_profile_acled);
  g_test_add_func("/range/rules/user-override", test_user_override);
  g_test_add_func("/range/rules/bad-file", test_bad_rules);
  g_test_add_func("/range/rules/load-is-atomic", test_load_is_atomic);
  g_test_add_func("/range/phrase/invalid-utf8", test_invalid_utf8);
  g_test_add_func("/range/phrase/sweep", test_sweep);

  int status = g_test_run();
  table_free(table);
  return status;
}
