/*
 * main.c — the native benchmark: this project's byte ring against ck_ring and
 * jack_ringbuffer on two pinned threads, in rounds.
 *
 * Each round first measures the cache-line round trip between the two cores
 * (the floor; this machine's cores are sometimes ~140 ns and sometimes
 * ~600 ns apart) and prints it beside the round, then runs every workload
 * with every ring, the rings in a rotating order, so each ratio compares runs
 * made back to back.  A warm-up round (which also compares every byte of
 * every chunk) sizes each run to about --seconds.  The results go to a
 * JSON fragment that bench/report.mjs merges with the other suites.
 *
 *   native_bench [--quick] [--rounds N] [--seconds S] [--budget S] [--json PATH]
 *                [--inject-fault] [--solo N] [--workload NAME] [--impl NAME]
 *
 * --budget S: start no new round after S seconds (but run at least 5 rounds);
 *   each run is also re-sized after every round to last about --seconds.
 * --quick: one round of small fixed runs, every byte compared (the smoke test).
 * --inject-fault: the consumers expect the wrong sequence, so every check
 *   must fail; proves the checks can fail.
 * --solo N: instead, one thread puts and gets N items through each ring per
 *   stream workload: the calls' own cost, no second core (run it under
 *   `valgrind --tool=callgrind` to count instructions per item).
 * --workload NAME: with --solo, only that workload (e.g. "4-byte items").
 * --impl NAME: with --solo, only that ring (rbs, ck_ring or jack), so that a
 *   callgrind run counts one ring's instructions (bench/native/instructions.mjs).
 * Exits 1 if any consumed item was not what was sent, 2 if a ring failed.
 */
#include "bench.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#ifndef BENCH_CFLAGS
#define BENCH_CFLAGS "?"
#endif
#ifdef __clang__
#define BENCH_COMPILER "clang " __clang_version__
#else
#define BENCH_COMPILER "gcc " __VERSION__
#endif

#define MAX_ROUNDS        64
#define MIN_ROUNDS        5 /* --budget never cuts a run below this many rounds */
#define N_IMPLS           3
#define SKETCH_CLAIM_MOPS 12.0 /* the seed sketch's claim, native ops/s in millions */

enum kind { STREAM, PINGPONG };

struct workload {
    const char *name;
    enum kind kind;
    size_t item_bytes;
    const char *unit;
    int higher_is_better;
    const char *target_against; /* a ring's name, or "best" (the best peer) */
    const char *target_op;      /* ">=" or "<=" on rbs_value / other_value */
    double target_ratio;
    uint64_t warmup_count; /* items in the warm-up run; also the quick run's */
};

static const struct workload workloads[] = {
    {"1-byte items", STREAM, 1, "M items/s", 1, "ck_ring", ">=", 2.0, 400000},
    {"4-byte items", STREAM, 4, "M items/s", 1, "ck_ring", ">=", 2.0, 400000},
    {"64-byte chunks", STREAM, ITEM_CHUNK_SMALL, "MB/s", 1, "best", ">=", 1.0, 200000},
    {"4 KiB chunks", STREAM, ITEM_CHUNK_LARGE, "MB/s", 1, "best", ">=", 1.0, 10000},
    {"round trip", PINGPONG, PINGPONG_ITEM, "ns", 0, "cache-line", "<=", 1.2, 20000},
};
#define N_WORKLOADS        (sizeof workloads / sizeof workloads[0])
#define FLOOR_WARMUP_COUNT 20000

static const struct bench_impl *const impls[N_IMPLS] = {&bench_rbs, &bench_ck, &bench_jack};

/* samples[w][i][round]; floor[round] */
static double samples[N_WORKLOADS][N_IMPLS][MAX_ROUNDS];
static double floor_ns[MAX_ROUNDS];
static double two_line_ns[MAX_ROUNDS]; /* the floor with data and counter on two lines */
static uint64_t counts[N_WORKLOADS][N_IMPLS];
static uint64_t floor_count;
static uint64_t total_checked, total_errors;
static const char *only_workload; /* --workload: --solo runs just this one */
static const char *only_impl;     /* --impl: --solo runs just this ring */

static int skipped(size_t w) {
    return only_workload && strcmp(workloads[w].name, only_workload) != 0;
}

