/*
 * quantifiers.h - the vague-word table (rules/quantifiers): "dozens",
 * "scores", "a few", ... with the range and typical value each stands for.
 *
 * The phrase parser (range.c) asks for the longest table entry at a
 * position in its word list; multipliers that follow ("several dozen",
 * "tens of thousands") are grammar and stay in range.c.
 */
#ifndef RECKON_QUANTIFIERS_H
#define RECKON_QUANTIFIERS_H

#include <glib.h>

typedef struct _Quantifiers Quantifiers;

/* What one vague word stands for, in counts: low <= typical <= high;
 * high is G_MAXUINT64 (RECKON_UNBOUNDED) for open-ended words ("many"). */
typedef struct {
  guint64 low;
  guint64 high;
  guint64 typical;
} QuantifierValue;

Quantifiers *quantifiers_new(void);
void quantifiers_free(Quantifiers *q);

/* Parses one quantifiers rule file and merges it into @q: a row for a word
 * already present replaces it.  Fails with RECKON_ERROR_RULES
 * "FILE:LINE: reason" and leaves @q unchanged. */
gboolean quantifiers_load(Quantifiers *q, const char *filename, const char *text, gsize len,
                          GError **error);

/* Looks up a whole key ("a few"), compared after fold_name(): case and
 * accents folded, punctuation a space ("A-Handful" finds "a handful").
 * TRUE and *value set when present. */
gboolean quantifiers_lookup(const Quantifiers *q, const char *key, QuantifierValue *value);

/* The longest entry made of words[0], words[1], ... words[n_words - 1],
 * each one word as fold_name() leaves it (folded, alphanumeric only).
 * Returns how many words it spans, 0 when no entry starts here; *value is
 * set when the result is not 0. */
guint quantifiers_match(const Quantifiers *q, const char *const *words, guint n_words,
                        QuantifierValue *value);

#endif /* RECKON_QUANTIFIERS_H */
