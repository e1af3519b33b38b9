/*
 * table.c - splits rule files into rows of fields (see table.h).  The first
 * stage of rule loading; rules.c and the per-rule modules sit on top.
 */
#include "table.h"

#include <stdarg.h>
#include <string.h>

#include "reckon/error.h"

static void row_free(gpointer data)
{
  TableRow *row = data;
  g_strfreev(row->fields);
  g_free(row);
}

Table *table_parse(const char *filename, const char *text, gsize len, GError **error)
{
  const char *end;
  if (!g_utf8_validate_len(text, len, &end)) {
    guint line = 1;
    for (const char *p = text; p < end; p++)
      line += *p == '\n';
    g_set_error(error, RECKON_ERROR, RECKON_ERROR_RULES, "%s:%u: %s", filename, line,
                memchr(text, '\0', len) == end ? "NUL byte in rule file" : "invalid UTF-8");
    return NULL;
  }

  Table *table = g_new0(Table, 1);
  table->filename = g_strdup(filename);
  table->rows = g_ptr_array_new_with_free_func(row_free);

  guint line = 0;
  const char *p = text, *stop = text + len;
  while (p < stop) {
    const char *nl = memchr(p, '\n', stop - p);
    const char *eol = nl ? nl : stop;
    char *raw = g_strndup(p, eol - p);
    line++;
    p = nl ? nl + 1 : stop;

    g_strstrip(raw);
    if (raw[0] == '\0' || raw[0] == '#') {
      g_free(raw);
      continue;
    }
    TableRow *row = g_new0(TableRow, 1);
    row->line = line;
    row->fields = g_strsplit(raw, "|", -1);
    for (char **f = row->fields; *f; f++)
      g_strstrip(*f);
    row->n_fields = g_strv_length(row->fields);
    g_ptr_array_add(table->rows, row);
    g_free(raw);
  }
  return table;
}

void table_free(Table *table)
{
  if (!table)
    return;
  g_ptr_array_unref(table->rows);
  g_free(table->filename);
  g_free(table);
}

gboolean table_error(GError **error, const Table *table, const TableRow *row, const char *format,
                     ...)
{
  va_list args;
  va_start(args, format);
  char *reason = g_strdup_vprintf(format, args);
  va_end(args);
  g_set_error(error, RECKON_ERROR, RECKON_ERROR_RULES, "%s:%u: %s", table->filename,
              row ? row->line : 0, reason);
  g_free(reason);
  return FALSE;
}

gboolean table_field_count(const char *field, gboolean allow_inf, guint64 *out)
{
  if (allow_inf && (strcmp(field, "inf") == 0 || strcmp(field, "-") == 0)) {
    *out = G_MAXUINT64;
    return TRUE;
  }
  guint64 value;
  if (!g_ascii_string_to_unsigned(field, 10, 0, G_GUINT64_CONSTANT(1000000000000), &value, NULL))
    return FALSE;
  *out = value;
  return TRUE;
}
