/*
 * floor.h - the floor reckon's reading is measured against: cJSON parses
 * each line of a JSON Lines text, and nothing else happens.  Shared by
 * parse-floor.c (on a file) and reader-robustness.c (in memory).
 */
#ifndef RECKON_BENCH_FLOOR_H
#define RECKON_BENCH_FLOOR_H

#include <cjson/cJSON.h>
#include <glib.h>
#include <string.h>

/* Parses each line of @text; returns how many were JSON objects, so the
 * work cannot be optimised away. */
static inline unsigned long floor_parse_lines(const char *text, gsize len)
{
  const char *p = text, *stop = text + len;
  unsigned long objects = 0;
  while (p && p < stop) {
    const char *nl = memchr(p, '\n', stop - p);
    const char *eol = nl ? nl : stop;
    cJSON *o = cJSON_ParseWithLength(p, eol - p);
    objects += cJSON_IsObject(o);
    cJSON_Delete(o);
    p = nl ? nl + 1 : stop;
  }
  return objects;
}

#endif /* RECKON_BENCH_FLOOR_H */
