/*
 * tsan_main.c — runs every test registered through the Criterion stand-in
 * (criterion/criterion.h beside this file), one after the other, in this
 * process, and prints Criterion-like results.  A failed assertion on the
 * test's own thread ends that test; on any other thread it ends the run.
 */
#include <criterion/criterion.h>

#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TESTS 256

static struct {
    const char *suite, *name;
    void (*fn)(void);
} tests[MAX_TESTS];
static int n_tests;
static jmp_buf on_fail;
static pthread_t test_thread;

void rbs_shim_register(const char *suite, const char *name, void (*fn)(void)) {
    if (n_tests == MAX_TESTS) {
        fprintf(stderr, "tsan_main: more than %d tests\n", MAX_TESTS);
        exit(2);
    }
    tests[n_tests].suite = suite;
    tests[n_tests].name = name;
    tests[n_tests].fn = fn;
    n_tests++;
}

void rbs_shim_fail(const char *file, int line, const char *expr, const char *fmt, ...) {
    fprintf(stderr, "%s:%d: Assertion failed: %s", file, line, expr);
    if (fmt[0] != '\0') {
        va_list ap;
        va_start(ap, fmt);
        fputs(": ", stderr);
        vfprintf(stderr, fmt, ap);
        va_end(ap);
    }
    fputc('\n', stderr);
    if (pthread_equal(pthread_self(), test_thread)) longjmp(on_fail, 1);
    fprintf(stderr, "tsan_main: assertion failed on a helper thread; stopping\n");
    exit(1);
}

void rbs_shim_log(const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int main(int argc, char **argv) {
    /* Optional argument: run only suites whose name starts with it. */
    const char *prefix = argc > 1 ? argv[1] : "";
    int passed = 0, failed = 0;
    test_thread = pthread_self();
    for (int i = 0; i < n_tests; i++) {
        if (strncmp(tests[i].suite, prefix, strlen(prefix)) != 0) continue;
        if (setjmp(on_fail) == 0) {
            tests[i].fn();
            printf("[PASS] %s::%s\n", tests[i].suite, tests[i].name);
            passed++;
        } else {
            printf("[FAIL] %s::%s\n", tests[i].suite, tests[i].name);
            failed++;
        }
        fflush(stdout);
    }
    printf("tsan: %d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
