/*
 * members.c - the members' public records (ReckonMember), made from what
 * the stages keep elsewhere: a member's claim (its id, source, value,
 * range, file and line), its role from its info (estimate_member_role()),
 * its flags from the estimate's marks, its weight from its info's rho and
 * its origin from info[].origin.  No stage needs the records: the writer
 * prints each estimate's from a scratch block (members_view()), and an
 * estimate makes and keeps its own only when the library is asked for a
 * member (reckon_estimate_member(), explain).  So a batch run never holds
 * them all (96 bytes a member, 96 MB at 1e6 claims): not while learning,
 * and not at the end of the run on top of everything else.
 */
#include <string.h>

#include "engine-private.h"

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

/* Writes @e's records to @out, in one pass: origins are numbered in member
 * order, so each is named when its earliest member comes. */
static void fill(const ReckonEstimate *e, ReckonMember *out)
{
  const char *stack[STACK_ORIGINS];
  const char **names = e->n_origins <= STACK_ORIGINS ? stack : g_new(const char *, e->n_origins);
  guint seen = 0;
  for (guint i = 0; i < e->n_members; i++) {
    guint o = (guint)e->info[i].origin;
    if (o == seen)
      names[seen++] = e->claims[i]->source->name;
    out[i] = record(e, i, names[o]);
  }
  if (names != stack)
    g_free(names);
}

const ReckonMember *members_get(const ReckonEstimate *e)
{
  ReckonEstimate *me = (ReckonEstimate *)e; /* the records are a cache of what e holds */
  ReckonMember *members = g_atomic_pointer_get(&me->members);
  if (members)
    return members;
  members = g_new(ReckonMember, MAX(e->n_members, 1));
  fill(e, members);
  if (!g_atomic_pointer_compare_and_exchange(&me->members, NULL, members)) {
    g_free(members); /* another thread made them first */
    members = g_atomic_pointer_get(&me->members);
  }
  return members;
}

const ReckonMember *members_view(const ReckonEstimate *e, ReckonMember *scratch, guint n_scratch,
                                 ReckonMember **held)
{
  *held = NULL;
  const ReckonMember *made = g_atomic_pointer_get(&e->members);
  if (made)
    return made;
  ReckonMember *out = e->n_members <= n_scratch ? scratch : (*held = g_new(ReckonMember, e->n_members));
  fill(e, out);
  return out;
}
