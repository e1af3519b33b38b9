/*
 * date.c - parses and prints the dates of claims (see date.h).  Used by the
 * reader for incident.when, published and as_of.
 */
#include "date.h"

#include <string.h>

/* Parses one date without '/'; fills [start, end] and the precision. */
static gboolean parse_one(const char *text, guint32 *start, guint32 *end, guint8 *prec,
                          const char **reason)
{
  size_t n = strlen(text);
  unsigned y = 0, m = 0, d = 0;
  for (size_t i = 0; i < n; i++) {
    gboolean dash = i == 4 || i == 7;
    if (dash ? text[i] != '-' : !g_ascii_isdigit(text[i])) {
      *reason = "date must be YYYY, YYYY-MM or YYYY-MM-DD";
      return FALSE;
    }
  }
  if (n != 4 && n != 7 && n != 10) {
    *reason = "date must be YYYY, YYYY-MM or YYYY-MM-DD";
    return FALSE;
  }
  y = (unsigned)g_ascii_strtoull(text, NULL, 10);
  if (n >= 7)
    m = (unsigned)g_ascii_strtoull(text + 5, NULL, 10);
  if (n == 10)
    d = (unsigned)g_ascii_strtoull(text + 8, NULL, 10);
  if (y < 1 || y > 9999 || (n >= 7 && (m < 1 || m > 12))) {
    *reason = "impossible date";
    return FALSE;
  }
  if (n == 10 && !g_date_valid_dmy((GDateDay)d, (GDateMonth)m, (GDateYear)y)) {
    *reason = "impossible date";
    return FALSE;
  }
  GDate first, last;
  g_date_clear(&first, 1);
  g_date_clear(&last, 1);
  if (n == 4) {
    g_date_set_dmy(&first, 1, G_DATE_JANUARY, (GDateYear)y);
    g_date_set_dmy(&last, 31, G_DATE_DECEMBER, (GDateYear)y);
    *prec = DATE_YEAR;
  } else if (n == 7) {
    g_date_set_dmy(&first, 1, (GDateMonth)m, (GDateYear)y);
    g_date_set_dmy(&last, g_date_get_days_in_month((GDateMonth)m, (GDateYear)y), (GDateMonth)m,
                   (GDateYear)y);
    *prec = DATE_MONTH;
  } else {
    g_date_set_dmy(&first, (GDateDay)d, (GDateMonth)m, (GDateYear)y);
    last = first;
    *prec = DATE_DAY;
  }
  *start = g_date_get_julian(&first);
  *end = g_date_get_julian(&last);
  return TRUE;
}

gboolean date_span_parse(const char *text, DateSpan *span, const char **reason)
{
  DateSpan s = {0};
  const char *slash = strchr(text, '/');
  if (!slash) {
    if (!parse_one(text, &s.start, &s.end, &s.start_prec, reason))
      return FALSE;
    s.end_prec = s.start_prec;
  } else {
    char *a = g_strndup(text, slash - text);
    guint32 a0, a1, b0, b1;
    gboolean ok = strchr(slash + 1, '/') == NULL && parse_one(a, &a0, &a1, &s.start_prec, reason) &&
                  parse_one(slash + 1, &b0, &b1, &s.end_prec, reason);
    g_free(a);
    if (!ok) {
      if (strchr(slash + 1, '/'))
        *reason = "date must be YYYY, YYYY-MM or YYYY-MM-DD, or START/END";
      return FALSE;
    }
    if (b1 < a0) {
      *reason = "date interval ends before it starts";
      return FALSE;
    }
    s.start = a0;
    s.end = b1;
    s.interval = TRUE;
  }
  *span = s;
  return TRUE;
}

/* Writes @width digits of @v, zero-padded, at @p; returns the end. */
static char *put_digits(char *p, guint v, int width)
{
  for (int i = width - 1; i >= 0; i--, v /= 10)
    p[i] = (char)('0' + v % 10);
  return p + width;
}

/* Dates are formatted for every claim and incident of a run, so this
 * writes digits itself rather than through printf. */
static char *put_day(char *p, guint32 julian, guint8 prec)
{
  GDate d;
  g_date_clear(&d, 1);
  g_date_set_julian(&d, julian);
  p = put_digits(p, g_date_get_year(&d), 4); /* years are 1-9999 (date_span_parse()) */
  if (prec >= DATE_MONTH) {
    *p++ = '-';
    p = put_digits(p, g_date_get_month(&d), 2);
  }
  if (prec >= DATE_DAY) {
    *p++ = '-';
    p = put_digits(p, g_date_get_day(&d), 2);
  }
  return p;
}

gsize date_span_format_to(const DateSpan *span, char *buf)
{
  char *p = buf;
  if (date_span_is_set(span)) {
    p = put_day(p, span->start, span->start_prec);
    if (span->interval) {
      *p++ = '/';
      p = put_day(p, span->end, span->end_prec);
    }
  }
  *p = '\0';
  return (gsize)(p - buf);
}

char *date_span_format(const DateSpan *span)
{
  char buf[DATE_SPAN_TEXT_MAX];
  date_span_format_to(span, buf);
  return g_strdup(buf);
}

int date_span_compare(const DateSpan *a, const DateSpan *b)
{
#define CMP(x, y) \
  if ((x) != (y)) \
    return (x) < (y) ? -1 : 1
  CMP(a->start_prec != DATE_NONE, b->start_prec != DATE_NONE);
  CMP(a->start, b->start);
  CMP(a->end, b->end);
  CMP(a->start_prec, b->start_prec);
  CMP(a->end_prec, b->end_prec);
  CMP(a->interval, b->interval);
#undef CMP
  return 0;
}

DateShape date_span_shape(const DateSpan *span)
{
  if (span->start_prec == DATE_DAY && span->end_prec == DATE_DAY && span->start == span->end)
    return DATE_SHAPE_DAY;
  return span->interval ? DATE_SHAPE_PERIOD : DATE_SHAPE_VAGUE;
}
