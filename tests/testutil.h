/*
 * testutil.h - what the unit tests share: reading a case table from the
 * tests/ folder, capturing an engine's output as a string, and loading a
 * rule file from a scratch rules directory.
 */
#ifndef RECKON_TESTUTIL_H
#define RECKON_TESTUTIL_H

#include <reckon.h>

#include "table.h"

/* Reads tests/NAME (found through G_TEST_SRCDIR) as a rule-style table;
 * aborts the test program when it cannot.  Free with table_free(). */
Table *test_load_table(const char *name);

/* The output of reckon_engine_write() in @format, newly allocated. */
char *test_write_to_string(const ReckonEngine *engine, ReckonFormat format);

/* A rule file and what loading it after the defaults must give. */
typedef struct {
  const char *file;  /* its name in a rules directory: "places", "events", ... */
  const char *text;
  const char *error; /* the message without the directory, NULL when it loads */
} TestRulesCase;

/* A GTestDataFunc for a TestRulesCase: loads the default rules and the
 * file from a scratch rules directory and checks the outcome. */
void test_rules_case(gconstpointer data);

#endif /* RECKON_TESTUTIL_H */
