/*
 * slab.c - a bump allocator (see slab.h): records are carved from blocks
 * in turn, and the blocks are freed together.  A request larger than a
 * quarter of a block gets a block of its own, so little of a block is
 * left unused.
 */
#include "slab.h"

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

void slab_rewind(Slab *slab)
{
  for (guint i = 0; i < slab->blocks->len; i++)
    if (slab->blocks->pdata[i] != slab->block)
      g_free(slab->blocks->pdata[i]);
  g_ptr_array_set_free_func(slab->blocks, NULL);
  g_ptr_array_set_size(slab->blocks, 0);
  g_ptr_array_set_free_func(slab->blocks, g_free);
  if (slab->block)
    g_ptr_array_add(slab->blocks, slab->block);
  slab->next = slab->block;
  slab->left = slab->block ? SLAB_BLOCK : 0;
}

char *slab_carve_block(Slab *slab, gsize size, gsize align)
{
  if (size > SLAB_BLOCK / 4) {
    char *own = g_malloc(size);
    g_ptr_array_add(slab->blocks, own);
    return own;
  }
  slab->block = slab->next = g_malloc(SLAB_BLOCK); /* aligned for any type */
  slab->left = SLAB_BLOCK;
  g_ptr_array_add(slab->blocks, slab->block);
  return slab_carve(slab, size, align);
}
