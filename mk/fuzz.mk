# The libFuzzer target (tests/fuzz/fuzz_ring.c) and valgrind over the Criterion suite.
#   make fuzz          fuzz for FUZZ_SECONDS (default 600): new inputs go to build/fuzz/corpus,
#                      crashes to tests/fuzz/artifacts/ (gitignored); the committed seed corpus
#                      tests/fuzz/corpus/ is only read
#   make test-fuzz     every committed corpus file once, then FUZZ_RUNS fixed-seed iterations:
#                      a fixed amount of work, not a time, so CI is short and repeatable
#   make test-valgrind the Criterion suite (-O1 -g, no sanitizers) under valgrind memcheck

FUZZ_SECONDS ?= 600
FUZZ_RUNS ?= 200000
FUZZ_BIN := $(BUILD)/fuzz/fuzz_ring
FUZZ_SRC := $(wildcard tests/fuzz/*.c)
FUZZ_HDR := $(wildcard tests/fuzz/*.h)
FUZZ_CORPUS := tests/fuzz/corpus
FUZZ_FLAGS := -O1 -g -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined \
  -fno-sanitize-recover=all
# -max_len: a program is a few bytes per op, 4 KiB is hundreds of ops; -timeout: a hang is a bug.
FUZZ_OPTS := -max_len=4096 -timeout=10 -print_final_stats=1
FUZZ_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1

# -Icore/src: the target drives the rbs_wasm_* entry points (core/src/wasm_api.h) natively.
$(FUZZ_BIN): $(FUZZ_SRC) $(FUZZ_HDR) $(CORE_SRC) $(CORE_HDR) mk/fuzz.mk
	@mkdir -p $(@D)
	$(CLANG) $(CSTD) $(WARN) $(FUZZ_FLAGS) $(CORE_INC) -Icore/src $(FUZZ_SRC) $(CORE_SRC) -o $@

.PHONY: fuzz fuzz-build test-fuzz test-valgrind
fuzz-build: $(FUZZ_BIN)

## fuzz: run the libFuzzer target for FUZZ_SECONDS (default 600) from the seed corpus
fuzz: $(FUZZ_BIN)
	@mkdir -p $(BUILD)/fuzz/corpus tests/fuzz/artifacts
	$(FUZZ_ENV) $< $(FUZZ_OPTS) -max_total_time=$(FUZZ_SECONDS) \
	  -artifact_prefix=tests/fuzz/artifacts/ $(BUILD)/fuzz/corpus $(FUZZ_CORPUS)

## test-fuzz: the seed corpus once, then FUZZ_RUNS iterations with -seed=1
test-fuzz: $(FUZZ_BIN)
	@mkdir -p tests/fuzz/artifacts
	$(FUZZ_ENV) $< $(FUZZ_OPTS) -artifact_prefix=tests/fuzz/artifacts/ \
	  $$(find $(FUZZ_CORPUS) -type f | sort)
	@rm -rf $(BUILD)/fuzz/test-corpus; mkdir -p $(BUILD)/fuzz/test-corpus
	@echo "test-fuzz: $(FUZZ_RUNS) runs with -seed=1 (log: $(BUILD)/fuzz/test-fuzz.log)"
	@$(FUZZ_ENV) $< $(FUZZ_OPTS) -seed=1 -runs=$(FUZZ_RUNS) \
	  -artifact_prefix=tests/fuzz/artifacts/ $(BUILD)/fuzz/test-corpus $(FUZZ_CORPUS) \
	  > $(BUILD)/fuzz/test-fuzz.log 2>&1 \
	  || { tail -n 60 $(BUILD)/fuzz/test-fuzz.log; exit 1; }
	@grep -E '^Done|^stat::(number_of_executed_units|average_exec_per_sec)' $(BUILD)/fuzz/test-fuzz.log; \
	  grep -E '^#[0-9]+[[:space:]]+DONE' $(BUILD)/fuzz/test-fuzz.log | tail -n 1

# valgrind: the same Criterion suite built -O1 -g without sanitizers (valgrind cannot run ASan
# or TSan binaries), through core.mk's build recipe.
FLAGS_valgrind := -O1 -g
CC_valgrind := $(CC)
$(eval $(call native_variant,valgrind))

# Criterion 2.4 notices valgrind and runs one test at a time by itself (an explicit --jobs only
# adds a warning; --no-early-exit is deprecated and does nothing).  It runs each test in a
# re-executed worker, which --trace-children=yes follows, but it ignores a worker's exit
# status once the test has reported, so --error-exitcode alone never fails the run:
#   --exit-on-first-error=yes  a memory error ends the worker mid-test: Criterion fails the test
#   --log-file=.../%p.log      one log per process; a leak is reported when a worker exits,
#                              after its test passed, so every log must end in
#                              "ERROR SUMMARY: 0 errors" (a log without it failed or was cut)
# No suppression file: the suite is clean without one.
VALGRIND_STRESS_BYTES ?= 1048576
VALGRIND_HOSTILE_MS ?= 500
VALGRIND_LOGS := $(BUILD)/valgrind/logs
VALGRIND := valgrind --error-exitcode=1 --exit-on-first-error=yes --trace-children=yes \
  --leak-check=full --log-file=$(VALGRIND_LOGS)/%p.log

# Most of the time goes to valgrind starting each test's process, one at a time: two shards
# of the suites (split by name, together all of them) run side by side on the two cores.
VALGRIND_SHARDS := '[a-l]*/*' '!([a-l]*)/*'

## test-valgrind: the Criterion suite under valgrind memcheck, every test process checked
test-valgrind: $(BUILD)/valgrind/rbs_tests
	@rm -rf $(VALGRIND_LOGS); mkdir -p $(VALGRIND_LOGS)
	@pids=; for shard in $(VALGRIND_SHARDS); do \
	  echo "RBS_STRESS_BYTES=$(VALGRIND_STRESS_BYTES) RBS_HOSTILE_MS=$(VALGRIND_HOSTILE_MS) $(VALGRIND) $< --filter '$$shard' &"; \
	  RBS_STRESS_BYTES=$(VALGRIND_STRESS_BYTES) RBS_HOSTILE_MS=$(VALGRIND_HOSTILE_MS) $(VALGRIND) $< --filter "$$shard" & \
	  pids="$$pids $$!"; done; rc=0; for p in $$pids; do wait $$p || rc=1; done; exit $$rc
	@bad=$$(grep -L 'ERROR SUMMARY: 0 errors' $(VALGRIND_LOGS)/*.log); \
	if [ -n "$$bad" ]; then cat $$bad; echo "test-valgrind: memcheck errors or leaks in: $$bad"; \
	  exit 1; fi; \
	echo "test-valgrind: $$(ls $(VALGRIND_LOGS) | wc -l) processes, no memcheck error, no leak"

TEST_TARGETS += test-fuzz test-valgrind
