/*
 * test-grid.c - the bayes grid's inner loops (engine/bayes-grid.c) give
 * the bits of evaluating point by point, on every path the processor
 * runs: the exponential and every shape of grid-cases.txt, each as its own
 * test, then the running product with its folds and the weights' sums.
 * Any difference would make an estimate depend on the machine.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "bayes-grid.h"
#include "testutil.h"

static const GridPath paths[] = {GRID_PATH_BEST, GRID_PATH_BASELINE, GRID_PATH_AVX2};

static void assert_same_bits(double got, double want, const char *what, GridPath path, double x)
{
  if (memcmp(&got, &want, sizeof got) != 0)
    g_test_message("%s, path %d, at %a: %a, point by point %a", what, path, x, got, want);
  g_assert_cmpmem(&got, sizeof got, &want, sizeof want);
}

static double parse_double(const char *field)
{
  char *end;
  double v = g_ascii_strtod(field, &end);
  g_assert_cmpstr(end, ==, "");
  return v;
}

static void test_exp(gconstpointer data)
{
  const Table *table = data;
  g_test_summary("The exponential gives in each vector lane the bits of the scalar one, from 0 "
                 "through -708 to -inf and nan, alone, among other values, and shifted");
  GArray *xs = g_array_new(FALSE, FALSE, sizeof(double));
  for (guint i = 0; i < table->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(table->rows, i);
    if (strcmp(row->fields[0], "exp") == 0) {
      double x = parse_double(row->fields[1]);
      g_array_append_val(xs, x);
    }
  }
  g_assert_cmpuint(xs->len, >, 20);
  for (double x = -750; x <= 0; x += 0.0917) /* a sweep over every table entry */
    g_array_append_val(xs, x);
  const double *x = (const double *)(gpointer)xs->data;
  double *out = g_new(double, xs->len);
  for (guint p = 0; p < G_N_ELEMENTS(paths); p++) {
    if (!grid_path_available(paths[p]))
      continue;
    for (guint len = 1; len <= xs->len; len = len < 9 ? len + 1 : xs->len) {
      for (double by = 0; by <= 3; by += 3) {
        grid_exp_neg_n(paths[p], x, by, len, out);
        for (guint k = 0; k < len; k++)
          assert_same_bits(out[k], grid_exp_neg(x[k] - by), "e^x", paths[p], x[k]);
      }
      if (len == xs->len)
        break;
    }
  }
  g_assert_cmpfloat(grid_exp_neg(0), ==, 1);
  g_assert_cmpfloat(grid_exp_neg(-745), ==, 0);
  g_free(out);
  g_array_free(xs, TRUE);
}

/* The formulas as bayes.c took them a point at a time, branch by branch. */
static double bell(double z)
{
  return z * z > 100 ? 0 : grid_exp_neg(-0.5 * z * z);
}

static double honest(const GridShape *s, double x)
{
  switch (s->kind) {
  case GRID_PEAK:
    if (x < s->a)
      return s->rise * bell((x - s->a) * s->inv_sd_lo);
    if (x <= s->b)
      return s->core;
    if (s->grows)
      return s->fall * bell((x - s->b) * s->inv_sd_hi) + s->fall_grow * bell((x - s->b) * s->inv_grow_sd);
    return s->fall * bell((x - s->b) * s->inv_sd_hi);
  case GRID_LOWER: {
    if (x < s->a)
      return s->rise * bell((x - s->a) * s->inv_sd_lo);
    double flat = x <= s->span_end ? s->flat : s->flat * bell((x - s->span_end) * s->inv_tail_sd);
    return s->near * bell((x - s->a) * s->inv_near_sd) + flat;
  }
  case GRID_UPPER:
  default: {
    if (x > s->a) {
      if (s->grows)
        return s->fall_outer *
               (s->fall * bell((x - s->a) * s->inv_sd_hi) + s->fall_grow * bell((x - s->a) * s->inv_grow_sd));
      return s->fall * bell((x - s->a) * s->inv_sd_hi);
    }
    double flat = x >= s->span_end ? s->flat : s->flat * bell((s->span_end - x) * s->inv_tail_sd);
    return s->core * (s->near * bell((s->a - x) * s->inv_near_sd) + flat);
  }
  }
}

static double false_claim(const GridShape *s, double x)
{
  return s->r < 1 ? (1 - s->r) * (s->sloppy_dens * bell((x - s->center) * s->inv_sloppy_sd) + s->wild) : 0;
}

static double field_or(const char *field, double otherwise)
{
  return strcmp(field, "-") == 0 ? otherwise : parse_double(field);
}

