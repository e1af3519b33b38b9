/*
 * date.h - dates as claims state them: a year, a month, a day, or an
 * interval "A/B" of those.  A date is kept as the span of days it covers,
 * plus the precision it was written with, so "2024-12" is all of December
 * and prints back as "2024-12".
 */
#ifndef RECKON_DATE_H
#define RECKON_DATE_H

#include <glib.h>

typedef enum {
  DATE_NONE = 0,
  DATE_YEAR,
  DATE_MONTH,
  DATE_DAY,
} DatePrecision;

typedef struct {
  guint32 start, end;   /* GDate Julian day numbers, inclusive */
  guint8 start_prec;    /* DATE_NONE when no date was given */
  guint8 end_prec;
  guint8 interval;      /* TRUE when written as "A/B"; a byte, as claims hold dates by the million */
} DateSpan;

/* Parses "YYYY", "YYYY-MM", "YYYY-MM-DD" or "A/B".  On failure returns
 * FALSE and points *reason at a static explanation. */
gboolean date_span_parse(const char *text, DateSpan *span, const char **reason);

/* The canonical text: "2023-10-05", "2024-12", "2024-11-26/2024-12-01";
 * "" when unset.  Newly allocated. */
char *date_span_format(const DateSpan *span);

/* Room for the longest text date_span_format() gives, with its NUL. */
#define DATE_SPAN_TEXT_MAX 24

/* date_span_format() into @buf (DATE_SPAN_TEXT_MAX bytes), without
 * allocating; returns the length. */
gsize date_span_format_to(const DateSpan *span, char *buf);

/* Orders unset first, then by start, end, precision. */
int date_span_compare(const DateSpan *a, const DateSpan *b);

#define date_span_is_set(span) ((span)->start_prec != DATE_NONE)

/* What a date says about when something happened, for grouping. */
typedef enum {
  DATE_SHAPE_DAY,    /* one day ("2023-10-05", or "2023-10-05/2023-10-05") */
  DATE_SHAPE_VAGUE,  /* one day known only to its month or year ("2024-12"), or unset */
  DATE_SHAPE_PERIOD, /* several days written as an interval: a period */
} DateShape;

DateShape date_span_shape(const DateSpan *span);

#endif /* RECKON_DATE_H */
