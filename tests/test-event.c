/*
 * test-event.c - event types from the default rules (table in
 * event-cases.txt): which type a what text names, which types may describe
 * one event, which aggregates contain which incidents; and the reasons a
 * malformed rules/events file is refused.
 */
#include "rules.h"
#include "testutil.h"

static const EventType *read_type(const char *text)
{
  return events_read(rules_default()->events, text);
}

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("Event texts read as the types an analyst would code, compatible where they "
                 "may be one event");
  g_assert_cmpuint(row->n_fields, ==, 3);
  const char *what = row->fields[0];
  const EventType *a = read_type(row->fields[1]), *b = read_type(row->fields[2]);
  if (g_str_equal(what, "reads"))
    g_assert_cmpstr(a ? a->node.name : "-", ==, row->fields[2]);
  else if (g_str_equal(what, "compatible"))
    g_assert_true(event_compatible(a, b) && event_compatible(b, a));
  else if (g_str_equal(what, "apart"))
    g_assert_false(event_compatible(a, b) || event_compatible(b, a));
  else if (g_str_equal(what, "covers"))
    g_assert_true(event_covers(a, b));
  else if (g_str_equal(what, "not-covers"))
    g_assert_false(event_covers(a, b));
  else
    g_assert_not_reached();
}

static const TestRulesCase rules_cases[] = {
    {"events", "sniping | shooting | | sniper attack\n", NULL},
    {"events", "sniping | shooting\n",
     "events:1: expected 'type | broader | compatible | synonyms', got 2 fields"},
    {"events", "# one type\nsniping | gunplay | |\n",
     "events:2: unknown broader type 'gunplay' of 'sniping'"},
    {"events", "sniping | | duel |\n", "events:1: unknown compatible type 'duel' of 'sniping'"},
    {"events", "a | b | |\nb | a | |\n", "events:1: event type 'a' is broader than itself"},
    {"events", " , | | |\n", "events:1: empty event type"},
};

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("event-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = g_strdup_printf("/event/%s/%02u-%s", row->fields[0], i + 1, row->fields[1]);
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }
  for (gsize i = 0; i < G_N_ELEMENTS(rules_cases); i++) {
    char *name = g_strdup_printf("/event/rules/%zu", i + 1);
    g_test_add_data_func(name, &rules_cases[i], test_rules_case);
    g_free(name);
  }
  int status = g_test_run();
  table_free(table);
  return status;
}