/* The shape of a case row, its factors derived as bayes.c derives them. */
static GridShape case_shape(const TableRow *row)
{
  GridShape s = {0};
  const char *kind = row->fields[2];
  s.kind = strcmp(kind, "lower") == 0 ? GRID_LOWER : strcmp(kind, "upper") == 0 ? GRID_UPPER : GRID_PEAK;
  s.a = parse_double(row->fields[3]);
  s.b = field_or(row->fields[4], s.a);
  s.span_end = field_or(row->fields[5], s.a);
  double sd_lo = parse_double(row->fields[6]), sd_hi = parse_double(row->fields[7]);
  double near_sd = field_or(row->fields[8], 0), g = parse_double(row->fields[9]);
  double grow_sd = hypot(sd_hi, 0.3);
  s.r = parse_double(row->fields[10]);
  s.inv_sd_lo = 1 / sd_lo;
  s.inv_sd_hi = 1 / sd_hi;
  s.inv_grow_sd = 1 / grow_sd;
  s.inv_near_sd = near_sd > 0 ? 1 / near_sd : 0;
  s.inv_tail_sd = 1 / 0.3;
  s.grows = g > 0;
  double dens, grow_dens;
  if (s.kind == GRID_PEAK) {
    dens = 1 / ((s.b - s.a) + (sd_lo + sd_hi) * 1.25);
    grow_dens = 1 / ((s.b - s.a) + (sd_lo + grow_sd) * 1.25);
    s.near = s.flat = 0;
  } else {
    s.near = 0.48 / near_sd;
    s.flat = 0.4 / (fabs(s.span_end - s.a) + 0.37);
    dens = s.kind == GRID_UPPER && g > 0 ? 1 / (1 + (s.near + s.flat) * sd_hi * 1.25) : 1;
    grow_dens = 1 / (1 + (s.near + s.flat) * grow_sd * 1.25);
  }
  double at = s.near + s.flat;
  s.core = g > 0 ? (1 - g) * dens + g * grow_dens : dens;
  s.rise = s.kind == GRID_PEAK ? s.core : at;
  s.fall = g > 0 ? (1 - g) * dens : s.kind == GRID_UPPER ? dens * at : dens;
  s.fall_grow = g * grow_dens;
  s.fall_outer = s.kind == GRID_UPPER ? at : 1;
  s.center = (s.a + s.b) / 2 + near_sd;
  s.inv_sloppy_sd = 1 / (0.4 + (s.b - s.a) / 2 + near_sd);
  s.sloppy_dens = 0.8 / (sqrt(2 * G_PI) * (0.4 + near_sd));
  s.wild = 0.2 / 6.9;
  return s;
}

static void add_point(GArray *xs, double x)
{
  if (x >= 0 && x <= 14) {
    double near[] = {nextafter(x, -1), x, nextafter(x, 15)};
    g_array_append_vals(xs, near, 3);
  }
}

