/*
 * table.h - the plain-text table format every rule file uses.
 *
 * One record per line, fields separated by '|', surrounding blanks trimmed;
 * '#' starts a comment line; blank lines are ignored.  The reader only
 * splits: each rule module gives meaning to the columns and reports
 * problems with table_error(), so every message reads "FILE:LINE: reason".
 */
#ifndef RECKON_TABLE_H
#define RECKON_TABLE_H

#include <glib.h>

typedef struct {
  guint line;     /* 1-based line number in the file */
  guint n_fields;
  char **fields;  /* n_fields trimmed strings, NULL-terminated */
} TableRow;

typedef struct {
  char *filename;
  GPtrArray *rows; /* of TableRow* */
} Table;

/* Splits @text (UTF-8, @len bytes, need not be NUL-terminated).  Fails only
 * on invalid UTF-8 or NUL bytes, with RECKON_ERROR_RULES. */
Table *table_parse(const char *filename, const char *text, gsize len, GError **error);
void table_free(Table *table);

/* Sets @error to RECKON_ERROR_RULES "FILE:LINE: <formatted reason>" and returns FALSE. */
gboolean table_error(GError **error, const Table *table, const TableRow *row, const char *format,
                     ...) G_GNUC_PRINTF(4, 5);

/* As table_error(), for a row read earlier: its file and line were kept. */
gboolean table_error_at(GError **error, const char *filename, guint line, const char *format,
                        ...) G_GNUC_PRINTF(4, 5);

/* Gives meaning to one row; FALSE with @error set (use table_error()). */
typedef gboolean (*TableRowFunc)(const Table *table, const TableRow *row, gpointer data,
                                 GError **error);

/* Parses @text and calls @func on each row, stopping at the first that
 * fails.  A row without @min to @max fields fails with
 * "FILE:LINE: expected 'COLUMNS', got N fields". */
gboolean table_read(const char *filename, const char *text, gsize len, guint min, guint max,
                    const char *columns, TableRowFunc func, gpointer data, GError **error);

/* Parses a non-negative integer field ("24", "1000000", "inf" when
 * @allow_inf, giving G_MAXUINT64); FALSE on anything else. */
gboolean table_field_count(const char *field, gboolean allow_inf, guint64 *out);

/* Splits a comma-separated field into trimmed, non-empty items: a
 * NULL-terminated vector (g_strfreev()). */
char **table_split_list(const char *field);

#endif /* RECKON_TABLE_H */