static double value_of(const struct workload *w, uint64_t count, double seconds) {
    if (w->kind == PINGPONG) return seconds / (double)count * 1e9;
    if (w->item_bytes <= 4) return (double)count / seconds / 1e6;
    return (double)count * (double)w->item_bytes / seconds / 1e6;
}

/* Run count so that a run lasts about `seconds` at the measured speed. */
static uint64_t sized(uint64_t count, double took, double seconds) {
    double c = (double)count * seconds / (took > 1e-6 ? took : 1e-6);
    return c < 1000 ? 1000 : (uint64_t)c;
}

static void account(const char *what, const char *impl, const struct run_result *r) {
    total_checked += r->checked;
    total_errors += r->errors;
    if (r->errors)
        fprintf(stderr, "bench: CHECK FAILED: %s / %s: %llu of %llu items were not what was sent\n",
                what, impl, (unsigned long long)r->errors, (unsigned long long)r->checked);
}

/* The cache-line floor (two_lines = 0) or the two-line floor, in ns. */
static double run_floor(int two_lines, uint64_t count, const struct run_opts *base, double *took) {
    struct run_opts o = *base;
    o.count = count;
    struct run_result r;
    if ((two_lines ? bench_two_line_floor(&o, &r) : bench_floor(&o, &r)) != 0) exit(2);
    account(two_lines ? "two-line round trip" : "cache-line round trip", "floor", &r);
    *took = r.seconds;
    return r.seconds / (double)count * 1e9;
}

static double run_one(size_t w, size_t i, uint64_t count, const struct run_opts *base,
                      double *took) {
    const struct workload *wl = &workloads[w];
    struct run_opts o = *base;
    o.count = count;
    struct run_result r;
    int rc = wl->kind == PINGPONG ? impls[i]->pingpong(&o, &r)
                                  : impls[i]->stream(wl->item_bytes, &o, &r);
    if (rc != 0) {
        fprintf(stderr, "bench: %s / %s could not run\n", wl->name, impls[i]->name);
        exit(2);
    }
    account(wl->name, impls[i]->name, &r);
    *took = r.seconds;
    return value_of(wl, count, r.seconds);
}

static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(const double *v, int n) {
    double s[MAX_ROUNDS];
    memcpy(s, v, (size_t)n * sizeof *v);
    qsort(s, (size_t)n, sizeof *s, cmp_double);
    return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static void min_max(const double *v, int n, double *lo, double *hi) {
    *lo = *hi = v[0];
    for (int k = 1; k < n; k++) {
        if (v[k] < *lo) *lo = v[k];
        if (v[k] > *hi) *hi = v[k];
    }
}

/* rbs's speed over the other's in one round (> 1: rbs is faster). */
static double speedup(const struct workload *wl, double rbs, double other) {
    return wl->higher_is_better ? rbs / other : other / rbs;
}

static void print_round(int round, size_t w) {
    const struct workload *wl = &workloads[w];
    printf("  %-15s", wl->name);
    for (size_t i = 0; i < N_IMPLS; i++)
        printf("  %s %9.1f", impls[i]->name, samples[w][i][round]);
    printf("  %s", wl->unit);
    for (size_t i = 1; i < N_IMPLS; i++)
        printf("  rbs/%s %.2fx", impls[i]->name,
               speedup(wl, samples[w][0][round], samples[w][i][round]));
    if (wl->kind == PINGPONG)
        printf("  rbs/floor %.2f  rbs/two-line %.2f", samples[w][0][round] / floor_ns[round],
               samples[w][0][round] / two_line_ns[round]);
    printf("\n");
    fflush(stdout);
}

static void print_machine(void) {
    char line[256], model[256] = "unknown CPU";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        while (fgets(line, sizeof line, f)) {
            char *colon = strchr(line, ':');
            if (strncmp(line, "model name", 10) == 0 && colon) {
                snprintf(model, sizeof model, "%s", colon + 2);
                model[strcspn(model, "\n")] = 0;
                break;
            }
        }
        fclose(f);
    }
    printf("native bench: %s; compiler %s %s; threads %s\n", model, BENCH_COMPILER, BENCH_CFLAGS,
           bench_pinned() ? "pinned to cores 0 and 1" : "NOT pinned (affinity not allowed)");
}

