/*
 * range.c - the value language: turns what a report says about a count
 * ("80", "over 100", "at least seven people", "dozens", "between 20 and
 * 30", "nearly 6 million", "no injuries") into a ReckonRange.
 *
 * It sits at the start of the data flow: the claims reader calls
 * reckon_range_parse() on every "value" phrase, and the estimator works on
 * the ranges.  `reckon range` shows the result directly.
 *
 * How a phrase is read:
 *
 *   1. fold (case, accents, compatibility forms) and split into tokens:
 *      words, numbers ("48,500", "1.2", "6m", "1e3"), and the few symbols
 *      that carry meaning (+ - – < > <= >= ~ , %);
 *   2. prefix qualifiers: "at least", "over", "about", "nearly", ">", ...
 *      (a table below, longest match first);
 *   3. the core: one quantity, or a range of two ("between A and B",
 *      "from A to B", "A-B", "A to B", "A or B").  A quantity is a number
 *      (digits or words up to trillions, with "dozen", "half a", "and a
 *      half"), a vague word from rules/quantifiers with optional
 *      multipliers ("several dozen", "tens of thousands"), or a zero
 *      ("no one", "none");
 *   4. suffix qualifiers ("100+", "7 or more", "40-odd", "100 or so") and
 *      trailing nouns, which are skipped ("at least 7 people killed");
 *      another number there is an error, except a plain sum of counts of
 *      different people ("five children and two women");
 *   5. the kind and the range, by the semantics table in README.md.
 *
 * The parser never guesses: anything it cannot read fully is an error with
 * a short reason (RECKON_ERROR_PHRASE).  Number words are grammar and live
 * here; vague words are data and come from the rules.
 */
#include "reckon/range.h"

#include <stdarg.h>
#include <string.h>

#include "fold.h"
#include "quantifiers.h"
#include "reckon/error.h"
#include "rules.h"

/* Numbers are kept in millionths until the end so "1.2 million" and
 * "2.5 thousand" are exact; 10^12 counts in millionths still fit in 64 bits. */
#define MICRO G_GUINT64_CONSTANT(1000000)
#define MAX_MICRO (RECKON_COUNT_MAX * MICRO)

/* ------------------------------------------------------------------ */
/* Kinds                                                               */

static const char *const kind_names[] = {
  [RECKON_KIND_EXACT] = "exact",         [RECKON_KIND_AT_LEAST] = "at_least",
  [RECKON_KIND_MORE_THAN] = "more_than", [RECKON_KIND_AT_MOST] = "at_most",
  [RECKON_KIND_LESS_THAN] = "less_than", [RECKON_KIND_BETWEEN] = "between",
  [RECKON_KIND_APPROX] = "approx",       [RECKON_KIND_NEARLY] = "nearly",
  [RECKON_KIND_VAGUE] = "vague",
};

const char *reckon_kind_to_string(ReckonKind kind)
{
  g_return_val_if_fail((guint)kind < G_N_ELEMENTS(kind_names), NULL);
  return kind_names[kind];
}

