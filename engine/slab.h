/*
 * slab.h - memory for many small records that live and die together
 * (slab.c): grouping (group.c, incident.c) keeps its incidents, their
 * keys, member and type lists in slabs freed at once, and the reading
 * stage (lines.c, jsonpack.c) a block's claim trees, instead of several
 * allocations per record each freed on its own.  Carving is inline: the
 * reader takes a dozen pieces per claim.
 */
#ifndef RECKON_SLAB_H
#define RECKON_SLAB_H

#include <string.h>

#include <glib.h>

/* Bytes of a block; a request above a quarter of it gets a block of its own. */
#define SLAB_BLOCK (64 * 1024)
/* Records hold pointers and 64-bit numbers at most. */
#define SLAB_ALIGN 8

typedef struct _Slab {
  GPtrArray *blocks; /* of g_malloc()ed blocks */
  char *block;       /* the ordinary block being carved, NULL before the first */
  char *next;        /* its free part */
  gsize left;
} Slab;

Slab *slab_new(void);

/* Frees the slab and everything allocated from it; NULL is a no-op. */
void slab_free(Slab *slab);

/* Frees everything allocated from @slab, keeping one block to carve anew. */
void slab_rewind(Slab *slab);

/* @size bytes at a multiple of @align from a new block (slab.c). */
char *slab_carve_block(Slab *slab, gsize size, gsize align);

/* @size bytes at a multiple of @align (a power of two, at most SLAB_ALIGN). */
static inline char *slab_carve(Slab *slab, gsize size, gsize align)
{
  gsize skip = (gsize)(-(guintptr)slab->next & (align - 1));
  if (G_UNLIKELY(size > SLAB_BLOCK / 4 || size + skip > slab->left))
    return slab_carve_block(slab, size, align);
  char *p = slab->next + skip;
  slab->next = p + size;
  slab->left -= size + skip;
  return p;
}

/* @size bytes, aligned for any record, not cleared; they live as long as
 * the slab and cannot be freed or grown alone. */
static inline gpointer slab_alloc(Slab *slab, gsize size)
{
  return slab_carve(slab, size, SLAB_ALIGN);
}

/* The same, zeroed. */
static inline gpointer slab_alloc0(Slab *slab, gsize size)
{
  return memset(slab_carve(slab, size, SLAB_ALIGN), 0, size);
}

/* A copy of @n bytes at @data. */
static inline gpointer slab_memdup(Slab *slab, gconstpointer data, gsize n)
{
  char *p = slab_carve(slab, n, SLAB_ALIGN);
  return n ? memcpy(p, data, n) : p;
}

/* A copy of @n bytes of @text followed by a nul. */
static inline char *slab_strndup(Slab *slab, const char *text, gsize n)
{
  char *s = slab_carve(slab, n + 1, 1);
  memcpy(s, text, n);
  s[n] = '\0';
  return s;
}

/* A copy of @text. */
static inline char *slab_strdup(Slab *slab, const char *text)
{
  return slab_strndup(slab, text, strlen(text));
}

#endif /* RECKON_SLAB_H */
