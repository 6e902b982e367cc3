/*
 * A tiny stand-in for <criterion/criterion.h>, used only by the
 * ThreadSanitizer build of the concurrent suites (the tests/c files named *_concurrent.c).
 *
 * Why: Criterion 2.4 cannot start under TSan -- its boxfort arena cannot be
 * mapped where TSan's shadow memory lives ("Could not initialize inheritable
 * arena", Criterion issue #274, open).  The concurrent tests are plain C with
 * cr_assert* calls, so this header gives them the same macros and a runner
 * (tsan_main.c) that runs every registered test in-process.
 *
 * Supported: Test(suite, name, ...), TestSuite(name, ...), cr_assert,
 * cr_assert_{eq,neq,lt,leq,gt,geq,null,not_null,arr_eq,str_eq,str_neq},
 * cr_expect* (same as cr_assert here), cr_fail, cr_log_info/warn.
 */
#ifndef RBS_TSAN_SHIM_CRITERION_H
#define RBS_TSAN_SHIM_CRITERION_H

#include <stddef.h>
#include <string.h>

void rbs_shim_register(const char *suite, const char *name, void (*fn)(void));
void rbs_shim_fail(const char *file, int line, const char *expr, const char *fmt, ...)
    __attribute__((noreturn, format(printf, 4, 5)));
void rbs_shim_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define RBS_SHIM_CAT2(a, b) a##b
#define RBS_SHIM_CAT(a, b)  RBS_SHIM_CAT2(a, b)

#define Test(suite, name, ...)                                                                     \
    static void RBS_SHIM_CAT(rbs_shim_fn_, RBS_SHIM_CAT(suite, RBS_SHIM_CAT(_, name)))(void);      \
    __attribute__((constructor)) static void RBS_SHIM_CAT(                                         \
        rbs_shim_reg_, RBS_SHIM_CAT(suite, RBS_SHIM_CAT(_, name)))(void) {                         \
        rbs_shim_register(#suite, #name,                                                           \
                          RBS_SHIM_CAT(rbs_shim_fn_, RBS_SHIM_CAT(suite, RBS_SHIM_CAT(_, name)))); \
    }                                                                                              \
    static void RBS_SHIM_CAT(rbs_shim_fn_, RBS_SHIM_CAT(suite, RBS_SHIM_CAT(_, name)))(void)

#define TestSuite(name, ...) extern int RBS_SHIM_CAT(rbs_shim_suite_, name)

#define RBS_SHIM_CHECK(cond, text, ...)                                                            \
    do {                                                                                           \
        if (!(cond)) rbs_shim_fail(__FILE__, __LINE__, text, "" __VA_ARGS__);                      \
    } while (0)

#define cr_assert(cond, ...)       RBS_SHIM_CHECK((cond), #cond, __VA_ARGS__)
#define cr_assert_eq(a, b, ...)    RBS_SHIM_CHECK((a) == (b), #a " == " #b, __VA_ARGS__)
#define cr_assert_neq(a, b, ...)   RBS_SHIM_CHECK((a) != (b), #a " != " #b, __VA_ARGS__)
#define cr_assert_lt(a, b, ...)    RBS_SHIM_CHECK((a) < (b), #a " < " #b, __VA_ARGS__)
#define cr_assert_leq(a, b, ...)   RBS_SHIM_CHECK((a) <= (b), #a " <= " #b, __VA_ARGS__)
#define cr_assert_gt(a, b, ...)    RBS_SHIM_CHECK((a) > (b), #a " > " #b, __VA_ARGS__)
#define cr_assert_geq(a, b, ...)   RBS_SHIM_CHECK((a) >= (b), #a " >= " #b, __VA_ARGS__)
#define cr_assert_null(p, ...)     RBS_SHIM_CHECK((p) == NULL, #p " == NULL", __VA_ARGS__)
#define cr_assert_not_null(p, ...) RBS_SHIM_CHECK((p) != NULL, #p " != NULL", __VA_ARGS__)
#define cr_assert_arr_eq(a, b, n, ...)                                                             \
    RBS_SHIM_CHECK(memcmp((a), (b), (n)) == 0, "arrays " #a " and " #b " equal", __VA_ARGS__)
#define cr_assert_str_eq(a, b, ...) RBS_SHIM_CHECK(strcmp((a), (b)) == 0, #a " eq " #b, __VA_ARGS__)
#define cr_assert_str_neq(a, b, ...)                                                               \
    RBS_SHIM_CHECK(strcmp((a), (b)) != 0, #a " neq " #b, __VA_ARGS__)
#define cr_assert_fail(...) rbs_shim_fail(__FILE__, __LINE__, "cr_assert_fail", "" __VA_ARGS__)
#define cr_fail(...)        rbs_shim_fail(__FILE__, __LINE__, "cr_fail", "" __VA_ARGS__)

#define cr_expect          cr_assert
#define cr_expect_eq       cr_assert_eq
#define cr_expect_neq      cr_assert_neq
#define cr_expect_lt       cr_assert_lt
#define cr_expect_leq      cr_assert_leq
#define cr_expect_gt       cr_assert_gt
#define cr_expect_geq      cr_assert_geq
#define cr_expect_null     cr_assert_null
#define cr_expect_not_null cr_assert_not_null
#define cr_expect_arr_eq   cr_assert_arr_eq

#define cr_log_info(...) rbs_shim_log(__VA_ARGS__)
#define cr_log_warn(...) rbs_shim_log(__VA_ARGS__)

#endif
