/*
 * reckon/range.h - a claim's value as a range of counts.
 *
 * Every value a claim states ("80", "over 100", "dozens", {"low": 5})
 * becomes [low, high] over non-negative integer counts, where high may be
 * unbounded, plus the kind of statement it was.  The semantics are the
 * table in README.md ("Value ranges").
 */
#ifndef RECKON_RANGE_H
#define RECKON_RANGE_H

#include "reckon/common.h"
#include "reckon/rules.h"

G_BEGIN_DECLS

/** RECKON_UNBOUNDED: the high end of a range that is open above. */
#define RECKON_UNBOUNDED G_MAXUINT64

/** RECKON_COUNT_MAX: the largest count reckon accepts (10^12). */
#define RECKON_COUNT_MAX G_GUINT64_CONSTANT(1000000000000)

typedef enum {
  RECKON_KIND_EXACT,     /* "80", "eighty", "none"            [80, 80]   */
  RECKON_KIND_AT_LEAST,  /* "at least 7", "7 or more"         [7, inf)   */
  RECKON_KIND_MORE_THAN, /* "over 100", "more than 100"       [101, inf) */
  RECKON_KIND_AT_MOST,   /* "up to 50", "as many as 50"       [0, 50]    */
  RECKON_KIND_LESS_THAN, /* "fewer than 10", "under 10"       [0, 9]     */
  RECKON_KIND_BETWEEN,   /* "20 to 30", "20-30"               [20, 30]   */
  RECKON_KIND_APPROX,    /* "about 45"  around the figure, width by roundness */
  RECKON_KIND_NEARLY,    /* "nearly 300" just below the figure, up to it      */
  RECKON_KIND_VAGUE,     /* "dozens"    from rules/quantifiers               */
} ReckonKind;

/**
 * ReckonRange:
 * @low: smallest count the statement allows.
 * @high: largest count it allows, or %RECKON_UNBOUNDED.
 * @figure: the number a reader would quote for it: the stated number for
 *   most kinds, the midpoint for "between", the typical value of the
 *   quantifier table for vague words.  Always within [low, high].
 * @kind: what kind of statement it was.
 */
typedef struct {
  guint64 low;
  guint64 high;
  guint64 figure;
  ReckonKind kind;
} ReckonRange;

/** reckon_kind_to_string: "exact", "at_least", ...; (transfer none). */
RECKON_API const char *reckon_kind_to_string(ReckonKind kind);

/** reckon_kind_from_string: the inverse; FALSE when @name is not a kind. */
RECKON_API gboolean reckon_kind_from_string(const char *name, ReckonKind *kind);

/**
 * reckon_range_parse:
 * @rules: (nullable): rules for vague words; NULL uses the default rules.
 * @text: a value phrase, UTF-8, any capitalisation.
 * @range: (out): the result, untouched on failure.
 * @error: return location for a #GError.
 *
 * Turns a phrase into a range.  Never guesses: a phrase that is empty, has
 * no number, is negative or larger than %RECKON_COUNT_MAX, or is otherwise
 * malformed fails with RECKON_ERROR_PHRASE and a short reason such as
 * "no number in phrase".
 *
 * Returns: TRUE on success.
 */
RECKON_API gboolean reckon_range_parse(const ReckonRules *rules, const char *text,
                                       ReckonRange *range, GError **error);

G_END_DECLS

#endif /* RECKON_RANGE_H */
