# The native C library and its Criterion tests, in three builds:
#   normal  -O2, gcc                        build/native
#   asan    -O1, clang, ASan + UBSan         build/asan
#   tsan    -O1, clang, ThreadSanitizer      build/tsan  (concurrent suites only)
# and `make lint` (clang-format, cppcheck, clang-tidy over core/).

CRIT_LIBS := $(shell pkg-config --libs criterion 2>/dev/null || echo -lcriterion)
TEST_C_SRC := $(wildcard tests/c/*.c)
TEST_C_HDR := $(wildcard tests/c/*.h)

FLAGS_native := -O2 -g
FLAGS_asan := -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined -fno-sanitize-recover=all
FLAGS_tsan := -O1 -g -fsanitize=thread
CC_native := $(CC)
CC_asan := $(CLANG)
CC_tsan := $(CLANG)

# The stress test's volume: 1 GiB in the normal build, less under sanitizers.
STRESS_native := 1073741824
STRESS_asan := 67108864
STRESS_tsan := 16777216
# The hostile-peer suites' duration per kind (tests/c/test_hostile_*.c), shorter under ASan.
HOSTILE_MS_native := 2000
HOSTILE_MS_asan := 1000

define native_variant
$(BUILD)/$(1)/librbs.a: $(CORE_SRC) $(CORE_HDR) mk/core.mk
	@mkdir -p $(BUILD)/$(1)/obj
	@set -e; for f in $(CORE_SRC); do \
	  $(CC_$(1)) $(CSTD) $(WARN) $(FLAGS_$(1)) $(CORE_INC) -c $$$$f -o $(BUILD)/$(1)/obj/$$$$(basename $$$${f%.c}).o; \
	done
	@rm -f $$@; ar rcs $$@ $(BUILD)/$(1)/obj/*.o
	@echo "built $$@"

$(BUILD)/$(1)/rbs_tests: $(TEST_C_SRC) $(TEST_C_HDR) $(BUILD)/$(1)/librbs.a
	$(CC_$(1)) $(CSTD) $(WARN) -Wno-missing-prototypes $(FLAGS_$(1)) $(CORE_INC) -Icore/src -Itests/c \
	  $(TEST_C_SRC) $(BUILD)/$(1)/librbs.a $(CRIT_LIBS) -lpthread -o $$@
endef
$(foreach v,native asan tsan,$(eval $(call native_variant,$(v))))

# Criterion cannot start under TSan (its arena collides with TSan's shadow
# memory, Criterion issue #274), so the TSan build compiles the concurrent
# suites against a small stand-in header and runner in tests/c/tsan_shim/.
TEST_C_CONCURRENT := $(wildcard tests/c/*_concurrent.c)
$(BUILD)/tsan/concurrent_tests: $(TEST_C_CONCURRENT) $(TEST_C_HDR) $(wildcard tests/c/tsan_shim/*/*.h) \
    tests/c/tsan_shim/tsan_main.c $(BUILD)/tsan/librbs.a
	$(CC_tsan) $(CSTD) $(WARN) -Wno-missing-prototypes $(FLAGS_tsan) $(CORE_INC) -Icore/src \
	  -Itests/c/tsan_shim -Itests/c tests/c/tsan_shim/tsan_main.c $(TEST_C_CONCURRENT) \
	  $(BUILD)/tsan/librbs.a -lpthread -o $@

.PHONY: native test-native test-asan test-tsan lint
## native: build the native library (build/native/librbs.a)
native: $(BUILD)/native/librbs.a

## test-native: Criterion tests, -O2 build, 1 GiB stress
test-native: $(BUILD)/native/rbs_tests
	RBS_STRESS_BYTES=$(STRESS_native) RBS_HOSTILE_MS=$(HOSTILE_MS_native) $< --jobs $(NPROC)

## test-asan: Criterion tests under AddressSanitizer + UBSan
test-asan: $(BUILD)/asan/rbs_tests
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  RBS_STRESS_BYTES=$(STRESS_asan) RBS_HOSTILE_MS=$(HOSTILE_MS_asan) $< --jobs $(NPROC)

## test-tsan: the concurrent suites (tests/c/*_concurrent.c) under ThreadSanitizer
test-tsan: $(BUILD)/tsan/concurrent_tests
	TSAN_OPTIONS=halt_on_error=1:exitcode=66 RBS_STRESS_BYTES=$(STRESS_tsan) $< concurrent_

LINT_SRC := $(CORE_SRC) $(CORE_HDR)
## lint: clang-format check, cppcheck and clang-tidy over core/
lint:
	clang-format --dry-run -Werror $(LINT_SRC) $(TEST_C_SRC) $(TEST_C_HDR)
	cppcheck --quiet --error-exitcode=1 --enable=warning,performance,portability \
	  --inline-suppr --std=c11 $(CORE_INC) -Icore/src $(CORE_SRC)
	clang-tidy --quiet $(CORE_SRC) -- $(CSTD) $(CORE_INC) -Icore/src

TEST_TARGETS += lint test-native test-asan test-tsan

# The README's C example must compile and run as shown.
$(BUILD)/readme/example: README.md $(BUILD)/native/librbs.a
	@mkdir -p $(BUILD)/readme
	sed -n '/^```c$$/,/^```$$/p' README.md | sed '1d;$$d' > $(BUILD)/readme/example.c
	$(CC) $(CSTD) $(WARN) -Wno-missing-prototypes $(CORE_INC) $(BUILD)/readme/example.c $(BUILD)/native/librbs.a -o $@

.PHONY: test-readme
## test-readme: compile and run the README's C example
test-readme: $(BUILD)/readme/example
	$< && echo "README example: ok"

TEST_TARGETS += test-readme
