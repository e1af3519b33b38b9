/*
 * test-jsonpack.c - the reading stage's own JSON parser (jsonpack.c)
 * against cJSON: on every text it parses, the tree it builds is the one
 * cJSON builds, field for field, so no claim reads differently; every
 * other text it leaves to cJSON.  Cases in jsonpack-cases.txt, then every
 * claim line of the fixture sets and the CLI test data, then those lines
 * with random bytes changed.
 */
#include <string.h>

#include "jsonpack.h"
#include "testutil.h"

/* Asserts that @a (jsonpack's) and @b (cJSON's) are the same tree. */
static void assert_same_tree(const cJSON *a, const cJSON *b)
{
  g_assert_cmpint(a->type, ==, b->type);
  g_assert_cmpstr(a->string, ==, b->string);
  g_assert_cmpstr(a->valuestring, ==, b->valuestring);
  g_assert_cmpint(a->valueint, ==, b->valueint);
  g_assert_cmpmem(&a->valuedouble, sizeof a->valuedouble, &b->valuedouble, sizeof b->valuedouble);
  g_assert_cmpint(a->child == NULL, ==, b->child == NULL);
  const cJSON *x = a->child, *y = b->child;
  for (; x && y; x = x->next, y = y->next)
    assert_same_tree(x, y);
  g_assert_cmpint(x == NULL, ==, y == NULL);
  if (a->child) /* the first child's prev is the last, as cJSON links a list */
    g_assert_cmpint(a->child->prev->next == NULL, ==, TRUE);
}

/* The names a claim's reader shares, for the parses below: two, so that
 * trees with shared and copied names are both held to cJSON's. */
static const char shared_source[] = "source", shared_id[] = "id";

static const char *share(const char *text, gsize len)
{
  if (len == 6 && memcmp(text, shared_source, len) == 0)
    return shared_source;
  if (len == 2 && memcmp(text, shared_id, len) == 0)
    return shared_id;
  return NULL;
}

/* TRUE when jsonpack parsed @text (checked against cJSON); FALSE when it
 * left it to cJSON. */
static gboolean packs(const char *text, gsize len)
{
  Slab *slab = slab_new();
  cJSON *packed = jsonpack_parse(slab, text, len, RECKON_MAX_DEPTH_LIMIT, share);
  if (packed) {
    const char *end = NULL;
    cJSON *parsed = cJSON_ParseWithLengthOpts(text, len, &end, FALSE);
    g_assert_nonnull(parsed);
    for (; end < text + len; end++) /* only blanks after it, as the reader asks */
      g_assert_true(g_ascii_isspace(*end));
    assert_same_tree(packed, parsed);
    cJSON_Delete(parsed);
  }
  slab_free(slab);
  return packed != NULL;
}

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("jsonpack parses the common claim as cJSON does and leaves the rest to cJSON");
  const char *text = row->fields[0];
  g_assert_cmpstr(packs(text, strlen(text)) ? "packed" : "cjson", ==, row->fields[1]);
}

static void test_blanks(void)
{
  g_test_summary("Blanks after a claim's object are allowed, anything else is left to cJSON");
  static const char after[] = "{\"a\": 1} \t\r";
  g_assert_true(packs(after, sizeof after - 1));
  static const char control[] = "{\"a\":\x01 1}";
  g_assert_true(packs(control, sizeof control - 1)); /* cJSON skips bytes up to 32 */
  static const char nul_after[] = "{\"a\": 1}\x0b\x01";
  g_assert_false(packs(nul_after, sizeof nul_after - 1));
}

