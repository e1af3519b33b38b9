/*
 * parse-floor.c - the floor reckon is measured against: read a claims file
 * (JSON Lines) and parse every line with cJSON, doing nothing else.
 * Prints the number of objects parsed, so the work cannot be optimised away.
 *
 *   parse-floor FILE
 */
#include <stdio.h>

#include "floor.h"

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
  unsigned long objects =
      floor_parse_lines(g_mapped_file_get_contents(map), g_mapped_file_get_length(map));
  printf("%lu\n", objects);
  g_mapped_file_unref(map);
  return 0;
}