static int compare_doubles(gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

/* The ascending grid of a case: a sweep, the shape's edges, and where
 * each of its bells reaches 10 spreads, each with its neighbours. */
static GArray *case_grid(const GridShape *s)
{
  GArray *xs = g_array_new(FALSE, FALSE, sizeof(double));
  double zero = 0, denormal = 0x1p-1074;
  g_array_append_val(xs, zero);
  g_array_append_val(xs, denormal);
  for (double x = 0.0173; x < 14; x += 0.0173)
    g_array_append_val(xs, x);
  double edges[] = {s->a, s->b, s->span_end, s->center};
  double invs[] = {s->inv_sd_lo, s->inv_sd_hi, s->inv_grow_sd, s->inv_near_sd, s->inv_tail_sd, s->inv_sloppy_sd};
  for (guint i = 0; i < G_N_ELEMENTS(edges); i++) {
    add_point(xs, edges[i]);
    for (guint j = 0; j < G_N_ELEMENTS(invs); j++) {
      if (invs[j] > 0) {
        add_point(xs, edges[i] - 10 / invs[j]);
        add_point(xs, edges[i] + 10 / invs[j]);
      }
    }
  }
  g_array_sort(xs, compare_doubles);
  guint m = 0;
  double *x = (double *)(gpointer)xs->data;
  for (guint k = 0; k < xs->len; k++)
    if (!m || x[k] > x[m - 1])
      x[m++] = x[k];
  g_array_set_size(xs, m);
  return xs;
}

static void test_density(gconstpointer data)
{
  const TableRow *row = data;
  char *summary = g_strdup_printf("The densities of a %s shape (%s) on a grid, in runs of 1 to 9 points from "
                                  "anywhere and whole, are the point-by-point formulas' bits",
                                  row->fields[2], row->fields[1]);
  g_test_summary(summary);
  g_free(summary);
  GridShape s = case_shape(row);
  GArray *xs = case_grid(&s);
  const double *x = (const double *)(gpointer)xs->data;
  guint n = xs->len;
  double *h = g_new(double, n), *f = g_new(double, n);
  guint checked = 0, nonzero = 0;
  for (guint p = 0; p < G_N_ELEMENTS(paths); p++) {
    if (!grid_path_available(paths[p]))
      continue;
    for (guint from = 0; from < n; from += from < 16 ? 1 : 7) {
      for (guint len = 1; from + len <= n; len = len < 9 ? len + 1 : n - from) {
        grid_densities(paths[p], &s, x + from, len, h, f);
        for (guint k = 0; k < len; k++) {
          assert_same_bits(h[k], s.r * honest(&s, x[from + k]), "honest", paths[p], x[from + k]);
          assert_same_bits(f[k], false_claim(&s, x[from + k]), "false", paths[p], x[from + k]);
          nonzero += h[k] != 0;
          checked++;
        }
        if (len == n - from)
          break;
      }
    }
  }
  /* The grid reaches where the shape lives and where it is 0. */
  g_assert_cmpuint(nonzero, >, 0);
  g_assert_cmpuint(nonzero, <, checked);
  g_free(h);
  g_free(f);
  g_array_free(xs, TRUE);
}

static void test_multiply_weigh(void)
{
  g_test_summary("The running product, folded into its log where it nears the ends of the double "
                 "range, its largest value, a claim's weight sums (alone and two claims at once), the "
                 "masses' division and their sum are those of a loop over the points in order");
  enum { N = 37 };
  double h[N], f[N], prod0[N], lp0[N];
  /* Products that stay in range, that cross 1e-250 or 1e250 when
   * multiplied (alone, or both), from one point to all. */
  for (guint fold = 0; fold < 4; fold++)
  for (guint p = 0; p < G_N_ELEMENTS(paths); p++) {
    if (!grid_path_available(paths[p]))
      continue;
    for (guint k = 0; k < N; k++) {
      h[k] = k % 5 == 0 ? 0 : exp(-0.37 * k);
      f[k] = k % 3 == 0 && k % 5 != 0 ? 0 : 0.02 / (k + 1); /* h + f > 0 */
      prod0[k] = 0.5 + k;
      if ((fold & 1) && k % 7 == 1)
        prod0[k] = 3e-249;
      if ((fold & 2) && k % 7 == 4)
        prod0[k] = 1e251 / h[k];
      lp0[k] = -0.25 * k;
    }
    for (guint n = 1; n <= N; n++) {
      double prod[N], lp[N], want_prod[N], want_lp[N];
      memcpy(prod, prod0, sizeof prod);
      memcpy(lp, lp0, sizeof lp);
      memcpy(want_prod, prod0, sizeof prod);
      memcpy(want_lp, lp0, sizeof lp);
      gboolean want_folded = FALSE;
      double want_top = 0, top = -1;
      for (guint k = 0; k < n; k++) {
        want_prod[k] *= h[k] + f[k] + 1e-300;
        want_top = MAX(want_top, want_prod[k]);
        if (want_prod[k] < 1e-250 || want_prod[k] > 1e250) {
          want_lp[k] += log(want_prod[k]);
          want_prod[k] = 1;
          want_folded = TRUE;
        }
      }
      g_assert_cmpint(grid_multiply(paths[p], h, f, n, prod, lp, &top), ==, want_folded);
      for (guint k = 0; k < N; k++) {
        assert_same_bits(prod[k], want_prod[k], "product", paths[p], k);
        assert_same_bits(lp[k], want_lp[k], "log product", paths[p], k);
      }
      assert_same_bits(top, want_top, "largest product", paths[p], n);
      /* Without @top the same pass, and *top untouched. */
      memcpy(prod, prod0, sizeof prod);
      memcpy(lp, lp0, sizeof lp);
      g_assert_cmpint(grid_multiply(paths[p], h, f, n, prod, lp, NULL), ==, want_folded);
      for (guint k = 0; k < N; k++)
        assert_same_bits(prod[k], want_prod[k], "product without top", paths[p], k);

      double rho, odds, want_rho = 0, want_odds = 0;
      for (guint k = 0; k < n; k++) {
        double q = lp0[k] / (h[k] + f[k] + 1e-300);
        want_rho += h[k] * q;
        want_odds += q;
      }
      grid_weigh(paths[p], lp0, h, f, n, &rho, &odds);
      assert_same_bits(rho, want_rho, "weight", paths[p], n);
      assert_same_bits(odds, want_odds, "odds", paths[p], n);
      /* Two claims at once: each its own sums, the second claim's
       * densities those of the first from another point on. */
      const double *hs[2] = {h, h + (N - n)}, *fs[2] = {f, f + (N - n)};
      double rhos[2], oddses[2], want_rho2 = 0, want_odds2 = 0;
      for (guint k = 0; k < n; k++) {
        double q = lp0[k] / (hs[1][k] + fs[1][k] + 1e-300);
        want_rho2 += hs[1][k] * q;
        want_odds2 += q;
      }
      grid_weigh_pair(paths[p], lp0, hs, fs, n, rhos, oddses);
      assert_same_bits(rhos[0], want_rho, "first weight of a pair", paths[p], n);
      assert_same_bits(oddses[0], want_odds, "first odds of a pair", paths[p], n);
      assert_same_bits(rhos[1], want_rho2, "second weight of a pair", paths[p], n);
      assert_same_bits(oddses[1], want_odds2, "second odds of a pair", paths[p], n);

      double scaled[N];
      grid_divide(paths[p], h, want_odds, n, scaled);
      for (guint k = 0; k < n; k++)
        assert_same_bits(scaled[k], h[k] / want_odds, "quotient", paths[p], k);
      double sum = -1, want_sum = 0;
      memset(scaled, 0, sizeof scaled);
      for (guint k = 0; k < n; k++)
        want_sum += h[k] / want_odds;
      sum = grid_divide_sum(paths[p], h, want_odds, n, scaled);
      for (guint k = 0; k < N; k++)
        assert_same_bits(scaled[k], k < n ? h[k] / want_odds : 0, "quotient summed", paths[p], k);
      assert_same_bits(sum, want_sum, "sum of quotients", paths[p], n);
    }
  }
}

static void test_sort(void)
{
  g_test_summary("Edge points in ascending runs of one to seven (a claim's each), in any number, come out "
                 "sorted; supports come out by their low ends with their high ends alongside");
  GRand *rand = g_rand_new_with_seed(7);
  guint sizes[] = {0, 1, 2, 7, 8, 9, 15, 16, 17, 33, 64, 65, 100, 300, 1792};
  for (guint t = 0; t < G_N_ELEMENTS(sizes); t++) {
    guint n = sizes[t];
    double *x = g_new(double, n + 1), *tmp = g_new(double, n + 1), *want = g_new(double, n + 1);
    for (guint i = 0; i < n;) {
      double at = g_rand_double_range(rand, 0.1, 20);
      for (guint run = g_rand_int_range(rand, 1, 8); run > 0 && i < n; run--, i++)
        x[i] = at += g_rand_int_range(rand, 0, 3) * 0.25; /* ties too */
    }
    memcpy(want, x, n * sizeof *x);
    qsort(want, n, sizeof *want, compare_doubles);
    const double *got = grid_sort_points(x, tmp, n);
    for (guint i = 0; i < n; i++)
      assert_same_bits(got[i], want[i], "sorted point", GRID_PATH_BEST, i);

    double *lo = x, *hi = tmp;
    for (guint i = 0; i < n; i++) {
      lo[i] = g_rand_int_range(rand, 0, 50) * 0.5;
      hi[i] = lo[i] + 1 + i; /* tells each pair apart */
    }
    grid_sort_supports(lo, hi, n);
    for (guint i = 0; i < n; i++) {
      g_assert_cmpfloat(hi[i] - lo[i] - 1, >=, 0);
      if (i)
        g_assert_cmpfloat(lo[i - 1], <=, lo[i]);
      want[i] = hi[i] - lo[i];
    }
    qsort(want, n, sizeof *want, compare_doubles);
    for (guint i = 0; i < n; i++) /* every pair once */
      g_assert_cmpfloat(want[i], ==, 1 + i);
    g_free(x);
    g_free(tmp);
    g_free(want);
  }
  g_rand_free(rand);
}

int main(int argc, char **argv)
{
  g_test_init(&argc, &argv, NULL);
  Table *table = test_load_table("grid-cases.txt");
  g_test_add_data_func("/grid/exp", table, test_exp);
  for (guint i = 0; i < table->rows->len; i++) {
    const TableRow *row = g_ptr_array_index(table->rows, i);
    if (strcmp(row->fields[0], "density") != 0)
      continue;
    g_assert_cmpuint(row->n_fields, ==, 11);
    char *path = g_strdup_printf("/grid/densities/%s", row->fields[1]);
    g_test_add_data_func(path, row, test_density);
    g_free(path);
  }
  g_test_add_func("/grid/multiply-weigh", test_multiply_weigh);
  g_test_add_func("/grid/sort", test_sort);
  if (!grid_path_available(GRID_PATH_AVX2))
    g_test_message("this processor has no AVX2: only the baseline path is checked");
  int status = g_test_run();
  table_free(table);
  return status;
}
