/*
 * replay.c - runs a fuzz target without libFuzzer: every file named on the
 * command line (a folder stands for the files in it) is one input, and
 * with --lines FILE each line of FILE up to its first '|' (trimmed, "#"
 * comments and blank lines skipped, surrounding double quotes removed) is
 * one input.  Every build replays the seed corpus and the crashes the
 * fuzzers found this way, under the build's sanitizers.
 *
 *   replay-TARGET [--lines FILE]... [FILE|DIR]...
 */
#include <glib.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static guint run_file(const char *path)
{
  char *text;
  gsize len;
  GError *error = NULL;
  if (!g_file_get_contents(path, &text, &len, &error))
    g_error("%s", error->message);
  LLVMFuzzerTestOneInput((const uint8_t *)text, len);
  g_free(text);
  return 1;
}

static guint run_dir(const char *dir)
{
  GDir *d = g_dir_open(dir, 0, NULL);
  guint n = 0;
  const char *name;
  while (d && (name = g_dir_read_name(d))) {
    char *path = g_build_filename(dir, name, NULL);
    if (g_file_test(path, G_FILE_TEST_IS_REGULAR))
      n += run_file(path);
    g_free(path);
  }
  if (d)
    g_dir_close(d);
  return n;
}

static guint run_lines(const char *path)
{
  char *text;
  GError *error = NULL;
  if (!g_file_get_contents(path, &text, NULL, &error))
    g_error("%s", error->message);
  char **lines = g_strsplit(text, "\n", -1);
  guint n = 0;
  for (char **l = lines; *l; l++) {
    char *bar = strchr(*l, '|');
    if (bar)
      *bar = '\0';
    char *input = g_strstrip(*l);
    gsize len = strlen(input);
    if (!len || input[0] == '#')
      continue;
    if (len >= 2 && input[0] == '"' && input[len - 1] == '"') {
      input[len - 1] = '\0';
      input++;
      len -= 2;
    }
    LLVMFuzzerTestOneInput((const uint8_t *)input, len);
    n++;
  }
  g_strfreev(lines);
  g_free(text);
  return n;
}

int main(int argc, char **argv)
{
  guint n = 0;
  for (int i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--lines") == 0 && i + 1 < argc)
      n += run_lines(argv[++i]);
    else if (g_file_test(argv[i], G_FILE_TEST_IS_DIR))
      n += run_dir(argv[i]);
    else
      n += run_file(argv[i]);
  }
  printf("%u inputs replayed\n", n);
  return n > 0 ? 0 : 1;
}
