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

/* Whether the ASCII character @c (lower case) separates words. */
static gboolean ascii_blank(guchar c, gboolean names_only)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
         (names_only && !g_ascii_isalnum((char)c));
}

/* fold() of an ASCII @text, in one pass: lower case is what normalising
 * and case folding give, and there are no marks (every where text and
 * most names are ASCII). */
static char *fold_ascii(const char *text, gboolean names_only)
{
  char *out = g_malloc(strlen(text) + 1), *w = out;
  gboolean pending_space = FALSE;
  for (const char *p = text; *p; p++) {
    guchar c = (guchar)g_ascii_tolower(*p);
    if (names_only && c == '\'')
      continue; /* apostrophes inside names join, as below */
    if (ascii_blank(c, names_only)) {
      pending_space = w > out;
      continue;
    }
    if (pending_space)
      *w++ = ' ';
    pending_space = FALSE;
    *w++ = (char)c;
  }
  *w = '\0';
  return out;
}

static char *fold(const char *text, gboolean names_only)
{
  if (ascii_only(text))
    return fold_ascii(text, names_only);
  /* Decompose so accents become separate combining marks we can drop,
   * and compatibility forms (ligatures, full-width digits) become plain. */
  char *nfkd = g_utf8_normalize(text, -1, G_NORMALIZE_ALL);
  if (!nfkd)
    return g_strdup("");
  char *folded = g_utf8_casefold(nfkd, -1);
  g_free(nfkd);

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
      blank = ascii_blank((guchar)c, names_only);
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

char **fold_split(const char *text)
{
  guint n = text[0] ? 1 : 0;
  for (const char *p = text; *p; p++)
    n += *p == ' ';
  char **words = g_new(char *, n + 1);
  const char *from = text;
  for (guint i = 0; i < n; i++) {
    const char *end = strchr(from, ' ');
    if (!end)
      end = from + strlen(from);
    words[i] = g_strndup(from, (gsize)(end - from));
    from = end + 1;
  }
  words[n] = NULL;
  return words;
}

char **fold_tokens(const char *text)
{
  char *name = fold_name(text);
  char **tokens = fold_split(name);
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
  /* Every article starts with a vowel: most words are ruled out here
   * (tests/test-fold.c checks the list keeps to it). */
  if (token[0] != 'a' && token[0] != 'e' && token[0] != 'i' && token[0] != 'u')
    return FALSE;
  /* Both have their NUL within three bytes: three bytes decide. */
  for (const char *const *a = articles; *a; a++)
    if ((*a)[0] == token[0] && (*a)[1] == token[1] && (*a)[2] == token[2])
      return TRUE;
  return FALSE;
}

/* Whether the @n tokens are all articles: then none is left out. */
static gboolean all_articles(char *const *tokens, guint n)
{
  for (guint i = 0; i < n; i++)
    if (!fold_is_article(tokens[i]))
      return FALSE;
  return TRUE;
}

char *fold_join(char *const *tokens, guint n)
{
  /* Measured first, then copied into a block of its own length: place
   * reading joins every run of words it looks up. */
  gboolean keep_all = all_articles(tokens, n);
  gsize len = 0;
  for (guint i = 0; i < n; i++)
    if (keep_all || !fold_is_article(tokens[i]))
      len += strlen(tokens[i]);
  char *out = g_malloc(len + 1), *w = out;
  for (guint i = 0; i < n; i++)
    if (keep_all || !fold_is_article(tokens[i])) {
      gsize k = strlen(tokens[i]);
      memcpy(w, tokens[i], k);
      w += k;
    }
  *w = '\0';
  return out;
}

static gboolean is_vowel(char c)
{
  return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u';
}

/* Makes the doubled ASCII letters of the @n bytes at @s single; letters
 * outside ASCII (names in Arabic script) and digits ("Town 11") stay as
 * they are.  Returns the new length. */
static gsize undouble(char *s, gsize n)
{
  gsize w = 0;
  for (gsize r = 0; r < n; r++) {
    char c = s[r];
    if (g_ascii_isalpha(c) && w > 0 && s[w - 1] == c)
      continue;
    s[w++] = c;
  }
  return w;
}

/* Replaces, left to right, each @a@b of the @n bytes at @s by @to (one
 * letter), in place; a replacement is not read again.  Returns the new
 * length. */
static gsize replace_pair(char *s, gsize n, char a, char b, char to)
{
  gsize w = 0;
  for (gsize r = 0; r < n; r++) {
    if (s[r] == a && r + 1 < n && s[r + 1] == b) {
      s[w++] = to;
      r++;
    } else {
      s[w++] = s[r];
    }
  }
  return w;
}

/* Writes at @out @word spelled as the key compares it: French digraphs
 * first ("Cheikh", "Djisr"), then q, c and x, doubled letters made single
 * (so "Khh" and "qh" are "kh"), kh/gh/dh/th/ph reduced, and a final h
 * after a vowel dropped ("Raqqah" -> "raka").  @out has room for twice
 * the word (every x becomes ks).  Each step works in place, so the key of
 * a name costs no allocation but its result.  Returns the length. */
static gsize map_word(char *out, const char *word)
{
  gsize n = strlen(word);
  memcpy(out, word, n);
  for (gsize i = 0; i + 1 < n; i++)
    if (out[i] == 'c' && out[i + 1] == 'h')
      out[i++] = 's';
  n = replace_pair(out, n, 'd', 'j', 'j');
  n = replace_pair(out, n, 'p', 'h', 'f');
  gsize xs = 0;
  for (gsize i = 0; i < n; i++) {
    if (out[i] == 'q' || out[i] == 'c')
      out[i] = 'k';
    else if (out[i] == 'x')
      xs++;
  }
  if (xs) { /* from the end, so each x can take the room of its s */
    for (gsize r = n, w = n + xs; r > 0;) {
      char c = out[--r];
      if (c == 'x') {
        out[--w] = 's';
        c = 'k';
      }
      out[--w] = c;
    }
    n += xs;
  }
  n = undouble(out, n);
  n = replace_pair(out, n, 'k', 'h', 'k');
  n = replace_pair(out, n, 'g', 'h', 'g');
  n = replace_pair(out, n, 'd', 'h', 'd');
  n = replace_pair(out, n, 't', 'h', 't');
  n = undouble(out, n);
  if (n >= 3 && out[n - 1] == 'h' && is_vowel(out[n - 2]))
    n--;
  return n;
}

char *fold_key_tokens(char *const *tokens, guint n)
{
  gboolean keep_all = all_articles(tokens, n);
  gsize room = 1;
  for (guint i = 0; i < n; i++)
    room += 2 * strlen(tokens[i]);
  char stack[256];
  char *mapped = room <= sizeof stack ? stack : g_malloc(room);
  gsize len = 0;
  for (guint i = 0; i < n; i++)
    if (keep_all || !fold_is_article(tokens[i]))
      len += map_word(mapped + len, tokens[i]);
  /* The consonant outline: a first vowel becomes 'a', later vowels (and w,
   * y) go, doubled letters across words ("Kafr Ruma") are made single.
   * The outline is never longer than what it is read from, so it is
   * written over it. */
  gsize k = 0;
  char prev = 0;
  for (gsize r = 0; r < len; r++) {
    char c = mapped[r];
    if ((guchar)c >= 0x80) {
      mapped[k++] = c;
      prev = 0;
      continue;
    }
    if (c == prev)
      continue;
    prev = c;
    if (k == 0)
      mapped[k++] = is_vowel(c) ? 'a' : c;
    else if (!is_vowel(c) && c != 'w' && c != 'y')
      mapped[k++] = c;
  }
  char *key = g_malloc(k + 1);
  memcpy(key, mapped, k);
  key[k] = '\0';
  if (mapped != stack)
    g_free(mapped);
  return key;
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
