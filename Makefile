# ring_buffer_safe — every entry point.  Each area keeps its rules in mk/*.mk:
#   deps.mk   installing what is missing (Debian packages, npm ci)
#   core.mk   the native C library, Criterion tests (normal, ASan+UBSan, TSan), lint
#   wasm.mk   the WebAssembly module, the JS bundle in dist/, node tests
#   e2e.mk    the demo server (make demo) and the Playwright tests
#   bench.mk  the benchmarks (make bench)
#   emscripten.mk  C programs built with emcc sharing rings with JS: the example, C <-> JS tests, their bench
#   fuzz.mk   the libFuzzer target (make fuzz)
#   pkg.mk    the npm package as users get it: bundle sizes, consumer apps, README snippets
#   soak.mk   the long audio soak (make soak-audio), outside `make test`
# An area adds its test rules to TEST_TARGETS, in the order `make test` runs them.
.DEFAULT_GOAL := all
.DELETE_ON_ERROR:
SHELL := /bin/bash

TEST_TARGETS :=

include mk/config.mk
include mk/deps.mk
include mk/core.mk
-include mk/wasm.mk
-include mk/e2e.mk
-include mk/bench.mk
-include mk/emscripten.mk
-include mk/fuzz.mk
-include mk/pkg.mk
-include mk/coverage.mk
-include mk/soak.mk

.PHONY: all test clean help

all: build

## test: install what is missing, build, and run every test
test: deps
	@set -e; start=$$(date +%s); for t in $(TEST_TARGETS); do \
	  echo "==> make $$t"; t0=$$(date +%s); $(MAKE) --no-print-directory $$t; \
	  echo "==> make $$t: $$(( $$(date +%s) - t0 )) s"; \
	done; echo "==> make test: all $(words $(TEST_TARGETS)) suites passed in $$(( $$(date +%s) - start )) s ($(TEST_TARGETS))"

clean:
	rm -rf build dist test-results playwright-report

help:
	@grep -h '^## ' $(MAKEFILE_LIST) | sed 's/^## /  make /'
