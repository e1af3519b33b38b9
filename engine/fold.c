/*
 * fold.c - Unicode-aware folding of names (see fold.h), built on GLib's
 * normalisation and case folding, and the spelling key that place lookup
 * (place.c) and grouping (group.c) compare places by.
 *
 * The spelling key.  Arabic place names reach English text through many
 * transliterations that disagree mostly on vowels ("Ariha", "Areeha",
 * "Eriha"), on how a few consonants are written (gh/g, kh/k, q/k, ch/sh),
 * on doubled letters, on a final h ("Hamah"), on the article ("al-", "el-",
 * "ash-") and on spaces ("Kafr Nabl", "Kafranbel").  The key removes
 * exactly those differences: articles dropped, the rest joined without
 * spaces, a final h after a vowel dropped, digraphs and q/c/x mapped,
 * doubled letters made single, then every vowel (with w and y) dropped
 * except a first letter, which becomes 'a' if it is a vowel.  What is
 * left is the consonant outline of the name: "Jisr al-Shughour" and
 * "Jisr Al-Shugur" are both "jsrshgr".  An outline is loose for short
 * names (Hama and "home" are both "hm"), so place.c accepts a key match
 * only when the spellings are also close (fold_distance()).
 */
#include "fold.h"

#include <string.h>

static gboolean ascii_only(const char *s)
{
  for (; *s; s++)
    if ((guchar)*s >= 0x80)
      return FALSE;
  return TRUE;
}

static char *fold(const char *text, gboolean names_only)
{
  /* Decompose so accents become separate combining marks we can drop,
   * and compatibility forms (ligatures, full-width digits) become plain. */
  char *folded;
  if (ascii_only(text)) {
    folded = g_ascii_strdown(text, -1); /* what normalising and case folding give */
  } else {
    char *nfkd = g_utf8_normalize(text, -1, G_NORMALIZE_ALL);
    if (!nfkd)
      return g_strdup("");
    folded = g_utf8_casefold(nfkd, -1);
    g_free(nfkd);
  }

  GString *out = g_string_sized_new(strlen(folded));
  gboolean pending_space = FALSE;
  for (const char *p = folded; *p; p = g_utf8_next_char(p)) {
    gunichar c;
    gboolean blank;
    if ((guchar)*p < 0x80) {
      /* ASCII, most of what claims write: no marks, spaces as
       * g_unichar_isspace() counts them, letters and digits as
       * g_unichar_isalnum() does, without a table lookup each. */
      c = (guchar)*p;
      blank = c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
              (names_only && !g_ascii_isalnum((char)c));
    } else {
      c = g_utf8_get_char(p);
      GUnicodeType type = g_unichar_type(c);
      if (type == G_UNICODE_NON_SPACING_MARK || type == G_UNICODE_SPACING_MARK ||
          type == G_UNICODE_ENCLOSING_MARK || type == G_UNICODE_FORMAT)
        continue;
      blank = g_unichar_isspace(c) || (names_only && !g_unichar_isalnum(c));
    }
    /* Apostrophes inside names ("Ma'arrat") join rather than split. */
    if (names_only && (c == '\'' || c == 0x2019 || c == 0x02BC || c == 0x02BF || c == 0x02BE))
      continue;
    if (blank) {
      pending_space = out->len > 0;
      continue;
    }
    if (pending_space)
      g_string_append_c(out, ' ');
    pending_space = FALSE;
    if (c < 0x80)
      g_string_append_c(out, (char)c);
    else
      g_string_append_unichar(out, c);
  }
  g_free(folded);
  return g_string_free(out, FALSE);
}

char *fold_words(const char *text)
{
  return fold(text, FALSE);
}

char *fold_name(const char *text)
{
  return fold(text, TRUE);
}

char *fold_slug(const char *text)
{
  char *slug = fold(text, TRUE);
  for (char *p = slug; *p; p++)
    if (*p == ' ')
      *p = '-';
  return slug;
}

char **fold_tokens(const char *text)
{
  char *name = fold_name(text);
  char **tokens = name[0] ? g_strsplit(name, " ", -1) : g_new0(char *, 1);
  g_free(name);
  return tokens;
}

/* The article as English text writes it, before a sun letter too. */
static const char *const articles[] = {
  "al", "el", "il", "ul", "ad", "ed", "adh", "ar", "er", "as", "es", "ash", "esh",
  "ech", "ach", "at", "et", "ath", "az", "ez", "an", "en", NULL,
};

gboolean fold_is_article(const char *token)
{
  /* Every article has two or three letters: the length rules out most
   * tokens before any comparison (place reading asks for every token). */
  if (!token[0] || !token[1] || (token[2] && token[3]))
    return FALSE;
  /* Both have their NUL within three bytes: three bytes decide. */
  for (const char *const *a = articles; *a; a++)
    if ((*a)[0] == token[0] && (*a)[1] == token[1] && (*a)[2] == token[2])
      return TRUE;
  return FALSE;
}

/* Whether token @i of @n is left out of joins and keys: an article, unless
 * the name is nothing but articles. */
