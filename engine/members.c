/*
 * members.c - the last step of a run (engine.c, after bounds.c): every
 * estimate's public member records (ReckonMember), filled in one block
 * once estimation is done.  Until then the stages read what a record
 * would hold elsewhere: a member's range through its claim, its role from
 * its info (estimate_member_role()), its flags from the estimate's marks,
 * its weight from its info's rho, and its origin from info[].origin.  So
 * the records (96 bytes a member, 96 MB at 1e6 claims) are not held while
 * the learning rounds run, and take the place of what learning frees.
 */
#include <malloc.h>
#include <string.h>

#include "engine-private.h"
#include "parallel.h"

/* Member @i's record, its origin named @origin. */
static ReckonMember record(const ReckonEstimate *e, guint i, const char *origin)
{
  const Claim *c = e->claims[i];
  const MemberInfo *m = &e->info[i];
  /* A member counts unless it repeats or was replaced by its own origin;
   * the bayes method weighs it by how likely it is honest. */
  gboolean counts = m->echo_of < 0 && m->revised_by < 0;
  return (ReckonMember){
      .id = c->id,
      .source = c->source->text,
      .value = c->value->text,
      .range = c->value->range,
      .role = estimate_member_role(e, i),
      .flags = e->marks[i],
      .file = c->file,
      .line = c->line,
      .weight = !counts ? 0 : e->method == RECKON_METHOD_BAYES ? m->rho : 1,
      .origin = origin,
  };
}

ReckonMember members_record(const ReckonEstimate *e, guint i)
{
  g_return_val_if_fail(i < e->n_members, (ReckonMember){0});
  /* Origins are numbered in member order from their earliest member
   * (roles.c), whose source names the origin. */
  guint root = 0;
  while (e->info[root].origin != e->info[i].origin)
    root++;
  return record(e, i, e->claims[root]->source->name);
}

/* Origins of up to this many members are named from the stack. */
#define STACK_ORIGINS 64

/* Fills the members of estimates [from, to) of @data (the engine). */
static void fill_block(guint from, guint to, gpointer worker, gpointer data)
{
  (void)worker;
  ReckonEngine *engine = data;
  for (guint k = from; k < to; k++) {
    ReckonEstimate *e = &g_array_index(engine->estimates, ReckonEstimate, k);
    e->members = engine->members + (e->info - engine->infos);
    const char *stack[STACK_ORIGINS];
    const char **names = e->n_origins <= STACK_ORIGINS ? stack : g_new(const char *, e->n_origins);
    guint seen = 0;
    for (guint i = 0; i < e->n_members; i++) {
      guint o = (guint)e->info[i].origin;
      if (o == seen)
        names[seen++] = e->claims[i]->source->name;
      e->members[i] = record(e, i, names[o]);
    }
    if (names != stack)
      g_free(names);
  }
}

/* Estimates filled at a time by a thread. */
#define FILL_BLOCK 1024
/* Below this many members the memory that estimation freed is not worth
 * handing back first (a window of --stream, a small run). */
#define TRIM_MIN (1u << 16)

void members_fill(ReckonEngine *engine)
{
  guint n = engine->estimates->len;
  gsize n_members = 0;
  for (guint k = 0; k < n; k++)
    n_members += g_array_index(engine->estimates, ReckonEstimate, k).n_members;
#ifdef __GLIBC__
  /* The learner's arrays and the seeds were freed in the middle of the
   * heap, where they stay resident; the block is a fresh mapping, so it
   * would add to them instead of taking their place. */
  if (n_members >= TRIM_MIN)
    malloc_trim(0);
#endif
  g_free(engine->members);
  engine->members = g_new(ReckonMember, MAX(n_members, 1));
  guint n_threads = parallel_threads_for(&engine->opts, n, FILL_BLOCK);
  parallel_run(n, parallel_block(n, n_threads, FILL_BLOCK), n_threads, NULL, fill_block, engine);
}
