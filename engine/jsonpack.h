/*
 * jsonpack.h - claim trees in slabs (jsonpack.c): memory freed all at
 * once, and a parser that builds the tree cJSON would straight into it.
 */
#ifndef RECKON_JSONPACK_H
#define RECKON_JSONPACK_H

#include <cjson/cJSON.h>
#include <glib.h>

#include "slab.h"

/* cJSON's type tests, inline: the reader asks several of every member of
 * every claim, and the calls into the shared library took 5% of the
 * load's samples (perf).  NULL is of no type, as for cJSON_Is*(). */
static inline gboolean json_is(const cJSON *item, int type)
{
  return item && (item->type & 0xFF) == type;
}

#define json_is_null(item) json_is((item), cJSON_NULL)
#define json_is_number(item) json_is((item), cJSON_Number)
#define json_is_string(item) json_is((item), cJSON_String)
#define json_is_array(item) json_is((item), cJSON_Array)
#define json_is_object(item) json_is((item), cJSON_Object)

/* A copy of @item in @slab, as cJSON links it. */
cJSON *jsonpack_copy(Slab *slab, const cJSON *item);

/* Member names the caller reads by the dozen: the caller's own string
 * equal to the @len bytes at @text, or NULL. */
typedef const char *(*JsonpackNameFunc)(const char *text, gsize len);

/* The JSON object in @text (@len bytes, blanks around it allowed) parsed
 * into @slab: the tree cJSON_ParseWithLengthOpts() gives, nested at most
 * @max_depth deep.  NULL for text it leaves to cJSON: anything but an
 * object, a \u escape, a number JSON would not write, or an error.
 * A member whose name @shared_name (may be NULL) knows gets the caller's
 * string as its name, not a copy: the caller may tell such names apart by
 * their address. */
cJSON *jsonpack_parse(Slab *slab, const char *text, gsize len, guint max_depth,
                      JsonpackNameFunc shared_name);

#endif /* RECKON_JSONPACK_H */
