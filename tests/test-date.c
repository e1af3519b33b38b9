/*
 * test-date.c - dates of claims (table in date-cases.txt): every precision,
 * intervals, and the reasons impossible dates are refused.
 */
#include <string.h>

#include "date.h"
#include "testutil.h"

static guint32 julian(const char *ymd)
{
  GDate d;
  g_date_clear(&d, 1);
  g_date_set_dmy(&d, (GDateDay)atoi(ymd + 8), (GDateMonth)atoi(ymd + 5), (GDateYear)atoi(ymd));
  return g_date_get_julian(&d);
}

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("A date is read as the span of days it covers and printed back as written");
  DateSpan span;
  const char *reason = NULL;
  gboolean ok = date_span_parse(row->fields[0], &span, &reason);
  if (g_str_has_prefix(row->fields[1], "error: ")) {
    g_assert_false(ok);
    g_assert_cmpstr(reason, ==, row->fields[1] + 7);
    return;
  }
  g_assert_cmpuint(row->n_fields, ==, 4);
  if (!ok)
    g_assert_cmpstr(reason, ==, NULL);
  char *text = date_span_format(&span);
  g_assert_cmpstr(text, ==, row->fields[1]);
  g_free(text);
  g_assert_cmpuint(span.start, ==, julian(row->fields[2]));
  g_assert_cmpuint(span.end, ==, julian(row->fields[3]));
}

static void test_order(void)
{
  g_test_summary("Dates order by first day, then last day, unset first");
  DateSpan unset = {0}, day, month, later;
  const char *reason;
  g_assert_true(date_span_parse("2023-10-01", &day, &reason));
  g_assert_true(date_span_parse("2023-10", &month, &reason));
  g_assert_true(date_span_parse("2023-10-02", &later, &reason));
  g_assert_cmpint(date_span_compare(&unset, &day), <, 0);
  g_assert_cmpint(date_span_compare(&day, &month), <, 0);
  g_assert_cmpint(date_span_compare(&month, &later), <, 0);
  g_assert_cmpint(date_span_compare(&day, &day), ==, 0);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("date-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = g_strdup_printf("/date/case/%02u-%s", i + 1, row->fields[0][0] ? row->fields[0] : "empty");
    g_strdelimit(name + 11, "/", '~');
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }
  g_test_add_func("/date/order", test_order);
  int status = g_test_run();
  table_free(table);
  return status;
}
