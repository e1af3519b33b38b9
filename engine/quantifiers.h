/*
 * quantifiers.h - the vague-word table (rules/quantifiers): "dozens",
 * "scores", "a few", ... with the range and typical value each stands for.
 */
#ifndef RECKON_QUANTIFIERS_H
#define RECKON_QUANTIFIERS_H

#include <glib.h>

typedef struct _Quantifiers Quantifiers;

Quantifiers *quantifiers_new(void);
void quantifiers_free(Quantifiers *q);

/* Parses one quantifiers rule file and merges it into @q: a row for a word
 * already present replaces it.  Fails with RECKON_ERROR_RULES
 * "FILE:LINE: reason" and leaves @q unchanged. */
gboolean quantifiers_load(Quantifiers *q, const char *filename, const char *text, gsize len,
                          GError **error);

#endif /* RECKON_QUANTIFIERS_H */
