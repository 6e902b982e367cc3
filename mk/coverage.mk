# Line and branch coverage of core/ and worker/, printed by every `make test`
# and checked against tests/coverage-floor.json, so that no change lowers it:
#   core/    the Criterion suites built with gcc --coverage, summed by gcovr
#   worker/  the node suites under c8 (test-node in mk/wasm.mk), mapped to
#            worker/*.js through dist's source maps
# The counters are updated atomically: the concurrent suites run two threads.
# RBS_COVERAGE keeps the forced-inline helpers functions, so a branch of the
# source counts once rather than once per call site it is inlined into.
# `make coverage-floor` writes the current figures as the new floor (commit
# it when coverage rose).

FLAGS_coverage := -O0 -g --coverage -fprofile-update=atomic -DRBS_COVERAGE
CC_coverage := gcc
$(eval $(call native_variant,coverage))

COVERAGE_DIR := $(BUILD)/coverage
COVERAGE_FLOOR := tests/coverage-floor.json

.PHONY: coverage-core test-coverage coverage-floor

## coverage-core: the Criterion suites under gcc --coverage; line/branch figures of core/src
coverage-core: $(BUILD)/coverage/rbs_tests
	@find $(BUILD)/coverage -name '*.gcda' -delete
	@RBS_STRESS_BYTES=16777216 RBS_HOSTILE_MS=300 $< --jobs $(NPROC) > $(COVERAGE_DIR)/criterion.log 2>&1 \
	  || { tail -n 40 $(COVERAGE_DIR)/criterion.log; exit 1; }
	@gcovr --root . --filter 'core/src/' --object-directory $(BUILD)/coverage/obj \
	  --json-summary $(COVERAGE_DIR)/core.json --json-summary-pretty > /dev/null

## test-coverage: print core/ and worker/ coverage and fail if either fell below the floor
test-coverage: coverage-core
	node scripts/coverage-check.mjs --core $(COVERAGE_DIR)/core.json --worker $(COVERAGE_DIR)/worker/coverage-summary.json \
	  --floor $(COVERAGE_FLOOR)

coverage-floor: coverage-core
	node scripts/coverage-check.mjs --core $(COVERAGE_DIR)/core.json --worker $(COVERAGE_DIR)/worker/coverage-summary.json \
	  --floor $(COVERAGE_FLOOR) --write

TEST_TARGETS += test-coverage

# The flags live here, so a change of them rebuilds the coverage library.
$(BUILD)/coverage/librbs.a: mk/coverage.mk
