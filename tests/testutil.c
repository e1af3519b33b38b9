/*
 * testutil.c - helpers shared by the unit tests (see testutil.h).
 */
#include "testutil.h"

#include <glib/gstdio.h>

Table *test_load_table(const char *name)
{
  char *path = g_test_build_filename(G_TEST_DIST, name, NULL);
  char *text = NULL;
  gsize len = 0;
  GError *error = NULL;
  if (!g_file_get_contents(path, &text, &len, &error))
    g_error("%s", error->message);
  Table *table = table_parse(path, text, len, &error);
  if (!table)
    g_error("%s", error->message);
  g_free(text);
  g_free(path);
  return table;
}

char *test_write_to_string(const ReckonEngine *engine, ReckonFormat format)
{
  FILE *f = tmpfile();
  g_assert_nonnull(f);
  GError *error = NULL;
  g_assert_true(reckon_engine_write(engine, format, f, &error));
  g_assert_no_error(error);
  long size = ftell(f);
  g_assert_cmpint(size, >=, 0);
  rewind(f);
  char *out = g_malloc0((gsize)size + 1);
  g_assert_cmpuint(fread(out, 1, (gsize)size, f), ==, (gsize)size);
  fclose(f);
  return out;
}

void test_rules_case(gconstpointer data)
{
  const TestRulesCase *c = data;
  g_test_summary("A malformed rule file is refused with FILE:LINE and the reason");
  char *dir = g_dir_make_tmp("reckon-rules-XXXXXX", NULL);
  g_assert_nonnull(dir);
  char *path = g_build_filename(dir, c->file, NULL);
  g_assert_true(g_file_set_contents(path, c->text, -1, NULL));
  const char *dirs[] = {dir, NULL};
  GError *error = NULL;
  ReckonRules *rules = reckon_rules_new(NULL, dirs, &error);
  if (!c->error) {
    g_assert_no_error(error);
    g_assert_nonnull(rules);
  } else {
    g_assert_error(error, RECKON_ERROR, RECKON_ERROR_RULES);
    char *want = g_strdup_printf("%s/%s", dir, c->error);
    g_assert_cmpstr(error->message, ==, want);
    g_free(want);
    g_error_free(error);
  }
  reckon_rules_free(rules);
  g_remove(path);
  g_rmdir(dir);
  g_free(path);
  g_free(dir);
}