static void json_str(FILE *f, const char *s) {
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"' || *s == '\\') fputc('\\', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

static void json_row(FILE *f, const char *workload, const char *impl, const char *unit,
                     const double *v, int n, int last) {
    double lo, hi;
    min_max(v, n, &lo, &hi);
    fprintf(f, "    {\"suite\": \"native\", \"workload\": ");
    json_str(f, workload);
    fprintf(f, ", \"impl\": ");
    json_str(f, impl);
    fprintf(f, ", \"value\": %.4g, \"unit\": ", median(v, n));
    json_str(f, unit);
    fprintf(f, ", \"min\": %.4g, \"max\": %.4g, \"samples\": [", lo, hi);
    for (int k = 0; k < n; k++)
        fprintf(f, "%s%.4g", k ? ", " : "", v[k]);
    fprintf(f, "]}%s\n", last ? "" : ",");
}

static int write_json(const char *path, int rounds, int quick, double seconds) {
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    char when[64];
    time_t now = time(NULL);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", gmtime(&now));
    fprintf(f, "{\n  \"suite\": \"native\",\n");
    fprintf(f, "  \"title\": \"Native C, two threads%s\",\n",
            bench_pinned() ? " pinned to cores 0 and 1" : " (not pinned)");
    fprintf(f, "  \"generated\": \"%s\",\n", when);
    fprintf(f, "  \"environment\": {\"compiler\": ");
    json_str(f, BENCH_COMPILER);
    fprintf(f, ", \"flags\": ");
    json_str(f, BENCH_CFLAGS);
    fprintf(f, ", \"pinned\": %s, \"rounds\": %d, \"seconds_per_run\": %.2f, \"quick\": %s},\n",
            bench_pinned() ? "true" : "false", rounds, seconds, quick ? "true" : "false");
    fprintf(f, "  \"packages\": [\"libck-dev\", \"libjack-jackd2-dev\"],\n");
    fprintf(f, "  \"reference_impls\": [\"cache-line\", \"two-line\"],\n");
    fprintf(f, "  \"checks\": {\"items_checked\": %llu, \"errors\": %llu},\n",
            (unsigned long long)total_checked, (unsigned long long)total_errors);
    fprintf(f, "  \"workloads\": [\n");
    for (size_t w = 0; w < N_WORKLOADS; w++) {
        const struct workload *wl = &workloads[w];
        fprintf(f, "    {\"workload\": ");
        json_str(f, wl->name);
        fprintf(f, ", \"unit\": ");
        json_str(f, wl->unit);
        fprintf(f, ", \"better\": \"%s\", \"target\": {\"against\": ",
                wl->higher_is_better ? "higher" : "lower");
        json_str(f, wl->target_against);
        fprintf(f, ", \"op\": \"%s\", \"ratio\": %.2f}}%s\n", wl->target_op, wl->target_ratio,
                w + 1 < N_WORKLOADS ? "," : "");
    }
    fprintf(f, "  ],\n  \"references\": [\n");
    fprintf(f,
            "    {\"label\": \"sketch claim: 12 M ops/s native\", \"workload\": \"1-byte items\", "
            "\"value\": %.1f, \"unit\": \"M items/s\"}\n  ],\n",
            SKETCH_CLAIM_MOPS);
    fprintf(f, "  \"notes\": [\n");
    static const char *const notes[] = {
        "How each ring moves the bytes: rbs through its public calls in librbs.a "
        "(rbs_write/rbs_read "
        "for 1-byte items, rbs_write_all/rbs_read_all for the rest); ck_ring through its inline "
        "SPSC functions, 1- and 4-byte items as the value in a pointer slot, chunks in typed rings "
        "(CK_RING_PROTOTYPE) whose slots are the chunks; jack_ringbuffer_write/read from libjack, "
        "one call per item unless it accepts part of one.",
        "Ring sizes: 8192 items for the item workloads, 64 KiB of data for the chunks, 1024 4-byte "
        "items each way for the round trip. Each ring's data starts on a page boundary (rbs: its "
        "header just before it; jack allocates its own).",
        "Waiting: in the throughput workloads a thread that finds its ring full or empty pauses "
        "(x86 pause) before trying again; the round trip and the floors spin flat out.",
        "Every consumed item is checked: its sequence number (1 and 4 bytes: the whole item; "
        "chunks: "
        "the first and last 8 bytes), and every byte of every chunk in the warm-up round (in a "
        "quick run, in its one round).",
        "cache-line: two threads pass one cache line back and forth (the floor of any round trip); "
        "two-line: the same with the data and the counter that publishes it on separate lines, "
        "as in every ring here. Both are measured at the start of each round."};
    for (size_t k = 0; k < sizeof notes / sizeof notes[0]; k++) {
        fprintf(f, "    ");
        json_str(f, notes[k]);
        fprintf(f, "%s\n", k + 1 < sizeof notes / sizeof notes[0] ? "," : "");
    }
    fprintf(f, "  ],\n");
    fprintf(f, "  \"rows\": [\n");
    for (size_t w = 0; w < N_WORKLOADS; w++) {
        for (size_t i = 0; i < N_IMPLS; i++)
            json_row(f, workloads[w].name, impls[i]->name, workloads[w].unit, samples[w][i], rounds,
                     0);
    }
    json_row(f, "round trip", "cache-line", "ns", floor_ns, rounds, 0);
    json_row(f, "round trip", "two-line", "ns", two_line_ns, rounds, 1);
    fprintf(f, "  ]\n}\n");
    return fclose(f);
}

static void print_summary(int rounds) {
    printf(
        "\nsummary: median [min .. max] over %d rounds; ratios are medians of per-round ratios\n",
        rounds);
    for (size_t w = 0; w < N_WORKLOADS; w++) {
        const struct workload *wl = &workloads[w];
        printf("  %-15s", wl->name);
        for (size_t i = 0; i < N_IMPLS; i++) {
            double lo, hi;
            min_max(samples[w][i], rounds, &lo, &hi);
            printf("  %s %.1f [%.1f .. %.1f]", impls[i]->name, median(samples[w][i], rounds), lo,
                   hi);
        }
        printf(" %s\n", wl->unit);
        double ratio[MAX_ROUNDS];
        for (size_t i = 1; i < N_IMPLS; i++) {
            for (int k = 0; k < rounds; k++)
                ratio[k] = speedup(wl, samples[w][0][k], samples[w][i][k]);
            printf("  %15s  rbs is %.2fx as fast as %s\n", "", median(ratio, rounds),
                   impls[i]->name);
        }
        if (wl->kind == PINGPONG) {
            for (int k = 0; k < rounds; k++)
                ratio[k] = samples[w][0][k] / floor_ns[k];
            double lo, hi;
            min_max(floor_ns, rounds, &lo, &hi);
            printf("  %15s  cache-line floor %.1f ns [%.1f .. %.1f]; rbs round trip = %.2fx the "
                   "floor (target <= 1.2x)\n",
                   "", median(floor_ns, rounds), lo, hi, median(ratio, rounds));
            for (int k = 0; k < rounds; k++)
                ratio[k] = samples[w][0][k] / two_line_ns[k];
            min_max(two_line_ns, rounds, &lo, &hi);
            printf("  %15s  two-line floor (data and counter on separate lines) %.1f ns "
                   "[%.1f .. %.1f]; rbs = %.2fx it\n",
                   "", median(two_line_ns, rounds), lo, hi, median(ratio, rounds));
        }
    }
    printf("  reference: sketch claim: %.0f M ops/s native; rbs 1-byte items: %.1f M items/s\n",
           SKETCH_CLAIM_MOPS, median(samples[0][0], rounds));
}

/* --solo: the calls' own cost on one core, per stream workload and ring. */
static int run_solo(uint64_t count, const struct run_opts *base) {
    struct run_opts o = *base;
    o.count = count;
    o.verify_all_bytes = 1;
    for (size_t w = 0; w < N_WORKLOADS; w++) {
        if (workloads[w].kind != STREAM || skipped(w)) continue;
        printf("  solo %-15s", workloads[w].name);
        for (size_t i = 0; i < N_IMPLS; i++) {
            if (only_impl && strcmp(impls[i]->name, only_impl) != 0) continue;
            struct run_result r;
            if (impls[i]->solo(workloads[w].item_bytes, &o, &r) != 0) exit(2);
            account(workloads[w].name, impls[i]->name, &r);
            printf("  %s %7.2f ns/item", impls[i]->name, r.seconds / (double)count * 1e9);
        }
        printf("\n");
    }
    return total_errors ? 1 : 0;
}

int main(int argc, char **argv) {
    int quick = 0, rounds = 7;
    double budget = 1e9;
    uint64_t solo_count = 0;
    double seconds = 0.25;
    const char *json = NULL;
    struct run_opts base = {.count = 0, .first = 0, .verify_all_bytes = 0};
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--quick") == 0)
            quick = 1;
        else if (strcmp(argv[a], "--inject-fault") == 0)
            base.first = 1;
        else if (strcmp(argv[a], "--rounds") == 0 && a + 1 < argc)
            rounds = atoi(argv[++a]);
        else if (strcmp(argv[a], "--seconds") == 0 && a + 1 < argc)
            seconds = atof(argv[++a]);
        else if (strcmp(argv[a], "--budget") == 0 && a + 1 < argc)
            budget = atof(argv[++a]);
        else if (strcmp(argv[a], "--json") == 0 && a + 1 < argc)
            json = argv[++a];
        else if (strcmp(argv[a], "--solo") == 0 && a + 1 < argc)
            solo_count = strtoull(argv[++a], NULL, 10);
        else if (strcmp(argv[a], "--workload") == 0 && a + 1 < argc)
            only_workload = argv[++a];
        else if (strcmp(argv[a], "--impl") == 0 && a + 1 < argc)
            only_impl = argv[++a];
        else {
            fprintf(stderr,
                    "usage: %s [--quick] [--rounds N] [--seconds S] [--budget S] [--json PATH] "
                    "[--inject-fault] [--solo N] [--workload NAME] [--impl NAME]\n",
                    argv[0]);
            return 2;
        }
    }
    if (quick) rounds = 1;
    if (rounds < 1 || rounds > MAX_ROUNDS || !(seconds > 0)) {
        fprintf(stderr, "bench: --rounds must be 1..%d and --seconds > 0\n", MAX_ROUNDS);
        return 2;
    }
    const double started = bench_now();
    bench_pattern_init();
    if (bench_pin(0) != 0) fprintf(stderr, "bench: cannot pin threads; running unpinned\n");
    print_machine();
    if (solo_count) return run_solo(solo_count, &base);

    /* Warm-up: every ring once, every byte compared; it sizes the runs. */
    double took;
    struct run_opts warm = base;
    warm.verify_all_bytes = 1;
    run_floor(1, FLOOR_WARMUP_COUNT, &warm, &took);
    run_floor(0, FLOOR_WARMUP_COUNT, &warm, &took);
    floor_count = quick ? FLOOR_WARMUP_COUNT : sized(FLOOR_WARMUP_COUNT, took, seconds / 2);
    for (size_t w = 0; w < N_WORKLOADS; w++) {
        for (size_t i = 0; i < N_IMPLS; i++) {
            uint64_t c = workloads[w].warmup_count;
            if (!quick) run_one(w, i, c, &warm, &took);
            counts[w][i] = quick ? c : sized(c, took, seconds);
        }
    }
    if (!quick)
        printf("warm-up done (every byte compared); %d rounds of ~%.2f s runs\n", rounds, seconds);

    struct run_opts timed = base;
    timed.verify_all_bytes = quick; /* quick: still every byte */
    for (int k = 0; k < rounds; k++) {
        if (k >= MIN_ROUNDS && bench_now() - started > budget) {
            printf("time budget of %.0f s spent: stopping after %d rounds\n", budget, k);
            rounds = k;
            break;
        }
        floor_ns[k] = run_floor(0, floor_count, &timed, &took);
        two_line_ns[k] = run_floor(1, floor_count, &timed, &took);
        printf("round %d: cache-line round trip %.1f ns (two lines: %.1f ns)\n", k + 1, floor_ns[k],
               two_line_ns[k]);
        for (size_t w = 0; w < N_WORKLOADS; w++) {
            for (size_t j = 0; j < N_IMPLS; j++) {
                size_t i = (j + (size_t)k) % N_IMPLS; /* rotate who goes first */
                samples[w][i][k] = run_one(w, i, counts[w][i], &timed, &took);
                /* keep each run near `seconds` if the machine got faster or slower */
                if (!quick) counts[w][i] = sized(counts[w][i], took, seconds);
            }
            print_round(k, w);
        }
    }
    print_summary(rounds);
    printf("checks: %llu items checked, %llu wrong\n", (unsigned long long)total_checked,
           (unsigned long long)total_errors);
    if (json && write_json(json, rounds, quick, seconds) != 0) return 2;
    if (total_errors) {
        fprintf(stderr, "bench: FAILED: %llu consumed items were not what was sent\n",
                (unsigned long long)total_errors);
        return 1;
    }
    return 0;
}