gboolean reckon_kind_from_string(const char *name, ReckonKind *kind)
{
  g_return_val_if_fail(name != NULL, FALSE);
  for (guint i = 0; i < G_N_ELEMENTS(kind_names); i++) {
    if (strcmp(name, kind_names[i]) == 0) {
      if (kind)
        *kind = (ReckonKind)i;
      return TRUE;
    }
  }
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */

typedef enum {
  TOK_WORD,
  TOK_NUM,
  TOK_DASH,    /* - – — and the minus sign: a range, or a negative sign */
  TOK_PLUS,    /* 100+ */
  TOK_LT,      /* < */
  TOK_LE,      /* <= ≤ */
  TOK_GT,      /* > */
  TOK_GE,      /* >= ≥ */
  TOK_TILDE,   /* ~ ≈ */
  TOK_EQUALS,  /* = on its own: meaningless in a count, reported */
  TOK_COMMA,   /* separates the parts of a sum */
  TOK_PERCENT, /* % */
  TOK_MONEY,   /* $ € £ ... */
} TokType;

typedef struct {
  TokType type;
  char *text;     /* the word, or the characters as written */
  guint64 micro;  /* TOK_NUM: the value in millionths */
  guint64 scale;  /* TOK_NUM: the multiplier of a suffix ("6m" -> 10^6), else 1 */
} Token;

typedef struct {
  const ReckonRules *rules;
  GArray *toks; /* of Token */
  guint n;      /* tokens considered: those before a cut ("including ...") */
  guint pos;
  gboolean and_is_separator; /* inside "between A and B": "and" is not part of A */
  GError *error;
} Parser;

static gboolean fail(Parser *p, const char *format, ...) G_GNUC_PRINTF(2, 3);

static gboolean fail(Parser *p, const char *format, ...)
{
  if (p->error)
    return FALSE; /* the first reason is the one the user needs */
  va_list args;
  va_start(args, format);
  char *reason = g_strdup_vprintf(format, args);
  va_end(args);
  p->error = g_error_new_literal(RECKON_ERROR, RECKON_ERROR_PHRASE, reason);
  g_free(reason);
  return FALSE;
}

static Token *tok(const Parser *p, guint i)
{
  return i < p->n ? &g_array_index(p->toks, Token, i) : NULL;
}

/* Token @i where the caller has checked i < p->n. */
static Token *tok_at(const Parser *p, guint i)
{
  return &g_array_index(p->toks, Token, i);
}

/* TRUE when token @i is the word @w. */
static gboolean is_word(const Parser *p, guint i, const char *w)
{
  const Token *t = tok(p, i);
  return t && t->type == TOK_WORD && strcmp(t->text, w) == 0;
}

/* TRUE when the words of @phrase ("at least") start at token @i. */
static gboolean words_at(const Parser *p, guint i, const char *phrase, guint *n_words)
{
  guint n = 0;
  const char *w = phrase;
  while (*w) {
    /* Each word of @phrase against a token, a letter at a time: the
     * phrase tables are tried word by word, and most fail at the first
     * letter. */
    const Token *t = tok(p, i + n);
    if (!t || t->type != TOK_WORD)
      return FALSE;
    const char *a = t->text;
    while (*a && *w != ' ' && *a == *w)
      a++, w++;
    if (*a || (*w && *w != ' '))
      return FALSE;
    n++;
    if (*w == ' ')
      w++;
  }
  *n_words = n;
  return TRUE;
}

static void token_clear(gpointer data)
{
  g_free(((Token *)data)->text);
}

static gboolean is_hyphen(gunichar c)
{
  return c == '-' || c == 0x2010 || c == 0x2011;
}

static gboolean is_dash(gunichar c)
{
  /* figure dash, en dash, em dash, horizontal bar, minus sign */
  return is_hyphen(c) || (c >= 0x2012 && c <= 0x2015) || c == 0x2212;
}

static gboolean is_apostrophe(gunichar c)
{
  /* Dropped inside words, as fold_name() drops them from table keys. */
  return c == '\'' || c == 0x2019 || c == 0x02BC || c == 0x02BF || c == 0x02BE;
}

static int digit_of(gunichar c)
{
  /* Any script's decimal digits: Arabic-Indic digits appear in Arabic
   * sources; full-width ones are already ASCII after folding. */
  return g_unichar_digit_value(c);
}

static void push(GArray *toks, TokType type, char *text, guint64 micro, guint64 scale)
{
  Token t = {type, text, micro, scale};
  g_array_append_val(toks, t);
}

/* Reads a number starting at *pp: digits with ',' thousands separators
 * (western 1,234,567 or Indian 12,34,567), an optional '.' decimal part, then
 * an optional suffix: k/m/mn/mln/bn (scale), e<exp> (exponent), s (1000s =
 * thousands).  Ordinals and other suffixes are refused. */
static gboolean lex_number(Parser *p, const char **pp)
{
  const char *s = *pp;
  GString *digits = g_string_new(NULL); /* ASCII form, for checks and messages */
  gboolean ok = TRUE, seen_dot = FALSE;

  while (*s) {
    gunichar c = g_utf8_get_char(s);
    const char *next = g_utf8_next_char(s);
    gboolean digit_follows = *next && digit_of(g_utf8_get_char(next)) >= 0;
    if (digit_of(c) >= 0) {
      g_string_append_c(digits, (char)('0' + digit_of(c)));
    } else if ((c == ',' || c == 0x066C) && digit_follows && !seen_dot) {
      /* A flag, not a search of the digits so far: that made a long
       * "1,1,1,..." quadratic. */
      g_string_append_c(digits, ',');
    } else if ((c == '.' || c == 0x066B) && digit_follows) {
      g_string_append_c(digits, '.');
      seen_dot = TRUE;
    } else {
      break;
    }
    s = next;
  }

  /* Suffix: letters and digits glued to the number, "e-3" included. */
  GString *suffix = g_string_new(NULL);
  for (;;) {
    gunichar c = g_utf8_get_char(s);
    if (!c || !g_unichar_isalnum(c)) {
      if (suffix->len == 1 && suffix->str[0] == 'e' && (c == '+' || c == '-') &&
          g_ascii_isdigit(s[1])) {
        g_string_append_c(suffix, (char)c);
        s++;
        continue;
      }
      break;
    }
    if (digit_of(c) >= 0)
      g_string_append_c(suffix, (char)('0' + digit_of(c)));
    else
      g_string_append_unichar(suffix, c);
    s = g_utf8_next_char(s);
  }
  *pp = s;
  char *written = g_strconcat(digits->str, suffix->str, NULL);

  /* Thousands separators must group as a reader expects, or "1,5" (a
   * decimal comma?) and "10,00" would be read as something they are not. */
  const char *dot = strchr(digits->str, '.');
  gsize int_len = dot ? (gsize)(dot - digits->str) : digits->len;
  if (memchr(digits->str, ',', int_len)) {
    char *int_part = g_strndup(digits->str, int_len);
    char **groups = g_strsplit(int_part, ",", -1);
    guint n = g_strv_length(groups);
    gboolean western = strlen(groups[0]) <= 3, indian = strlen(groups[0]) <= 2;
    for (guint i = 1; i < n; i++) {
      gsize len = strlen(groups[i]);
      western = western && len == 3;
      indian = indian && len == (i == n - 1 ? 3u : 2u);
    }
    g_strfreev(groups);
    g_free(int_part);
    if (!western && !indian)
      ok = fail(p, "malformed number '%s'", written);
  }
  if (ok && dot && strchr(dot + 1, '.'))
    ok = fail(p, "malformed number '%s'", written);

  guint64 micro = 0;
  gboolean too_large = FALSE;
  if (ok) {
    for (const char *d = digits->str; d < digits->str + int_len; d++) {
      if (*d == ',')
        continue;
      if (!g_uint64_checked_mul(&micro, micro, 10) ||
          !g_uint64_checked_add(&micro, micro, (guint64)(*d - '0')) || micro > RECKON_COUNT_MAX)
        too_large = TRUE;
      if (too_large)
        break;
    }
    if (!too_large)
      micro *= MICRO;
    if (dot && !too_large) {
      guint64 place = MICRO / 10;
      for (const char *d = dot + 1; *d; d++, place /= 10) {
        if (place == 0 && *d != '0') {
          ok = fail(p, "too many decimal places in '%s'", written);
          break;
        }
        micro += place * (guint64)(*d - '0');
      }
    }
  }

  guint64 scale = 1;
  const char *sfx = suffix->str, *plural = NULL;
  if (!ok || too_large) {
    /* reported below */
  } else if (*sfx == '\0') {
  } else if (strcmp(sfx, "k") == 0) {
    scale = 1000;
  } else if (strcmp(sfx, "m") == 0 || strcmp(sfx, "mn") == 0 || strcmp(sfx, "mln") == 0) {
    scale = 1000000;
  } else if (strcmp(sfx, "bn") == 0) {
    scale = 1000000000;
  } else if (strcmp(sfx, "s") == 0) {
    /* "1000s of people" is "thousands of people": hand the parser the word. */
    static const struct {
      guint64 value;
      const char *word;
    } plurals[] = {{10, "tens"}, {100, "hundreds"}, {1000, "thousands"},
                   {1000000, "millions"}, {1000000000, "billions"}};
    for (guint i = 0; i < G_N_ELEMENTS(plurals); i++)
      if (!dot && micro == plurals[i].value * MICRO)
        plural = plurals[i].word;
    if (!plural)
      ok = fail(p, "malformed number '%s'", written);
  } else if (strcmp(sfx, "st") == 0 || strcmp(sfx, "nd") == 0 || strcmp(sfx, "rd") == 0 ||
             strcmp(sfx, "th") == 0) {
    ok = fail(p, "ordinal, not a count");
  } else if (sfx[0] == 'e' && (g_ascii_isdigit(sfx[1]) ||
                               ((sfx[1] == '+' || sfx[1] == '-') && g_ascii_isdigit(sfx[2])))) {
    gboolean negative = sfx[1] == '-';
    guint64 exp;
    const char *e = sfx + 1 + (sfx[1] == '+' || sfx[1] == '-');
    if (!g_ascii_string_to_unsigned(e, 10, 0, G_MAXUINT64, &exp, NULL)) {
      ok = fail(p, "malformed number '%s'", written);
    } else if (negative) {
      /* Only an exact division keeps the value; anything else is a
       * fraction and will be refused as "not a whole number". */
      for (; exp > 0 && micro != 0 && micro % 10 == 0; exp--)
        micro /= 10; /* zero stays zero: stop, or a huge exponent never ends */
      if (exp > 0 && micro != 0)
        ok = fail(p, "not a whole number");
    } else {
      for (; exp > 0 && micro != 0 && !too_large; exp--)
        too_large = !g_uint64_checked_mul(&micro, micro, 10) || micro > MAX_MICRO;
    }
  } else {
    ok = fail(p, "malformed number '%s'", written);
  }
  if (ok && !too_large && (!g_uint64_checked_mul(&micro, micro, scale) || micro > MAX_MICRO))
    too_large = TRUE;
  if (ok && too_large)
    ok = fail(p, "number too large");
  if (ok && plural)
    push(p->toks, TOK_WORD, g_strdup(plural), 0, 1);
  else if (ok)
    push(p->toks, TOK_NUM, g_steal_pointer(&written), micro, scale);
  g_free(written);
  g_string_free(digits, TRUE);
  g_string_free(suffix, TRUE);
  return ok;
}

/* Splits folded text into tokens.  Word-internal hyphens ("forty-five",
 * "half-a-dozen", "no-one") separate words; other dashes are tokens, because
 * "20-30" is a range and "-5" a negative number. */
static gboolean tokenize(Parser *p, const char *text)
{
  const char *s = text;
  gboolean after_word = FALSE; /* the previous character ended a word */
  while (*s) {
    gunichar c = g_utf8_get_char(s);
    const char *next = g_utf8_next_char(s);
    gunichar nc = g_utf8_get_char(next);

    /* ".5" is a fraction, not "5" after a full stop; but right after a word
     * the point ends an abbreviation: "c.100", "approx.100". */
    if (digit_of(c) >= 0 || (c == '.' && digit_of(nc) >= 0 && !after_word)) {
      if (c == '.')
        return fail(p, "not a whole number");
      if (!lex_number(p, &s))
        return FALSE;
      after_word = FALSE;
      continue;
    }
    if (g_unichar_isalpha(c)) {
      GString *w = g_string_new(NULL);
      while (*s) {
        gunichar wc = g_utf8_get_char(s);
        if (g_unichar_isalnum(wc))
          g_string_append_unichar(w, wc);
        else if (!is_apostrophe(wc))
          break;
        s = g_utf8_next_char(s);
      }
      push(p->toks, TOK_WORD, g_string_free(w, FALSE), 0, 1);
      after_word = TRUE;
      continue;
    }
    if (is_hyphen(c) && after_word && g_unichar_isalpha(nc)) {
      s = next; /* "forty-five": a space between words */
      continue;
    }
    after_word = FALSE;
    s = next;
    if (is_dash(c)) {
      push(p->toks, TOK_DASH, g_strdup("-"), 0, 1);
    } else if (c == '+') {
      push(p->toks, TOK_PLUS, g_strdup("+"), 0, 1);
    } else if (c == '<' || c == '>' || c == '=') {
      gboolean eq_next = nc == '=', lt_next = nc == '<', gt_next = nc == '>';
      TokType type = c == '<' ? (eq_next ? TOK_LE : TOK_LT)
                   : c == '>' ? (eq_next ? TOK_GE : TOK_GT)
                   : lt_next  ? TOK_LE
                   : gt_next  ? TOK_GE
                              : TOK_EQUALS;
      gboolean two = (c != '=' && eq_next) || (c == '=' && (lt_next || gt_next));
      push(p->toks, type, g_strndup(s - 1, two ? 2 : 1), 0, 1);
      if (two)
        s++;
    } else if (c == 0x2264 || c == 0x2A7D) {
      push(p->toks, TOK_LE, g_strdup("<="), 0, 1);
    } else if (c == 0x2265 || c == 0x2A7E) {
      push(p->toks, TOK_GE, g_strdup(">="), 0, 1);
    } else if (c == '~' || c == 0x223C || c == 0x2248) {
      push(p->toks, TOK_TILDE, g_strdup("~"), 0, 1);
    } else if (c == ',' || c == 0x060C) {
      push(p->toks, TOK_COMMA, g_strdup(","), 0, 1);
    } else if (c == '%' || c == 0x066A || c == 0x2030) {
      push(p->toks, TOK_PERCENT, g_strdup("%"), 0, 1);
    } else if (g_unichar_type(c) == G_UNICODE_CURRENCY_SYMBOL) {
      push(p->toks, TOK_MONEY, g_ucs4_to_utf8(&c, 1, NULL, NULL, NULL), 0, 1);
    } else if (c == '&') {
      push(p->toks, TOK_WORD, g_strdup("and"), 0, 1);
    }
    /* Anything else (spaces, quotes, brackets, full stops, slashes) only
     * separates tokens. */
  }
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Number words                                                        */

typedef enum {
  W_NONE,
  W_UNIT,    /* zero .. nine */
  W_TEEN,    /* ten .. nineteen */
  W_TENS,    /* twenty .. ninety */
  W_HUNDRED, /* hundred */
  W_SCALE,   /* thousand, million, ... each multiplies everything before it */
  W_MULT,    /* dozen, score: multiply one small count ("three dozen") */
  W_PLURAL,  /* hundreds, thousands, ...: only as a multiplier of a vague word */
} WordClass;

static const struct {
  const char *word;
  WordClass cls;
  guint64 value;
  gboolean plural; /* "lakhs": a scale after a number, never on its own */
} number_words[] = {
  {"zero", W_UNIT, 0, 0},          {"one", W_UNIT, 1, 0},
  {"two", W_UNIT, 2, 0},           {"three", W_UNIT, 3, 0},
  {"four", W_UNIT, 4, 0},          {"five", W_UNIT, 5, 0},
  {"six", W_UNIT, 6, 0},           {"seven", W_UNIT, 7, 0},
  {"eight", W_UNIT, 8, 0},         {"nine", W_UNIT, 9, 0},
  {"ten", W_TEEN, 10, 0},          {"eleven", W_TEEN, 11, 0},
  {"twelve", W_TEEN, 12, 0},       {"thirteen", W_TEEN, 13, 0},
  {"fourteen", W_TEEN, 14, 0},     {"fifteen", W_TEEN, 15, 0},
  {"sixteen", W_TEEN, 16, 0},      {"seventeen", W_TEEN, 17, 0},
  {"eighteen", W_TEEN, 18, 0},     {"nineteen", W_TEEN, 19, 0},
  {"twenty", W_TENS, 20, 0},       {"thirty", W_TENS, 30, 0},
  {"forty", W_TENS, 40, 0},        {"fifty", W_TENS, 50, 0},
  {"sixty", W_TENS, 60, 0},        {"seventy", W_TENS, 70, 0},
  {"eighty", W_TENS, 80, 0},       {"ninety", W_TENS, 90, 0},
  {"hundred", W_HUNDRED, 100, 0},  {"thousand", W_SCALE, 1000, 0},
  {"million", W_SCALE, 1000000, 0}, {"billion", W_SCALE, 1000000000, 0},
  {"trillion", W_SCALE, G_GUINT64_CONSTANT(1000000000000), 0},
  {"mn", W_SCALE, 1000000, 1},     {"mln", W_SCALE, 1000000, 1},
  {"bn", W_SCALE, 1000000000, 1},
  /* South Asian reports count in lakhs (10^5) and crores (10^7). */
  {"lakh", W_SCALE, 100000, 0},    {"lakhs", W_SCALE, 100000, 1},
  {"lac", W_SCALE, 100000, 0},     {"lacs", W_SCALE, 100000, 1},
  {"crore", W_SCALE, 10000000, 0}, {"crores", W_SCALE, 10000000, 1},
  {"dozen", W_MULT, 12, 0},        {"score", W_MULT, 20, 0},
  {"dozens", W_PLURAL, 12, 1},     {"hundreds", W_PLURAL, 100, 1},
  {"thousands", W_PLURAL, 1000, 1}, {"millions", W_PLURAL, 1000000, 1},
  {"billions", W_PLURAL, 1000000000, 1},
};

static WordClass word_class(const Parser *p, guint i, guint64 *value, gboolean *plural)
{
  const Token *t = tok(p, i);
  if (!t || t->type != TOK_WORD)
    return W_NONE;
  for (guint k = 0; k < G_N_ELEMENTS(number_words); k++) {
    if (strcmp(t->text, number_words[k].word) == 0) {
      if (value)
        *value = number_words[k].value;
      if (plural)
        *plural = number_words[k].plural;
      return number_words[k].cls;
    }
  }
  return W_NONE;
}

/* A multiplier after "a"/"half": hundred, thousand, ..., dozen. */
static gboolean is_multiplier(const Parser *p, guint i)
{
  gboolean plural = FALSE;
  WordClass c = word_class(p, i, NULL, &plural);
  return (c == W_HUNDRED || c == W_SCALE || c == W_MULT) && !plural;
}

/* "no one", "none", "nobody": a count of zero that takes no qualifier. */
static const char *const zero_phrases[] = {
  "no one", "nobody", "none", "not a single", "not one", "nil", "no",
};

static guint zero_at(const Parser *p, guint i)
{
  guint n;
  for (guint k = 0; k < G_N_ELEMENTS(zero_phrases); k++)
    if (words_at(p, i, zero_phrases[k], &n))
      return n;
  return 0;
}

/* The longest rules/quantifiers entry starting at token @i; 0 if none. */
static guint vague_at(const Parser *p, guint i, QuantifierValue *value)
{
  const char *words[8];
  guint n = 0;
  for (const Token *t; n < G_N_ELEMENTS(words) && (t = tok(p, i + n)) && t->type == TOK_WORD; n++)
    words[n] = t->text;
  QuantifierValue dummy;
  return n ? quantifiers_match(p->rules->quantifiers, words, n, value ? value : &dummy) : 0;
}

/* Can a quantity start at token @i?  Range ends exclude the zero words:
 * "four or none" is not a range. */
static gboolean quantity_starts(const Parser *p, guint i, gboolean allow_zero)
{
  const Token *t = tok(p, i);
  if (!t)
    return FALSE;
  if (t->type == TOK_NUM)
    return TRUE;
  if (t->type != TOK_WORD)
    return FALSE;
  if ((allow_zero && zero_at(p, i)) || vague_at(p, i, NULL))
    return TRUE;
  gboolean plural = FALSE;
  WordClass c = word_class(p, i, NULL, &plural);
  if (c == W_UNIT || c == W_TEEN || c == W_TENS || c == W_HUNDRED || c == W_MULT ||
      (c == W_SCALE && !plural))
    return TRUE;
  guint n;
  if (is_word(p, i, "a") || is_word(p, i, "an"))
    return is_multiplier(p, i + 1) || is_word(p, i + 1, "single") ||
           ((is_word(p, i + 1, "half") || is_word(p, i + 1, "quarter")) &&
            is_multiplier(p, i + 2)) ||
           (words_at(p, i, "a quarter of a", &n) && is_multiplier(p, i + n));
  if (is_word(p, i, "half"))
    return is_multiplier(p, i + 1) ||
           ((is_word(p, i + 1, "a") || is_word(p, i + 1, "an")) && is_multiplier(p, i + 2));
  return FALSE;
}

/* ------------------------------------------------------------------ */
/* Quantities                                                          */

typedef enum { Q_NUMBER, Q_VAGUE, Q_ZERO } QuantityType;

typedef struct {
  QuantityType type;
  guint64 micro;       /* Q_NUMBER: value in millionths (checked for wholeness later) */
  guint64 round_micro; /* Q_NUMBER: the digits as stated, for the width of "about" */
  guint64 scale;       /* the multiplier that ends it ("30 thousand" -> 1000), else 1 */
  guint64 low, high, typical; /* Q_VAGUE */
} Quantity;

/* one .. ninety-nine in words. */
static gboolean parse_sub100(Parser *p, guint64 *value)
{
  guint64 v, u;
  WordClass c = word_class(p, p->pos, &v, NULL);
  if (c == W_UNIT || c == W_TEEN) {
    p->pos++;
  } else if (c == W_TENS) {
    p->pos++;
    if (word_class(p, p->pos, &u, NULL) == W_UNIT && u > 0) {
      v += u;
      p->pos++;
    }
  } else {
    return FALSE;
  }
  *value = v;
  return TRUE;
}

/* After "N hundred": "[and] twenty-five".  Taken only when it completes
 * this group, so "between one hundred and two hundred" keeps its "and". */
static void parse_hundred_tail(Parser *p, guint64 *value)
{
  guint save = p->pos;
  if (is_word(p, p->pos, "and")) {
    if (p->and_is_separator)
      return;
    p->pos++;
  }
  guint64 tail;
  WordClass after;
  if (parse_sub100(p, &tail) && (after = word_class(p, p->pos, NULL, NULL)) != W_HUNDRED &&
      after != W_MULT)
    *value += tail;
  else
    p->pos = save;
}

/* "and a half" after a multiplier: one and a half million, a dozen and a
 * half.  Returns the millionths to add for @unit_micro. */
static guint64 and_a_half(Parser *p, guint64 unit_micro)
{
  guint n;
  if (!p->and_is_separator && words_at(p, p->pos, "and a half", &n)) {
    p->pos += n;
    return unit_micro / 2;
  }
  return 0;
}

/* A group below a thousand, or a digit string, or the coefficient of a
 * following multiplier ("a" -> 1, "half a" -> 0.5).  *digits tells the
 * caller the group was written in digits. */
static gboolean parse_small(Parser *p, guint64 *micro, gboolean *digits, guint64 *suffix_scale)
{
  const Token *t = tok(p, p->pos);
  guint n;
  *digits = FALSE;
  *suffix_scale = 1;
  if (!t)
    return FALSE;
  if (t->type == TOK_NUM) {
    *micro = t->micro;
    *digits = TRUE;
    *suffix_scale = t->scale;
    p->pos++;
    if (t->scale == 1 && word_class(p, p->pos, NULL, NULL) == W_HUNDRED) {
      /* "5 hundred" */
      guint64 v = 0;
      p->pos++;
      parse_hundred_tail(p, &v);
      if (!g_uint64_checked_mul(micro, *micro, 100) ||
          !g_uint64_checked_add(micro, *micro, v * MICRO))
        return fail(p, "number too large");
    }
    return TRUE;
  }
  if (is_word(p, p->pos, "a") || is_word(p, p->pos, "an")) {
    if (is_word(p, p->pos + 1, "single")) { /* "a single child" */
      p->pos += 2;
      *micro = MICRO;
      return TRUE;
    }
    if (word_class(p, p->pos + 1, NULL, NULL) == W_HUNDRED) {
      guint64 v = 100;
      p->pos += 2;
      parse_hundred_tail(p, &v);
      *micro = v * MICRO;
      return TRUE;
    }
    if (is_multiplier(p, p->pos + 1)) {
      p->pos++;
      *micro = MICRO;
      return TRUE;
    }
    /* "a half million", "a quarter million", "a quarter of a million" */
    gboolean half = is_word(p, p->pos + 1, "half");
    if ((half || is_word(p, p->pos + 1, "quarter")) && is_multiplier(p, p->pos + 2)) {
      p->pos += 2;
      *micro = half ? MICRO / 2 : MICRO / 4;
      return TRUE;
    }
    if (words_at(p, p->pos, "a quarter of a", &n) && is_multiplier(p, p->pos + n)) {
      p->pos += n;
      *micro = MICRO / 4;
      return TRUE;
    }
    return FALSE;
  }
  if (is_word(p, p->pos, "half")) { /* "half a dozen", "half a million" */
    if (is_multiplier(p, p->pos + 1)) {
      p->pos++;
    } else if ((is_word(p, p->pos + 1, "a") || is_word(p, p->pos + 1, "an")) &&
               is_multiplier(p, p->pos + 2)) {
      p->pos += 2;
    } else {
      return FALSE;
    }
    *micro = MICRO / 2;
    return TRUE;
  }
  if (word_class(p, p->pos, NULL, NULL) == W_HUNDRED) { /* "hundred and fifty" */
    guint64 v = 100;
    p->pos++;
    parse_hundred_tail(p, &v);
    *micro = v * MICRO;
    return TRUE;
  }
  guint64 v;
  if (!parse_sub100(p, &v))
    return FALSE;
  if (word_class(p, p->pos, NULL, NULL) == W_HUNDRED && v > 0) {
    /* "one hundred", "twelve hundred" */
    v *= 100;
    p->pos++;
    parse_hundred_tail(p, &v);
  }
  *micro = v * MICRO;
  /* "one and a half million" */
  guint save = p->pos;
  if (words_at(p, p->pos, "and a half", &n) && !p->and_is_separator && is_multiplier(p, p->pos + n)) {
    p->pos += n;
    *micro += MICRO / 2;
  } else {
    p->pos = save;
  }
  return TRUE;
}

/* A precise number: groups joined by scales, "two million five hundred
 * thousand", "1.2 million", "4,000", "three dozen", "half a dozen". */
static gboolean parse_number(Parser *p, Quantity *q)
{
  guint64 total = 0, last_scale = 0, first_scale = 1, round = 0;
  gboolean any = FALSE;
  for (;;) {
    guint save = p->pos;
    guint64 g = 0, suffix_scale = 1, s;
    gboolean digits = FALSE, plural = FALSE;
    gboolean got = parse_small(p, &g, &digits, &suffix_scale);
    if (p->error)
      return FALSE;
    WordClass c = word_class(p, p->pos, &s, &plural);

    if (c == W_SCALE && suffix_scale == 1 && (last_scale == 0 || s < last_scale) &&
        (got || (!any && !plural))) {
      /* A scale multiplies the group before it; a bare "thousand" is one. */
      if (!got)
        g = MICRO;
      guint64 part;
      if (!g_uint64_checked_mul(&part, g, s) || !g_uint64_checked_add(&total, total, part) ||
          total > MAX_MICRO)
        return fail(p, "number too large");
      p->pos++;
      if (first_scale == 1)
        first_scale = s;
      last_scale = s;
      any = TRUE;
      total += and_a_half(p, s * MICRO);
      round = total;
      /* "two thousand and five": the "and" belongs to the number only if
       * a word group follows it. */
      if (is_word(p, p->pos, "and") && !p->and_is_separator &&
          (word_class(p, p->pos + 1, NULL, NULL) == W_UNIT ||
           word_class(p, p->pos + 1, NULL, NULL) == W_TEEN ||
           word_class(p, p->pos + 1, NULL, NULL) == W_TENS))
        p->pos++;
      continue;
    }
    if (!got && !any && c == W_MULT) {
      got = TRUE; /* "dozen killed" (headline style): one dozen */
      g = MICRO;
    }
    if (!got) {
      p->pos = save;
      break;
    }
    /* After a scale only a smaller word group may follow ("two thousand
     * five hundred"); "5 million 80" is two numbers, not 5,000,080. */
    if (last_scale && (digits || g >= last_scale * MICRO)) {
      p->pos = save;
      break;
    }
    if (word_class(p, p->pos, &s, NULL) == W_MULT && suffix_scale == 1) {
      guint64 part;
      if (!g_uint64_checked_mul(&part, g, s) || !g_uint64_checked_add(&total, total, part))
        return fail(p, "number too large");
      p->pos++;
      total += and_a_half(p, s * MICRO);
      /* "two dozen" is as round as "two": judge roundness on the count
       * of dozens. */
      round = g;
      first_scale = s;
    } else {
      total += g;
      round = last_scale ? total : g;
      if (!any)
        first_scale = suffix_scale;
    }
    any = TRUE;
    break;
  }
  if (!any)
    return FALSE;
  if (total > MAX_MICRO)
    return fail(p, "number too large");
  q->type = Q_NUMBER;
  q->micro = total;
  q->round_micro = round;
  q->scale = first_scale;
  return TRUE;
}

/* The value of a multiplier word after a vague word ("several hundred",
 * "tens of thousands", "several dozen"); 0 if token @i is none. */
static guint64 vague_multiplier(const Parser *p, guint i)
{
  guint64 v;
  WordClass c = word_class(p, i, &v, NULL);
  return (c == W_HUNDRED || c == W_SCALE || c == W_MULT || c == W_PLURAL) ? v : 0;
}

static gboolean parse_vague(Parser *p, Quantity *q)
{
  QuantifierValue v;
  guint n = vague_at(p, p->pos, &v);
  if (!n)
    return FALSE;
  p->pos += n;
  /* Multipliers, each larger than the one before: "several hundred
   * thousand" is several x 100 x 1000. */
  guint64 scale = 1, last = 1;
  for (;;) {
    guint at = p->pos + (is_word(p, p->pos, "of") ? 1 : 0);
    guint64 m = vague_multiplier(p, at);
    if (m <= last)
      break;
    if (!g_uint64_checked_mul(&scale, scale, m) || scale > RECKON_COUNT_MAX)
      return fail(p, "number too large");
    last = m;
    p->pos = at + 1;
  }
  /* "hundreds of thousands": hundreds of whole thousands plus whatever is
   * below the next thousand, so the top is 999 x 1000 + 999. */
  q->type = Q_VAGUE;
  q->scale = scale;
  if (!g_uint64_checked_mul(&q->low, v.low, scale) || q->low > RECKON_COUNT_MAX)
    return fail(p, "number too large");
  if (v.high == RECKON_UNBOUNDED)
    q->high = RECKON_UNBOUNDED;
  else if (!g_uint64_checked_mul(&q->high, v.high, scale) ||
           !g_uint64_checked_add(&q->high, q->high, scale - 1) || q->high > RECKON_COUNT_MAX)
    q->high = RECKON_COUNT_MAX;
  if (!g_uint64_checked_mul(&q->typical, v.typical, scale) || q->typical > q->high)
    q->typical = q->high;
  return TRUE;
}

/* One quantity at p->pos.  FALSE without an error when none starts here. */
static gboolean parse_quantity(Parser *p, Quantity *q, gboolean allow_zero)
{
  memset(q, 0, sizeof *q);
  q->scale = 1;
  const Token *t = tok(p, p->pos);
  if (!t)
    return FALSE;
  /* "-5", "−5", "minus five".  A dash before a word is punctuation
   * ("— dozens") and is reported as an unexpected dash instead. */
  const Token *next = tok(p, p->pos + 1);
  if ((t->type == TOK_DASH && next && next->type == TOK_NUM) ||
      (is_word(p, p->pos, "minus") && quantity_starts(p, p->pos + 1, FALSE)))
    return fail(p, "negative count");
  guint n;
  if (allow_zero && (n = zero_at(p, p->pos))) {
    q->type = Q_ZERO;
    p->pos += n;
    return TRUE;
  }
  return parse_vague(p, q) || (!p->error && parse_number(p, q));
}

static gboolean whole(Parser *p, guint64 micro, guint64 *count)
{
  if (micro % MICRO != 0)
    return fail(p, "not a whole number");
  *count = micro / MICRO;
  return TRUE;
}

/* ------------------------------------------------------------------ */
/* Qualifiers                                                          */

typedef enum {
  QK_NONE,
  QK_NEUTRAL,  /* "exactly", "a total of", "another": no change */
  QK_SOFT,     /* "an estimated": approx, unless a bound is also given */
  QK_AT_LEAST,
  QK_MORE_THAN,
  QK_AT_MOST,
  QK_LESS_THAN,
  QK_APPROX,
  QK_NEARLY,
  QK_ODD,      /* "40-odd": a little above a round number */
} QualKind;

typedef struct {
  const char *words;
  QualKind kind;
} QualPhrase;

/* Before the number.  Longest match wins, so "just over" is not "just"
 * then "over", and "no more than" is not the zero word "no". */
static const QualPhrase prefix_phrases[] = {
  {"at least", QK_AT_LEAST},           {"at the very least", QK_AT_LEAST},
  {"at a minimum", QK_AT_LEAST},       {"a minimum of", QK_AT_LEAST},
  {"minimum of", QK_AT_LEAST},         {"minimum", QK_AT_LEAST},
  {"min", QK_AT_LEAST},                {"no fewer than", QK_AT_LEAST},
  {"no less than", QK_AT_LEAST},       {"not fewer than", QK_AT_LEAST},
  {"not less than", QK_AT_LEAST},      {"as few as", QK_AT_LEAST},
  {"as little as", QK_AT_LEAST},       {"as low as", QK_AT_LEAST},

  {"more than", QK_MORE_THAN},         {"over", QK_MORE_THAN},
  {"above", QK_MORE_THAN},             {"upwards of", QK_MORE_THAN},
  {"upward of", QK_MORE_THAN},         {"in excess of", QK_MORE_THAN},
  {"greater than", QK_MORE_THAN},      {"exceeding", QK_MORE_THAN},
  {"north of", QK_MORE_THAN},          {"well over", QK_MORE_THAN},
  {"well above", QK_MORE_THAN},        {"well in excess of", QK_MORE_THAN},
  {"well more than", QK_MORE_THAN},    {"just over", QK_MORE_THAN},
  {"just above", QK_MORE_THAN},        {"just more than", QK_MORE_THAN},
  {"slightly more than", QK_MORE_THAN}, {"slightly over", QK_MORE_THAN},
  {"slightly above", QK_MORE_THAN},    {"a little over", QK_MORE_THAN},
  {"a little more than", QK_MORE_THAN}, {"far more than", QK_MORE_THAN},
  {"much more than", QK_MORE_THAN},    {"many more than", QK_MORE_THAN},
  {"considerably more than", QK_MORE_THAN}, {"significantly more than", QK_MORE_THAN},

  {"up to", QK_AT_MOST},               {"at most", QK_AT_MOST},
  {"at the most", QK_AT_MOST},         {"as many as", QK_AT_MOST},
  {"as much as", QK_AT_MOST},          {"as high as", QK_AT_MOST},
  {"no more than", QK_AT_MOST},        {"not more than", QK_AT_MOST},
  {"no greater than", QK_AT_MOST},     {"a maximum of", QK_AT_MOST},
  {"maximum of", QK_AT_MOST},          {"maximum", QK_AT_MOST},
  {"max", QK_AT_MOST},

  {"fewer than", QK_LESS_THAN},        {"less than", QK_LESS_THAN},
  {"under", QK_LESS_THAN},             {"below", QK_LESS_THAN},
  {"lower than", QK_LESS_THAN},        {"well under", QK_LESS_THAN},
  {"well below", QK_LESS_THAN},        {"far fewer than", QK_LESS_THAN},
  {"far less than", QK_LESS_THAN},     {"much less than", QK_LESS_THAN},

  {"about", QK_APPROX},                {"around", QK_APPROX},
  {"some", QK_APPROX},                 {"roughly", QK_APPROX},
  {"approximately", QK_APPROX},        {"approx", QK_APPROX},
  {"an approximate", QK_APPROX},       {"approximate", QK_APPROX},
  {"circa", QK_APPROX},                {"ca", QK_APPROX},
  {"c", QK_APPROX},                    {"in the region of", QK_APPROX},
  {"in the order of", QK_APPROX},      {"on the order of", QK_APPROX},
  {"of the order of", QK_APPROX},      {"in the neighbourhood of", QK_APPROX},
  {"in the neighborhood of", QK_APPROX}, {"something like", QK_APPROX},
  {"more or less", QK_APPROX},         {"give or take", QK_APPROX},
  {"round about", QK_APPROX},

  {"an estimated", QK_SOFT},           {"estimated", QK_SOFT},
  {"an est", QK_SOFT},                 {"est", QK_SOFT},

  {"nearly", QK_NEARLY},               {"almost", QK_NEARLY},
  {"just under", QK_NEARLY},           {"just below", QK_NEARLY},
  {"just short of", QK_NEARLY},        {"just shy of", QK_NEARLY},
  {"shy of", QK_NEARLY},               {"not quite", QK_NEARLY},
  {"approaching", QK_NEARLY},          {"close to", QK_NEARLY},
  {"closer to", QK_NEARLY},            {"nigh on", QK_NEARLY},

  {"exactly", QK_NEUTRAL},             {"precisely", QK_NEUTRAL},
  {"only", QK_NEUTRAL},                {"just", QK_NEUTRAL},
  {"a total of", QK_NEUTRAL},          {"total of", QK_NEUTRAL},
  {"total", QK_NEUTRAL},               {"a further", QK_NEUTRAL},
  {"another", QK_NEUTRAL},             {"an additional", QK_NEUTRAL},
  {"additional", QK_NEUTRAL},          {"a reported", QK_NEUTRAL},
  {"reportedly", QK_NEUTRAL},          {"reported", QK_NEUTRAL},
  {"a confirmed", QK_NEUTRAL},         {"confirmed", QK_NEUTRAL},
  {"officially", QK_NEUTRAL},          {"an official", QK_NEUTRAL},
  {"all", QK_NEUTRAL},                 {"the", QK_NEUTRAL},
  {"anywhere", QK_NEUTRAL},            {"a staggering", QK_NEUTRAL},
  {"a whopping", QK_NEUTRAL},
};

/* After the number, possibly after its nouns ("100 people or more"). */
static const QualPhrase suffix_phrases[] = {
  {"or more", QK_AT_LEAST},        {"or above", QK_AT_LEAST},   {"or over", QK_AT_LEAST},
  {"or higher", QK_AT_LEAST},      {"or greater", QK_AT_LEAST}, {"or upwards", QK_AT_LEAST},
  {"and more", QK_AT_LEAST},       {"and above", QK_AT_LEAST},  {"and over", QK_AT_LEAST},
  {"and up", QK_AT_LEAST},         {"and upwards", QK_AT_LEAST}, {"at least", QK_AT_LEAST},
  {"at the very least", QK_AT_LEAST}, {"at a minimum", QK_AT_LEAST}, {"minimum", QK_AT_LEAST},

  {"or fewer", QK_AT_MOST},        {"or less", QK_AT_MOST},     {"or under", QK_AT_MOST},
  {"or below", QK_AT_MOST},        {"or lower", QK_AT_MOST},    {"and under", QK_AT_MOST},
  {"and below", QK_AT_MOST},       {"and fewer", QK_AT_MOST},   {"and less", QK_AT_MOST},
  {"at most", QK_AT_MOST},         {"at the most", QK_AT_MOST}, {"maximum", QK_AT_MOST},
  {"max", QK_AT_MOST},             {"tops", QK_AT_MOST},        {"at the outside", QK_AT_MOST},

  {"or so", QK_APPROX},            {"or thereabouts", QK_APPROX}, {"more or less", QK_APPROX},
  {"give or take", QK_APPROX},     {"approximately", QK_APPROX}, {"roughly", QK_APPROX},

  {"in total", QK_NEUTRAL},        {"in all", QK_NEUTRAL},      {"all told", QK_NEUTRAL},
  {"altogether", QK_NEUTRAL},
};

typedef struct {
  QualKind kind;          /* the one bounding/approximating qualifier, or QK_NONE */
  const char *kind_words; /* its words, for messages */
  gboolean soft;          /* "an estimated" was seen */
  gboolean odd;           /* "40-odd" */
  const char *seen[12];   /* every qualifier so far, to catch "over over" */
  guint n_seen;
} Quals;

/* Records one qualifier.  The same words twice, or two that contradict
 * each other ("over about 100"), are errors: a reader cannot tell which
 * was meant.  Two that agree ("at least 7 or more") are accepted. */
static gboolean add_qual(Parser *p, Quals *qs, QualKind kind, const char *words)
{
  for (guint i = 0; i < qs->n_seen; i++)
    if (strcmp(qs->seen[i], words) == 0)
      return fail(p, "repeated qualifier '%s'", words);
  if (qs->n_seen == G_N_ELEMENTS(qs->seen))
    return fail(p, "too many qualifiers");
  qs->seen[qs->n_seen++] = words;
  switch (kind) {
  case QK_NEUTRAL:
  case QK_NONE:
    return TRUE;
  case QK_SOFT:
    qs->soft = TRUE;
    return TRUE;
  case QK_ODD:
    qs->odd = TRUE;
    kind = QK_APPROX;
    break;
  default:
    break;
  }
  if (qs->kind != QK_NONE && qs->kind != kind)
    return fail(p, "conflicting qualifiers '%s' and '%s'", qs->kind_words, words);
  if (qs->kind == QK_NONE) {
    qs->kind = kind;
    qs->kind_words = words;
  }
  return TRUE;
}

/* The longest phrase of @table at p->pos; advances past it.  A phrase
 * starts with a word: one whose first letter is not the token's is not
 * tried (most of the table, for most tokens). */
static const QualPhrase *match_phrase(Parser *p, const QualPhrase *table, gsize n_table)
{
  const Token *t = tok(p, p->pos);
  if (!t || t->type != TOK_WORD)
    return NULL;
  const QualPhrase *best = NULL;
  guint best_n = 0, n;
  for (gsize k = 0; k < n_table; k++)
    if (table[k].words[0] == t->text[0] && words_at(p, p->pos, table[k].words, &n) &&
        n > best_n) {
      best = &table[k];
      best_n = n;
    }
  p->pos += best_n;
  return best;
}

static gboolean parse_prefix(Parser *p, Quals *qs)
{
  for (;;) {
    const Token *t = tok(p, p->pos);
    if (!t)
      return TRUE;
    QualKind kind = QK_NONE;
    const char *words = NULL;
    switch (t->type) {
    case TOK_GT: kind = QK_MORE_THAN; words = ">"; break;
    case TOK_GE: kind = QK_AT_LEAST; words = ">="; break;
    case TOK_LT: kind = QK_LESS_THAN; words = "<"; break;
    case TOK_LE: kind = QK_AT_MOST; words = "<="; break;
    case TOK_TILDE: kind = QK_APPROX; words = "~"; break;
    default: break;
    }
    if (words) {
      p->pos++;
    } else {
      const QualPhrase *qp = match_phrase(p, prefix_phrases, G_N_ELEMENTS(prefix_phrases));
      if (!qp)
        return TRUE;
      kind = qp->kind;
      words = qp->words;
    }
    if (!add_qual(p, qs, kind, words))
      return FALSE;
  }
}

/* ------------------------------------------------------------------ */
/* The phrase                                                          */

typedef struct {
  Quantity a, b;
  gboolean is_range;
  guint64 sum;   /* Q_NUMBER parts added up, when there are several */
  guint n_parts; /* 1, or how many counts "five children and two women" adds */
} Core;

/* Nothing readable at p->pos: either there is no number at all, or words
 * stand before it that the parser does not know ("killed 80"). */
static gboolean no_quantity(Parser *p)
{
  for (guint i = p->pos; i < p->n; i++) {
    if (quantity_starts(p, i, TRUE)) {
      const Token *t = tok_at(p, p->pos);
      return fail(p, "unexpected '%s' before the number", t->text);
    }
  }
  return fail(p, "no number in phrase");
}

static gboolean parse_core(Parser *p, Core *core)
{
  enum { PLAIN, BETWEEN, FROM } ctx = PLAIN;
  if (is_word(p, p->pos, "between")) {
    ctx = BETWEEN;
    p->pos++;
  } else if (is_word(p, p->pos, "from")) {
    ctx = FROM;
    p->pos++;
  }
  p->and_is_separator = ctx == BETWEEN;
  gboolean got = parse_quantity(p, &core->a, ctx == PLAIN);
  p->and_is_separator = FALSE;
  if (!got)
    return p->error ? FALSE : no_quantity(p);

  /* A second end?  "between" needs its "and", "from" its "to"; a plain
   * quantity takes "-", "to", "through" or "or" only if a quantity follows. */
  const Token *t = tok(p, p->pos);
  gboolean dash = t && t->type == TOK_DASH;
  gboolean connector;
  if (ctx == BETWEEN) {
    connector = is_word(p, p->pos, "and") || is_word(p, p->pos, "to") || dash;
    if (!connector)
      return fail(p, "'between' without 'and'");
  } else if (ctx == FROM) {
    connector = is_word(p, p->pos, "to") || is_word(p, p->pos, "through") || dash;
    if (!connector)
      return fail(p, "'from' without 'to'");
  } else {
    gboolean joins = dash || is_word(p, p->pos, "to") || is_word(p, p->pos, "through") ||
                     is_word(p, p->pos, "or");
    if (joins && core->a.type != Q_ZERO && p->pos + 1 == p->n)
      return fail(p, "range without an end"); /* "20 to", "20 -" */
    connector = joins && core->a.type != Q_ZERO && quantity_starts(p, p->pos + 1, FALSE);
  }
  if (connector) {
    p->pos++;
    if (!parse_quantity(p, &core->b, FALSE))
      return p->error ? FALSE : fail(p, "range without an end");
    core->is_range = TRUE;
  }
  return TRUE;
}

/* Suffixes glued to the number: "100+", "100-plus", "100 plus", "40-odd", "80-ish". */
static gboolean parse_glued_suffix(Parser *p, Quals *qs, const Core *core)
{
  if (core->is_range || core->a.type != Q_NUMBER)
    return TRUE;
  const Token *t = tok(p, p->pos);
  if (t && t->type == TOK_PLUS) {
    p->pos++;
    return add_qual(p, qs, QK_MORE_THAN, "+");
  }
  guint at = p->pos + (t && t->type == TOK_DASH ? 1 : 0);
  if (is_word(p, at, "plus")) {
    p->pos = at + 1;
    return add_qual(p, qs, QK_MORE_THAN, "plus");
  }
  if (is_word(p, at, "odd")) {
    p->pos = at + 1;
    return add_qual(p, qs, QK_ODD, "odd");
  }
  /* "80-ish", "forty-ish": about the number, never exactly it. */
  if (is_word(p, at, "ish")) {
    p->pos = at + 1;
    return add_qual(p, qs, QK_APPROX, "ish");
  }
  return TRUE;
}

static gboolean is_metric_word(const Parser *p, const char *word)
{
  return g_hash_table_contains(p->rules->metrics, word);
}

/* Everything after the core: suffix qualifiers, nouns, and the parts of a
 * sum.  A sum is read only for plain counts each followed by its own noun
 * and joined by "and" or a comma; metric words ("killed", "wounded") may
 * only close the last part, since "80 killed and 240 wounded" counts two
 * different things and adding them would be wrong. */
static gboolean parse_trailing(Parser *p, Quals *qs, Core *core)
{
  gboolean separator = FALSE, sep_and = FALSE, part_metric = FALSE;
  guint nouns = 0;
  gboolean summable = !core->is_range && core->a.type == Q_NUMBER;
  core->n_parts = 1;
  if (summable && !whole(p, core->a.micro, &core->sum))
    return FALSE;

  while (p->pos < p->n) {
    const QualPhrase *qp = match_phrase(p, suffix_phrases, G_N_ELEMENTS(suffix_phrases));
    if (qp) {
      if (!add_qual(p, qs, qp->kind, qp->words))
        return FALSE;
      separator = FALSE;
      continue;
    }
    const Token *t = tok_at(p, p->pos);
    if (t->type == TOK_COMMA || is_word(p, p->pos, "and")) {
      separator = TRUE;
      sep_and = t->type == TOK_WORD;
      p->pos++;
      continue;
    }
    /* "80 people and a child", "... and another civilian": one more.  Only
     * after "and": after a comma "a" starts a clause ("80, a doctor said"). */
    gboolean a_one = sep_and && separator &&
                     (is_word(p, p->pos, "a") || is_word(p, p->pos, "an") ||
                      is_word(p, p->pos, "another")) &&
                     tok(p, p->pos + 1) && tok(p, p->pos + 1)->type == TOK_WORD &&
                     !quantity_starts(p, p->pos, TRUE);
    if (quantity_starts(p, p->pos, TRUE) || a_one) {
      if (!summable || !separator || nouns == 0 || part_metric)
        return fail(p, "more than one number in phrase");
      guint64 count = 1;
      if (a_one) {
        p->pos++; /* "and a child": one more */
      } else {
        Quantity q;
        if (!parse_quantity(p, &q, FALSE))
          return p->error ? FALSE : fail(p, "more than one number in phrase");
        if (q.type != Q_NUMBER)
          return fail(p, "more than one number in phrase");
        if (!whole(p, q.micro, &count))
          return FALSE;
      }
      if (!g_uint64_checked_add(&core->sum, core->sum, count) || core->sum > RECKON_COUNT_MAX)
        return fail(p, "number too large");
      core->n_parts++;
      nouns = 0;
      part_metric = separator = FALSE;
      continue;
    }
    switch (t->type) {
    case TOK_PLUS:
      /* Only "100++" gets here with meaning (a repeated qualifier); a '+'
       * after words is not part of the count. */
      if (p->pos > 0 && tok_at(p, p->pos - 1)->type == TOK_PLUS)
        return add_qual(p, qs, QK_MORE_THAN, "+");
      return fail(p, "unexpected '+'");
    case TOK_WORD:
      nouns++;
      part_metric = part_metric || is_metric_word(p, t->text);
      break;
    case TOK_DASH:
      break; /* "80 - officials said": punctuation here */
    default:
      return fail(p, "unexpected '%s'", t->text);
    }
    separator = FALSE;
    p->pos++;
  }
  return TRUE;
}

/* Half the width of "about N": how far a careful reader lets N stray.
 * Rounder numbers are looser estimates: the fewer significant digits
 * the report gives, the wider (10% for one digit as in 100 or 4 million,
 * 7.5% for a half-step like 45 or 250, 5% for two digits, 2.5% beyond),
 * and large totals are estimates of estimates (x1.25 from a thousand,
 * x1.5 from a million).  So "about 45" is +-3, "about 100" +-10 and
 * "about 4 million" +-600,000: narrower to wider relative to the figure. */
static guint64 approx_halfwidth(guint64 n, guint64 round_micro)
{
  if (n == 0)
    return 0;
  guint64 m = round_micro ? round_micro : n;
  while (m % 10 == 0)
    m /= 10;
  guint digits = 0;
  for (guint64 d = m; d; d /= 10)
    digits++;
  guint64 per10k = digits <= 1 ? 1000 : digits == 2 ? (m % 10 == 5 ? 750 : 500) : 250;
  guint64 quarters = n < 1000 ? 4 : n < 1000000 ? 5 : 6;
  guint64 w = (n * per10k * quarters + 20000) / 40000; /* n <= 10^12: no overflow */
  /* Two significant digits are all a width deserves: 1516 -> 1500. */
  guint64 unit = 1;
  for (guint64 d = w; d >= 100; d /= 10)
    unit *= 10;
  w = (w + unit / 2) / unit * unit;
  return MAX(w, 1);
}

/* Applies the qualifiers to the core and fills @out. */
static gboolean build(Parser *p, const Quals *qs, Core *core, ReckonRange *out)
{
  QualKind kind = qs->kind;
  if (kind == QK_NONE && qs->soft)
    kind = QK_APPROX; /* "an estimated 45" is "about 45" */
  const char *words = qs->kind_words ? qs->kind_words : "an estimated";

  if (core->n_parts > 1) {
    if (kind != QK_NONE)
      return fail(p, "more than one number in phrase");
    *out = (ReckonRange){core->sum, core->sum, core->sum, RECKON_KIND_EXACT};
    return TRUE;
  }

  if (core->is_range) {
    /* "about 20 to 30" is still 20-30; a bound on a range ("over 20-30")
     * says two things at once. */
    if (qs->odd || (kind != QK_NONE && kind != QK_APPROX))
      return fail(p, "'%s' on a range", qs->odd ? "odd" : words);
    Quantity *a = &core->a, *b = &core->b;
    /* "20 to 30 thousand" and "2-3 million": the multiplier of the second
     * end carries to a bare first end when that keeps the range in order
     * ("between 500 and 2 million" stays 500). */
    if (a->scale == 1 && b->scale > 1) {
      guint64 b_low = b->type == Q_NUMBER ? b->micro : b->low * MICRO, scaled;
      guint64 a_low = a->type == Q_NUMBER ? a->micro : a->low * MICRO;
      if (g_uint64_checked_mul(&scaled, a_low, b->scale) && scaled <= b_low) {
        if (a->type == Q_NUMBER) {
          a->micro = scaled;
        } else {
          a->low *= b->scale;
          a->typical *= b->scale;
          if (a->high != RECKON_UNBOUNDED)
            a->high = MIN(a->high * b->scale + b->scale - 1, RECKON_COUNT_MAX);
        }
      }
    }
    guint64 low = a->low, high = b->high;
    if ((a->type == Q_NUMBER && !whole(p, a->micro, &low)) ||
        (b->type == Q_NUMBER && !whole(p, b->micro, &high)))
      return FALSE;
    if (low > RECKON_COUNT_MAX || (high != RECKON_UNBOUNDED && high > RECKON_COUNT_MAX))
      return fail(p, "number too large");
    if (low > high)
      return fail(p, "range runs backwards");
    guint64 mid = high == RECKON_UNBOUNDED ? low : low + (high - low) / 2;
    *out = (ReckonRange){low, high, mid, RECKON_KIND_BETWEEN};
    return TRUE;
  }

  Quantity *q = &core->a;
  if (q->type == Q_ZERO) {
    if (kind != QK_NONE)
      return fail(p, "'%s' before a zero", words);
    *out = (ReckonRange){0, 0, 0, RECKON_KIND_EXACT};
    return TRUE;
  }

  if (q->type == Q_VAGUE) {
    /* The statement allows every count that some reading of the word
     * allows: "more than dozens" is above the least "dozens" can be. */
    guint64 lo = q->low, hi = q->high, typ = q->typical;
    switch (kind) {
    case QK_NONE:
    case QK_APPROX: /* "an estimated hundreds of thousands" is still vague */
      if (qs->odd)
        return fail(p, "'odd' needs a round number");
      *out = (ReckonRange){lo, hi, typ, RECKON_KIND_VAGUE};
      return TRUE;
    case QK_AT_LEAST:
      *out = (ReckonRange){lo, RECKON_UNBOUNDED, typ, RECKON_KIND_AT_LEAST};
      return TRUE;
    case QK_MORE_THAN:
      if (lo >= RECKON_COUNT_MAX)
        return fail(p, "number too large");
      *out = (ReckonRange){lo + 1, RECKON_UNBOUNDED, MAX(typ, lo + 1), RECKON_KIND_MORE_THAN};
      return TRUE;
    case QK_AT_MOST:
    case QK_LESS_THAN:
      if (hi == RECKON_UNBOUNDED)
        return fail(p, "'%s' with an open-ended word", words);
      if (kind == QK_LESS_THAN) {
        if (hi == 0)
          return fail(p, "fewer than zero");
        hi--;
      }
      *out = (ReckonRange){0, hi, MIN(typ, hi),
                           kind == QK_AT_MOST ? RECKON_KIND_AT_MOST : RECKON_KIND_LESS_THAN};
      return TRUE;
    default:
      return fail(p, "'%s' with a vague word", words);
    }
  }

  guint64 n = 0;
  if (!whole(p, q->micro, &n))
    return FALSE;
  if (qs->odd) {
    /* "40-odd" is 41-49, "100-odd" 101-199: above the round number, below
     * the next step of the same roundness. */
    guint64 step = 1;
    while (n && n % (step * 10) == 0)
      step *= 10;
    if (step < 10)
      return fail(p, "'odd' needs a round number");
    guint64 lo = n + 1, hi = MIN(n + step - 1, RECKON_COUNT_MAX);
    if (lo > hi)
      return fail(p, "number too large");
    *out = (ReckonRange){lo, hi, lo + (hi - lo) / 2, RECKON_KIND_APPROX};
    return TRUE;
  }
  guint64 w;
  switch (kind) {
  case QK_NONE:
    *out = (ReckonRange){n, n, n, RECKON_KIND_EXACT};
    break;
  case QK_AT_LEAST:
    *out = (ReckonRange){n, RECKON_UNBOUNDED, n, RECKON_KIND_AT_LEAST};
    break;
  case QK_MORE_THAN:
    if (n >= RECKON_COUNT_MAX)
      return fail(p, "number too large");
    *out = (ReckonRange){n + 1, RECKON_UNBOUNDED, n + 1, RECKON_KIND_MORE_THAN};
    break;
  case QK_AT_MOST:
    *out = (ReckonRange){0, n, n, RECKON_KIND_AT_MOST};
    break;
  case QK_LESS_THAN:
    if (n == 0)
      return fail(p, "fewer than zero");
    *out = (ReckonRange){0, n - 1, n - 1, RECKON_KIND_LESS_THAN};
    break;
  case QK_APPROX:
    w = approx_halfwidth(n, q->round_micro);
    *out = (ReckonRange){n > w ? n - w : 0, MIN(n + w, RECKON_COUNT_MAX), n, RECKON_KIND_APPROX};
    break;
  case QK_NEARLY:
    /* Just below the figure, up to it: the report rounds up to N. */
    w = approx_halfwidth(n, q->round_micro);
    *out = (ReckonRange){n > w ? n - w : 0, n, n, RECKON_KIND_NEARLY};
    break;
  default:
    g_return_val_if_reached(FALSE);
  }
  return TRUE;
}

/* Words that end the count and start a part of it ("80, including six
 * children"): what follows is a subset, not more of the count. */
static const char *const cut_phrases[] = {
  "including", "incl", "among them", "among whom", "of whom", "of which", "of them",
};

static guint cut_position(const Parser *p)
{
  guint n;
  for (guint i = 0; i < p->n; i++)
    for (guint k = 0; k < G_N_ELEMENTS(cut_phrases); k++)
      if (words_at(p, i, cut_phrases[k], &n))
        return i;
  return p->n;
}

/* Reasons that apply wherever they appear in the phrase. */
static gboolean check_not_a_count(Parser *p)
{
  guint n;
  for (guint i = 0; i < p->n; i++) {
    const Token *t = tok(p, i);
    if (t->type == TOK_PERCENT || is_word(p, i, "percent") || is_word(p, i, "pct") ||
        words_at(p, i, "per cent", &n))
      return fail(p, "percentage, not a count");
    if (t->type == TOK_MONEY)
      return fail(p, "amount of money, not a count");
  }
  return TRUE;
}

gboolean reckon_range_parse(const ReckonRules *rules, const char *text, ReckonRange *range,
                            GError **error)
{
  g_return_val_if_fail(text != NULL, FALSE);
  g_return_val_if_fail(range != NULL, FALSE);
  g_return_val_if_fail(error == NULL || *error == NULL, FALSE);

  if (!g_utf8_validate(text, -1, NULL)) {
    g_set_error_literal(error, RECKON_ERROR, RECKON_ERROR_PHRASE, "invalid UTF-8");
    return FALSE;
  }
  char *folded = fold_words(text);
  if (folded[0] == '\0') {
    g_free(folded);
    g_set_error_literal(error, RECKON_ERROR, RECKON_ERROR_PHRASE, "empty phrase");
    return FALSE;
  }

  Parser p = {0};
  p.rules = rules ? rules : rules_default();
  p.toks = g_array_new(FALSE, TRUE, sizeof(Token));
  g_array_set_clear_func(p.toks, token_clear);

  Quals qs = {0};
  Core core = {0};
  ReckonRange result;
  gboolean ok = tokenize(&p, folded);
  if (ok) {
    p.n = p.toks->len;
    ok = check_not_a_count(&p);
  }
  if (ok) {
    p.n = cut_position(&p);
    ok = parse_prefix(&p, &qs) && parse_core(&p, &core) && parse_glued_suffix(&p, &qs, &core) &&
         parse_trailing(&p, &qs, &core) && build(&p, &qs, &core, &result);
  }
  if (ok) {
    /* The contract of ReckonRange: figure within [low, high]. */
    result.figure = CLAMP(result.figure, result.low, result.high);
    *range = result;
  } else {
    g_propagate_error(error, p.error);
  }
  g_array_unref(p.toks);
  g_free(folded);
  return ok;
}