static void test_shared_names(void)
{
  g_test_summary("Member names the caller shares are its own strings, at any depth; other "
                 "names, and values, are copies");
  static const char text[] = "{\"source\":\"source\",\"sourc\":1,\"b\":{\"id\":2},"
                             "\"sour\\u0063e\":3}";
  Slab *slab = slab_new();
  /* A \u escape is cJSON's: without it, the same members. */
  g_assert_null(jsonpack_parse(slab, text, sizeof text - 1, RECKON_MAX_DEPTH_LIMIT, share));
  static const char plain[] = "{\"source\":\"source\",\"sourc\":1,\"b\":{\"id\":2},"
                              "\"sour\\nce\":3}";
  cJSON *tree = jsonpack_parse(slab, plain, sizeof plain - 1, RECKON_MAX_DEPTH_LIMIT, share);
  g_assert_nonnull(tree);
  const cJSON *source = tree->child, *sourc = source->next, *b = sourc->next, *escaped = b->next;
  g_assert_cmphex((guintptr)source->string, ==, (guintptr)shared_source);
  g_assert_cmphex((guintptr)source->valuestring, !=, (guintptr)shared_source);
  g_assert_cmpstr(source->valuestring, ==, "source");
  g_assert_cmpstr(sourc->string, ==, "sourc");
  g_assert_cmphex((guintptr)b->child->string, ==, (guintptr)shared_id);
  g_assert_cmpstr(escaped->string, ==, "sour\nce");
  slab_free(slab);
  g_assert_true(packs(plain, sizeof plain - 1));
}

/* Every claim line of the files in @dir whose names end in .jsonl. */
static GPtrArray *claim_lines(void)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func(g_free);
  const char *dirs[] = {"../fixtures/homs-2023", "../fixtures/nw-syria-2024",
                        "../fixtures/grouping-variants", "../fixtures/seeds-without-keys",
                        "cli/data"};
  for (guint d = 0; d < G_N_ELEMENTS(dirs); d++) {
    char *path = g_test_build_filename(G_TEST_DIST, dirs[d], NULL);
    GDir *dir = g_dir_open(path, 0, NULL);
    g_assert_nonnull(dir);
    for (const char *name; (name = g_dir_read_name(dir));) {
      if (!g_str_has_suffix(name, ".jsonl"))
        continue;
      char *file = g_build_filename(path, name, NULL), *text;
      g_assert_true(g_file_get_contents(file, &text, NULL, NULL));
      char **split = g_strsplit(text, "\n", -1);
      for (char **l = split; *l; l++)
        g_ptr_array_add(lines, g_strdup(*l));
      g_strfreev(split);
      g_free(text);
      g_free(file);
    }
    g_dir_close(dir);
    g_free(path);
  }
  return lines;
}

static void test_claims(void)
{
  g_test_summary("Every claim of the fixture sets and the CLI test data parses as cJSON parses it");
  GPtrArray *lines = claim_lines();
  guint packed = 0;
  for (guint i = 0; i < lines->len; i++) {
    const char *l = g_ptr_array_index(lines, i);
    packed += packs(l, strlen(l));
  }
  /* Nearly all claims are plain JSON: the fast path is the one taken. */
  g_assert_cmpuint(lines->len, >, 100);
  g_assert_cmpuint(packed, >, lines->len / 2);
  g_ptr_array_unref(lines);
}

static void test_mutations(void)
{
  g_test_summary("Claims with bytes changed at random parse as cJSON parses them, or are left to it");
  static const char bytes[] = "{}[]\",:\\ -+.eE0123456789aflnrstu\t";
  GPtrArray *lines = claim_lines();
  for (guint round = 0; round < 20000; round++) {
    const char *l = g_ptr_array_index(lines, g_test_rand_int_range(0, (gint32)lines->len));
    gsize len = strlen(l);
    if (len == 0)
      continue;
    char *text = g_strdup(l);
    for (guint k = g_test_rand_int_range(1, 4); k > 0; k--)
      text[g_test_rand_int_range(0, (gint32)len)] = bytes[g_test_rand_int_range(0, sizeof bytes - 1)];
    packs(text, len);
    g_free(text);
  }
  g_ptr_array_unref(lines);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("jsonpack-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = g_strdup_printf("/jsonpack/case/%02u", i + 1);
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }
  g_test_add_func("/jsonpack/blanks", test_blanks);
  g_test_add_func("/jsonpack/shared-names", test_shared_names);
  g_test_add_func("/jsonpack/claims", test_claims);
  g_test_add_func("/jsonpack/mutations", test_mutations);
  int status = g_test_run();
  table_free(table);
  return status;
}
