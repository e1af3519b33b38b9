/*
 * jsonpack.h - claim trees in slabs (jsonpack.c): memory freed all at
 * once, and a parser that builds the tree cJSON would straight into it.
 */
#ifndef RECKON_JSONPACK_H
#define RECKON_JSONPACK_H

#include <cjson/cJSON.h>
#include <glib.h>

#include "slab.h"

/* A copy of @item in @slab, as cJSON links it. */
cJSON *jsonpack_copy(Slab *slab, const cJSON *item);

/* The JSON object in @text (@len bytes, blanks around it allowed) parsed
 * into @slab: the tree cJSON_ParseWithLengthOpts() gives, nested at most
 * @max_depth deep.  NULL for text it leaves to cJSON: anything but an
 * object, a \u escape, a number JSON would not write, or an error. */
cJSON *jsonpack_parse(Slab *slab, const char *text, gsize len, guint max_depth);

#endif /* RECKON_JSONPACK_H */
