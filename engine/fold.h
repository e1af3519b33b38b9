/*
 * fold.h - text folding shared by the stages that compare names: metric
 * and quantifier words, places, event types, sources.  Folding removes
 * differences a reader would not count as different: case, accents,
 * compatibility forms, punctuation and runs of spaces.  Place names also
 * get a spelling key that brings transliterations of one Arabic name
 * together ("Jisr al-Shughour" and "Jisr Al-Shugur").
 */
#ifndef RECKON_FOLD_H
#define RECKON_FOLD_H

#include <glib.h>

/* Case-folds, strips accents, collapses whitespace runs to one space and
 * trims.  Keeps punctuation.  Returns a newly allocated string. */
char *fold_words(const char *text);

/* fold_words(), and every character that is neither a letter nor a digit
 * becomes a space (so "Darat-Izza" and "Darat Izza" fold alike).
 * Returns a newly allocated string; "" when nothing is left. */
char *fold_name(const char *text);

/* fold_name() with spaces turned into '-': a readable identifier such as
 * "homs-military-college".  Returns a newly allocated string. */
char *fold_slug(const char *text);

/* @text split at every space, as g_strsplit(@text, " ", -1) splits it,
 * without building a list first (place reading splits every where text
 * and name it reads): a NULL-terminated vector (g_strfreev()), empty for
 * "". */
char **fold_split(const char *text);

/* fold_name() split at spaces: a NULL-terminated vector (g_strfreev()),
 * empty when nothing is left. */
char **fold_tokens(const char *text);

/* TRUE for a transliterated Arabic article ("al", "el", "ash", "ez", ...). */
gboolean fold_is_article(const char *token);

/* The @n folded tokens joined without spaces, leaving out Arabic articles
 * when anything else is left: "jisr al shughour" gives "jisrshughour".
 * Newly allocated. */
char *fold_join(char *const *tokens, guint n);

/* The spelling key of @n folded tokens (see fold.c): transliteration
 * variants of one name share it, so "Kafr Nabl" and "Kafranbel" both give
 * "kfrnbl".  Newly allocated; "" for no letters. */
char *fold_key_tokens(char *const *tokens, guint n);

/* The text of @s in a block of its own length, @s freed: a GString holds
 * at least 128 bytes, and the short texts a run keeps (place names,
 * spelling keys and refs, some 230,000 at 1e6 claims) would hold the
 * rest idle. */
static inline char *fold_text_exact(GString *s)
{
  char *text = g_strndup(s->str, s->len);
  g_string_free(s, TRUE);
  return text;
}

/* fold_key_tokens() of fold_tokens(@text).  Newly allocated. */
char *fold_key(const char *text);

/* Edit distance between @a and @b in bytes (insertions, deletions,
 * substitutions and swaps of neighbours), or @limit + 1 as soon as it is
 * known to exceed @limit. */
guint fold_distance(const char *a, const char *b, guint limit);

#endif /* RECKON_FOLD_H */
