/*
 * test-fold.c - spelling keys of place names (table in fold-cases.txt):
 * real transliterations of one place share a key, close names of
 * different places do not; and the edit distance the key is checked with.
 */
#include "fold.h"
#include "testutil.h"

static void test_pair(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("Transliterations of one place fold to one key; different places do not");
  g_assert_cmpuint(row->n_fields, ==, 3);
  char *a = fold_key(row->fields[1]), *b = fold_key(row->fields[2]);
  g_assert_cmpstr(a, !=, "");
  gboolean same = g_str_equal(row->fields[0], "same");
  g_assert_true(same || g_str_equal(row->fields[0], "apart"));
  if (same)
    g_assert_cmpstr(a, ==, b);
  else
    g_assert_cmpstr(a, !=, b);
  g_free(a);
  g_free(b);
}

static void test_distance(void)
{
  g_test_summary(
      "Edit distance counts insertions, deletions, substitutions and swaps, up to a limit");
  g_assert_cmpuint(fold_distance("ariha", "ariha", 2), ==, 0);
  g_assert_cmpuint(fold_distance("ariha", "areeha", 2), ==, 2);
  g_assert_cmpuint(fold_distance("sarmin", "sarmni", 2), ==, 1);
  g_assert_cmpuint(fold_distance("idlib", "", 2), ==, 3);
  g_assert_cmpuint(fold_distance("kafrnabl", "kafranbel", 5), ==, 2);
  g_assert_cmpuint(fold_distance("home", "hama", 1), ==, 2);
}

static void test_articles(void)
{
  g_test_summary("Arabic articles are left out of joins unless the name is nothing else");
  char **words = fold_tokens("Jisr al-Shughour");
  char *joined = fold_join(words, g_strv_length(words));
  g_assert_cmpstr(joined, ==, "jisrshughour");
  g_free(joined);
  g_strfreev(words);
  words = fold_tokens("Al");
  joined = fold_join(words, g_strv_length(words));
  g_assert_cmpstr(joined, ==, "al");
  g_free(joined);
  g_strfreev(words);
}

static void test_article_words(void)
{
  g_test_summary("Every transliterated article is known as one, and words like them are not");
  static const char *const articles[] = {
      "al", "el", "il", "ul", "ad", "ed", "adh", "ar", "er", "as", "es", "ash", "esh",
      "ech", "ach", "at", "et", "ath", "az", "ez", "an", "en",
  };
  for (guint i = 0; i < G_N_ELEMENTS(articles); i++)
    g_assert_cmpint(fold_is_article(articles[i]), ==, TRUE);
  static const char *const words[] = {"", "a", "ol", "ab", "als", "alu", "bal", "tal", "s", "ashe"};
  for (guint i = 0; i < G_N_ELEMENTS(words); i++)
    g_assert_cmpint(fold_is_article(words[i]), ==, FALSE);
}

static void test_tokens(void)
{
  g_test_summary("A name splits into its folded words, none empty; nothing left gives none");
  char **words = fold_tokens("  Ma'arrat  an-Nu'man, (Idlib) ");
  g_assert_cmpuint(g_strv_length(words), ==, 4);
  g_assert_cmpstr(words[0], ==, "maarrat");
  g_assert_cmpstr(words[1], ==, "an");
  g_assert_cmpstr(words[2], ==, "numan");
  g_assert_cmpstr(words[3], ==, "idlib");
  g_strfreev(words);
  words = fold_tokens("Homs");
  g_assert_cmpuint(g_strv_length(words), ==, 1);
  g_assert_cmpstr(words[0], ==, "homs");
  g_strfreev(words);
  words = fold_tokens(" - ");
  g_assert_cmpuint(g_strv_length(words), ==, 0);
  g_strfreev(words);
}

static void test_split(void)
{
  g_test_summary("Splitting at spaces gives what g_strsplit() gives, empty words included");
  static const char *const texts[] = {"", " ", "kafr", "kafr nabl", " kafr  nabl ", "a b c"};
  for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
    char **got = fold_split(texts[i]), **want = g_strsplit(texts[i], " ", -1);
    g_assert_cmpuint(g_strv_length(got), ==, g_strv_length(want));
    for (guint k = 0; want[k]; k++)
      g_assert_cmpstr(got[k], ==, want[k]);
    g_strfreev(got);
    g_strfreev(want);
  }
  char **words = fold_split(" kafr  nabl ");
  g_assert_cmpuint(g_strv_length(words), ==, 5);
  g_assert_cmpstr(words[2], ==, "");
  g_strfreev(words);
}

static void test_ascii_like_unicode(void)
{
  g_test_summary("A name folds the same with an accent mark on a letter as without: plain "
                 "ASCII names, read the quick way, fold as the Unicode way folds them");
  static const char *const texts[] = {
      "Ma'arrat  an-Nu'man, (Idlib) ", "\tKAFR\nNabl\r\f", "Town 11 - Camp_3!", "  ",
      "x\x01y\x7fz \vq", "'Ain' al-Arab's", "",
  };
  char *(*const folds[])(const char *) = {fold_name, fold_words, fold_slug};
  for (guint i = 0; i < G_N_ELEMENTS(texts); i++) {
    /* A combining acute accent (U+0301) after the first byte takes the
     * text off the ASCII path; folding drops it. */
    char *marked = texts[i][0] ? g_strdup_printf("%c\xcc\x81%s", texts[i][0], texts[i] + 1)
                               : g_strdup("\xcc\x81");
    for (guint f = 0; f < G_N_ELEMENTS(folds); f++) {
      char *plain = folds[f](texts[i]), *accented = folds[f](marked);
      g_assert_cmpstr(plain, ==, accented);
      g_free(plain);
      g_free(accented);
    }
    g_free(marked);
  }
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("fold-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = g_strdup_printf("/fold/key/%s/%02u-%s", row->fields[0], i + 1, row->fields[1]);
    g_test_add_data_func(name, row, test_pair);
    g_free(name);
  }
  g_test_add_func("/fold/distance", test_distance);
  g_test_add_func("/fold/articles", test_articles);
  g_test_add_func("/fold/article-words", test_article_words);
  g_test_add_func("/fold/tokens", test_tokens);
  g_test_add_func("/fold/split", test_split);
  g_test_add_func("/fold/ascii-like-unicode", test_ascii_like_unicode);
  int status = g_test_run();
  table_free(table);
  return status;
}
