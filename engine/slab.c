/*
 * slab.c - a bump allocator (see slab.h): records are carved from blocks
 * in turn, and the blocks are freed together.  A request larger than a
 * quarter of a block gets a block of its own, so little of a block is
 * left unused.
 */
#include <string.h>

#include "slab.h"

#define SLAB_BLOCK (64 * 1024)
/* Records hold pointers and 64-bit numbers at most; texts need no alignment. */
#define SLAB_ALIGN 8

struct _Slab {
  GPtrArray *blocks; /* of g_malloc()ed blocks */
  char *next;        /* the free part of the last ordinary block */
  gsize left;
};

Slab *slab_new(void)
{
  Slab *slab = g_new0(Slab, 1);
  slab->blocks = g_ptr_array_new_with_free_func(g_free);
  return slab;
}

void slab_free(Slab *slab)
{
  if (!slab)
    return;
  g_ptr_array_unref(slab->blocks);
  g_free(slab);
}

/* @size bytes at a multiple of @align (a power of two, at most SLAB_ALIGN). */
static char *carve(Slab *slab, gsize size, gsize align)
{
  if (size > SLAB_BLOCK / 4) {
    char *own = g_malloc(size);
    g_ptr_array_add(slab->blocks, own);
    return own;
  }
  gsize skip = (gsize)(-(guintptr)slab->next & (align - 1));
  if (size + skip > slab->left) {
    slab->next = g_malloc(SLAB_BLOCK); /* aligned for any type */
    slab->left = SLAB_BLOCK;
    skip = 0;
    g_ptr_array_add(slab->blocks, slab->next);
  }
  char *p = slab->next + skip;
  slab->next = p + size;
  slab->left -= size + skip;
  return p;
}

gpointer slab_alloc0(Slab *slab, gsize size)
{
  return memset(carve(slab, size, SLAB_ALIGN), 0, size);
}

gpointer slab_memdup(Slab *slab, gconstpointer data, gsize n)
{
  char *p = carve(slab, n, SLAB_ALIGN);
  return n ? memcpy(p, data, n) : p;
}

char *slab_strndup(Slab *slab, const char *text, gsize n)
{
  char *s = carve(slab, n + 1, 1);
  memcpy(s, text, n);
  s[n] = '\0';
  return s;
}

char *slab_strdup(Slab *slab, const char *text)
{
  return slab_strndup(slab, text, strlen(text));
}