static gboolean skipped(char *const *tokens, guint n, guint i)
{
  if (!fold_is_article(tokens[i]))
    return FALSE;
  for (guint j = 0; j < n; j++)
    if (!fold_is_article(tokens[j]))
      return TRUE;
  return FALSE;
}

char *fold_join(char *const *tokens, guint n)
{
  GString *out = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    if (!skipped(tokens, n, i))
      g_string_append(out, tokens[i]);
  return g_string_free(out, FALSE);
}

static gboolean is_vowel(char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Makes doubled ASCII letters of @s from @start on single; letters
 * outside ASCII (names in Arabic script) and digits ("Town 11") stay as
 * they are. */
static void undouble(GString *s, gsize start)
{
  gsize w = start;
  for (gsize r = start; r < s->len; r++) {
    char c = s->str[r];
    if (g_ascii_isalpha(c) && w > start && s->str[w - 1] == c)
      continue;
    s->str[w++] = c;
  }
  g_string_truncate(s, w);
}

/* Replaces in @s, from @start on, each @from (two letters) by @to. */
static void replace_pair(GString *s, gsize start, const char *from, const char *to)
{
  for (gsize i = start; i + 1 < s->len; i++)
    if (s->str[i] == from[0] && s->str[i + 1] == from[1]) {
      g_string_erase(s, (gssize)i, 2);
      g_string_insert(s, (gssize)i, to);
    }
}

/* Appends @word spelled as the key compares it: French digraphs first
 * ("Cheikh", "Djisr"), then q, c and x, doubled letters made single (so
 * "Khh" and "qh" are "kh"), kh/gh/dh/th/ph reduced, and a final h after a
 * vowel dropped ("Raqqah" -> "raka"). */
static void append_mapped(GString *out, const char *word)
{
  gsize start = out->len;
  g_string_append(out, word);
  replace_pair(out, start, "ch", "sh");
  replace_pair(out, start, "dj", "j");
  replace_pair(out, start, "ph", "f");
  for (gsize i = start; i < out->len; i++) {
    if (out->str[i] == 'q' || out->str[i] == 'c') {
      out->str[i] = 'k';
    } else if (out->str[i] == 'x') {
      out->str[i] = 'k';
      g_string_insert_c(out, (gssize)++i, 's');
    }
  }
  undouble(out, start);
  replace_pair(out, start, "kh", "k");
  replace_pair(out, start, "gh", "g");
  replace_pair(out, start, "dh", "d");
  replace_pair(out, start, "th", "t");
  undouble(out, start);
  if (out->len - start >= 3 && out->str[out->len - 1] == 'h' && is_vowel(out->str[out->len - 2]))
    g_string_truncate(out, out->len - 1);
}

char *fold_key_tokens(char *const *tokens, guint n)
{
  GString *mapped = g_string_new(NULL);
  for (guint i = 0; i < n; i++)
    if (!skipped(tokens, n, i))
      append_mapped(mapped, tokens[i]);
  /* The consonant outline: a first vowel becomes 'a', later vowels (and w,
   * y) go, doubled letters across words ("Kafr Ruma") are made single. */
  GString *key = g_string_sized_new(mapped->len);
  char prev = 0;
  for (const char *p = mapped->str; *p; p++) {
    char c = *p;
    if ((guchar)c >= 0x80) {
      g_string_append_c(key, c);
      prev = 0;
      continue;
    }
    if (c == prev)
      continue;
    prev = c;
    if (key->len == 0)
      g_string_append_c(key, is_vowel(c) ? 'a' : c);
    else if (!is_vowel(c) && c != 'w' && c != 'y')
      g_string_append_c(key, c);
  }
  g_string_free(mapped, TRUE);
  return fold_text_exact(key);
}

char *fold_key(const char *text)
{
  char **tokens = fold_tokens(text);
  char *key = fold_key_tokens(tokens, g_strv_length(tokens));
  g_strfreev(tokens);
  return key;
}

guint fold_distance(const char *a, const char *b, guint limit)
{
  gsize n = strlen(a), m = strlen(b);
  if ((n > m ? n - m : m - n) > limit)
    return limit + 1;
  /* Three rows of the optimal string alignment table. */
  guint *rows = g_new(guint, 3 * (m + 1));
  guint *prev2 = rows, *prev = rows + m + 1, *cur = rows + 2 * (m + 1);
  for (gsize j = 0; j <= m; j++)
    prev[j] = (guint)j;
  for (gsize i = 1; i <= n; i++) {
    cur[0] = (guint)i;
    guint best = cur[0];
    for (gsize j = 1; j <= m; j++) {
      guint cost = a[i - 1] != b[j - 1];
      guint v = MIN(MIN(prev[j] + 1, cur[j - 1] + 1), prev[j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        v = MIN(v, prev2[j - 2] + 1);
      cur[j] = v;
      best = MIN(best, v);
    }
    if (best > limit) {
      g_free(rows);
      return limit + 1;
    }
    guint *t = prev2;
    prev2 = prev;
    prev = cur;
    cur = t;
  }
  guint d = prev[m];
  g_free(rows);
  return MIN(d, limit + 1);
}
