/*
 * testutil.h - what the unit tests share: reading a case table from the
 * tests/ folder, and capturing an engine's output as a string.
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

#endif /* RECKON_TESTUTIL_H */
