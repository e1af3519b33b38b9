/*
 * textmap.h - a map from texts to pointers for the lookups place reading
 * repeats most (place.c: the gazetteer's indexes by folded text and
 * spelling key, and the runs of words, first words and unknown names its
 * memo keeps): the caller hashes the text once (text_map_hash()) and a
 * lookup compares hash and length before any byte.  The texts are copied
 * into the map's slab and freed with it at once.
 */
#ifndef RECKON_TEXTMAP_H
#define RECKON_TEXTMAP_H

#include <glib.h>

typedef struct _TextMap TextMap;

/* A map whose values are freed with @value_free (may be NULL). */
TextMap *text_map_new(GDestroyNotify value_free);
void text_map_free(TextMap *map);

/* The hash of the @len bytes at @text that the calls below take. */
guint32 text_map_hash(const char *text, gsize len);

/* The value of the @len bytes at @text (hashed @hash), or NULL. */
gpointer text_map_lookup(const TextMap *map, const char *text, gsize len, guint32 hash);

/* Maps a copy of the @len bytes at @text, not in the map, to @value (not
 * NULL). */
void text_map_insert(TextMap *map, const char *text, gsize len, guint32 hash, gpointer value);

#endif /* RECKON_TEXTMAP_H */
