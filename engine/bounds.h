/*
 * bounds.h - parts within totals.  The who table (rules/who) says which
 * sub-populations are parts of which ("children" of "civilians" of all);
 * bounds.c uses it after estimating to raise each total's low to at least
 * the sum of its disjoint parts and to flag a part larger than its total
 * (exceeds_total).
 */
#ifndef RECKON_BOUNDS_H
#define RECKON_BOUNDS_H

#include <glib.h>

typedef struct _WhoTable WhoTable;

WhoTable *who_new(void);
void who_free(WhoTable *who);

/* Parses one who rule file ("who | part of | disjoint | synonyms") and
 * merges it into @who: a row for a group already present replaces it.
 * Fails with RECKON_ERROR_RULES "FILE:LINE: reason", also when the rows
 * make a group part of itself. */
gboolean who_load(WhoTable *who, const char *filename, const char *text, gsize len,
                  GError **error);

#endif /* RECKON_BOUNDS_H */
