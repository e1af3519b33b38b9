/*
 * testutil.c - helpers shared by the unit tests (see testutil.h).
 */
#include "testutil.h"

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
