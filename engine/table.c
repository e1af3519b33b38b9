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

static gboolean error_va(GError **error, const char *filename, guint line, const char *format,
                         va_list args) G_GNUC_PRINTF(4, 0);
static gboolean error_va(GError **error, const char *filename, guint line, const char *format,
                         va_list args)
{
  char *reason = g_strdup_vprintf(format, args);
  g_set_error(error, RECKON_ERROR, RECKON_ERROR_RULES, "%s:%u: %s", filename, line, reason);
  g_free(reason);
  return FALSE;
}

gboolean table_error(GError **error, const Table *table, const TableRow *row, const char *format,
                     ...)
{
  va_list args;
  va_start(args, format);
  error_va(error, table->filename, row ? row->line : 0, format, args);
  va_end(args);
  return FALSE;
}

gboolean table_error_at(GError **error, const char *filename, guint line, const char *format, ...)
{
  va_list args;
  va_start(args, format);
  error_va(error, filename, line, format, args);
  va_end(args);
  return FALSE;
}

gboolean table_read(const char *filename, const char *text, gsize len, guint min, guint max,
                    const char *columns, TableRowFunc func, gpointer data, GError **error)
{
  Table *table = table_parse(filename, text, len, error);
  if (!table)
    return FALSE;
  gboolean ok = TRUE;
  for (guint i = 0; ok && i < table->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(table->rows, i);
    if (row->n_fields < min || row->n_fields > max)
      ok = table_error(error, table, row, "expected '%s', got %u fields", columns, row->n_fields);
    else
      ok = func(table, row, data, error);
  }
  table_free(table);
  return ok;
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

char **table_split_list(const char *field)
{
  char **items = g_strsplit(field, ",", -1);
  guint n = 0;
  for (char **s = items; *s; s++) {
    g_strstrip(*s);
    if (**s)
      items[n++] = *s;
    else
      g_free(*s);
  }
  items[n] = NULL;
  return items;
}
