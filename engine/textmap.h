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
#include <string.h>

typedef struct _TextMap TextMap;

/* A map whose values are freed with @value_free (may be NULL). */
TextMap *text_map_new(GDestroyNotify value_free);
void text_map_free(TextMap *map);

/* The hash of the @len bytes at @text that the calls below take (and the
 * reader's memo, memo_hash()): eight bytes a step, each word mixed in by
 * a multiply.  Inline: both hash a text per lookup. */
static inline guint32 text_map_hash(const char *text, gsize len)
{
  const guint64 mul = G_GUINT64_CONSTANT(0x9e3779b97f4a7c15);
  guint64 h = len * mul, word;
  for (; len >= 8; text += 8, len -= 8) {
    memcpy(&word, text, 8);
    h = (h ^ word) * mul;
    h ^= h >> 29;
  }
  word = 0;
  memcpy(&word, text, len);
  h = (h ^ word) * mul;
  h ^= h >> 32;
  return (guint32)h;
}

/* The value of the @len bytes at @text (hashed @hash), or NULL. */
gpointer text_map_lookup(const TextMap *map, const char *text, gsize len, guint32 hash);

/* Maps a copy of the @len bytes at @text, not in the map, to @value (not
 * NULL). */
void text_map_insert(TextMap *map, const char *text, gsize len, guint32 hash, gpointer value);

#endif /* RECKON_TEXTMAP_H */
