/*
 * parse-floor.c - the floor reckon is measured against: read a claims file
 * (JSON Lines) and parse every line with cJSON, doing nothing else.
 * Prints the number of objects parsed, so the work cannot be optimised away.
 *
 *   parse-floor FILE
 */
#include <cjson/cJSON.h>
#include <glib.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
  if (argc != 2) {
    fprintf(stderr, "usage: parse-floor FILE\n");
    return 2;
  }
  GError *error = NULL;
  GMappedFile *map = g_mapped_file_new(argv[1], FALSE, &error);
  if (!map) {
    fprintf(stderr, "parse-floor: %s\n", error->message);
    g_error_free(error);
    return 1;
  }
  const char *p = g_mapped_file_get_contents(map);
  const char *stop = p + g_mapped_file_get_length(map);
  unsigned long objects = 0;
  while (p && p < stop) {
    const char *nl = memchr(p, '\n', stop - p);
    const char *eol = nl ? nl : stop;
    cJSON *o = cJSON_ParseWithLength(p, eol - p);
    objects += cJSON_IsObject(o);
    cJSON_Delete(o);
    p = nl ? nl + 1 : stop;
  }
  printf("%lu\n", objects);
  g_mapped_file_unref(map);
  return 0;
}
