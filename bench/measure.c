/*
 * measure.c - runs a command and prints its wall time in seconds, its
 * peak resident memory in MiB and its CPU time (user + system) in seconds
 * ("SECONDS MIB CPU"), from wait4()'s rusage, so the harness needs nothing
 * beyond the C library.  CPU time is the figure to trust on a busy machine.  The command's standard
 * output goes to OUT (use /dev/null to discard it).
 *
 *   measure OUT COMMAND [ARG...]
 */
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
  if (argc < 3) {
    fprintf(stderr, "usage: measure OUT COMMAND [ARG...]\n");
    return 2;
  }
  struct timespec t0, t1;
  clock_gettime(CLOCK_MONOTONIC, &t0);
  pid_t pid = fork();
  if (pid < 0) {
    perror("measure: fork");
    return 2;
  }
  if (pid == 0) {
    int fd = open(argv[1], O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0) {
      perror("measure: output");
      _exit(127);
    }
    execvp(argv[2], argv + 2);
    perror("measure: exec");
    _exit(127);
  }
  int status;
  struct rusage ru;
  if (wait4(pid, &status, 0, &ru) < 0) {
    perror("measure: wait4");
    return 2;
  }
  clock_gettime(CLOCK_MONOTONIC, &t1);
  double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
  double cpu = (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
               (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
  printf("%.3f %.1f %.3f\n", secs, (double)ru.ru_maxrss / 1024.0, cpu);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128;
}
