/*
 * slab.h - memory for many small records that live and die together:
 * grouping (group.c) keeps its incidents, their keys, member and type
 * lists in one slab per run and frees them at once, instead of several
 * allocations per incident each freed on its own.
 */
#ifndef RECKON_SLAB_H
#define RECKON_SLAB_H

#include <glib.h>

typedef struct _Slab Slab;

Slab *slab_new(void);

/* Frees the slab and everything allocated from it; NULL is a no-op. */
void slab_free(Slab *slab);

/* @size bytes, zeroed, aligned for any record; they live as long as the
 * slab and cannot be freed or grown alone. */
gpointer slab_alloc0(Slab *slab, gsize size);

/* A copy of @n bytes at @data. */
gpointer slab_memdup(Slab *slab, gconstpointer data, gsize n);

/* A copy of @text, or of @n bytes of it followed by a nul (slab_strndup()). */
char *slab_strdup(Slab *slab, const char *text);
char *slab_strndup(Slab *slab, const char *text, gsize n);

#endif /* RECKON_SLAB_H */
