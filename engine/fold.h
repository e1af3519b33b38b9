/*
 * fold.h - text folding shared by the stages that compare names: metric
 * and quantifier words, places, sources.  Folding removes differences a
 * reader would not count as different: case, accents, compatibility forms,
 * punctuation and runs of spaces.
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

#endif /* RECKON_FOLD_H */
