/*
 * test-writer.c - writer.c's JSON strings and numbers, which the JSON
 * Lines writer puts directly rather than through cJSON: each is the text
 * cJSON_PrintUnformatted() gives.  Cases in writer-cases.txt, then every
 * byte in a string, every count of thousandths up to 200 (the weights, the
 * level, medians between counts) and their neighbours, and random doubles.
 */
#include <math.h>
#include <string.h>

#include "engine-private.h"
#include "testutil.h"

/* What cJSON prints for @item, which it frees. */
static char *cjson_text(cJSON *item)
{
  char *printed = cJSON_PrintUnformatted(item);
  char *text = g_strdup(printed);
  cJSON_free(printed);
  cJSON_Delete(item);
  return text;
}

static void assert_string(const char *s)
{
  GString *out = g_string_new(NULL);
  json_put_string(out, s);
  char *want = cjson_text(cJSON_CreateString(s));
  g_assert_cmpstr(out->str, ==, want);
  g_free(want);
  g_string_free(out, TRUE);
}

static void assert_number(double d)
{
  GString *out = g_string_new(NULL);
  json_put_number(out, d);
  char *want = cjson_text(cJSON_CreateNumber(d));
  if (strcmp(out->str, want) != 0)
    g_error("%.17g: written %s, cJSON prints %s", d, out->str, want);
  g_free(want);
  g_string_free(out, TRUE);
}

static void test_case(gconstpointer data)
{
  const TableRow *row = data;
  g_test_summary("A string or number from writer-cases.txt is written as the table and cJSON say");
  g_assert_cmpuint(row->n_fields, ==, 3);
  GString *out = g_string_new(NULL);
  if (strcmp(row->fields[0], "string") == 0) {
    char *s = g_strcompress(row->fields[1]);
    json_put_string(out, s);
    assert_string(s);
    g_free(s);
  } else {
    g_assert_cmpstr(row->fields[0], ==, "number");
    char *end;
    double d = g_ascii_strtod(row->fields[1], &end);
    g_assert_cmpint(*end, ==, '\0');
    json_put_number(out, d);
    assert_number(d);
  }
  g_assert_cmpstr(out->str, ==, row->fields[2]);
  g_string_free(out, TRUE);
}

static void test_every_byte(void)
{
  g_test_summary("Every byte but NUL, alone and inside text, is escaped or kept as cJSON does");
  for (int b = 1; b < 256; b++) {
    char alone[2] = {(char)b, 0}, inside[6] = {'a', 'b', (char)b, (char)b, 'c', 0};
    assert_string(alone);
    assert_string(inside);
  }
  for (int i = 0; i < 2000; i++) {
    char s[24];
    guint len = (guint)g_test_rand_int_range(0, sizeof s);
    for (guint k = 0; k < len; k++)
      s[k] = (char)g_test_rand_int_range(1, 256);
    s[len] = '\0';
    assert_string(s);
  }
}

static void test_thousandths(void)
{
  g_test_summary("Whole counts of thousandths and the doubles next to them are written as cJSON "
                 "prints them");
  for (int k = -200000; k <= 200000; k++) {
    double d = k / 1000.0;
    assert_number(d);
    if (k % 97 == 0) {
      assert_number(nextafter(d, INFINITY));
      assert_number(nextafter(d, -INFINITY));
    }
  }
  /* Up to a billion, where the direct digits stop, and beyond it. */
  for (int i = 0; i < 20000; i++) {
    double k = floor(g_test_rand_double_range(-2e12, 2e12));
    assert_number(k / 1000);
    assert_number(nextafter(k / 1000, 0));
  }
  assert_number(999999999.999);
  assert_number(-999999999.999);
  assert_number(1e9 - 0.0005);
}

static void test_random_doubles(void)
{
  g_test_summary("Random doubles of every magnitude are written as cJSON prints them");
  for (int i = 0; i < 20000; i++) {
    guint64 bits = ((guint64)g_test_rand_int() << 32) | (guint32)g_test_rand_int();
    double d;
    memcpy(&d, &bits, sizeof d);
    assert_number(d);
    assert_number(g_test_rand_double_range(-1e4, 1e4));
  }
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("writer-cases.txt");
  for (guint i = 0; i < table->rows->len; i++) {
    TableRow *row = g_ptr_array_index(table->rows, i);
    char *name = g_strdup_printf("/writer/case/%02u", i + 1);
    g_test_add_data_func(name, row, test_case);
    g_free(name);
  }
  g_test_add_func("/writer/string/every-byte", test_every_byte);
  g_test_add_func("/writer/number/thousandths", test_thousandths);
  g_test_add_func("/writer/number/random", test_random_doubles);
  int status = g_test_run();
  table_free(table);
  return status;
}
