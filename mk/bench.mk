# The benchmarks (issue 7).  Each suite writes a JSON fragment into
# bench/results/ (native.json here; browser suites add theirs, e.g.
# browser.json; the fragment's format is at the top of bench/report.mjs);
# bench/report.mjs merges every fragment into bench/results/latest.{json,md,svg}
# and prints the table.
#
#   make bench                  full run (native: about a minute, at most ~4)
#   make bench BENCH_QUICK=1    one small round of everything, every byte compared
#   make test-bench-quick       the smoke test `make test` runs: the quick native
#                               bench must run and every item must check out;
#                               asserts nothing about speed
#
# BENCH_ROUNDS, BENCH_SECONDS (seconds per run) and BENCH_NATIVE_BUDGET (no new
# round after that many seconds, at least 5 rounds) tune the full native run.

BENCH_DIR := $(BUILD)/bench
BENCH_RESULTS := bench/results
BENCH_NATIVE_SRC := $(wildcard bench/native/*.c)
BENCH_NATIVE_HDR := $(wildcard bench/native/*.h)
BENCH_CFLAGS := -O2 -g
BENCH_ROUNDS ?= 11
BENCH_SECONDS ?= 0.3
BENCH_NATIVE_BUDGET ?= 200
# Peers: Concurrency Kit (header-inline ck_ring, libck) and JACK's ring buffer
# (libjack; only jack_ringbuffer_* is called, no JACK server is needed).
BENCH_LIBS := -lck -ljack -lpthread

ifeq ($(BENCH_QUICK),1)
BENCH_NATIVE_ARGS := --quick
else
BENCH_NATIVE_ARGS := --rounds $(BENCH_ROUNDS) --seconds $(BENCH_SECONDS) --budget $(BENCH_NATIVE_BUDGET)
endif

$(BENCH_DIR)/native_bench: $(BENCH_NATIVE_SRC) $(BENCH_NATIVE_HDR) $(BUILD)/native/librbs.a mk/bench.mk
	@mkdir -p $(BENCH_DIR)
	$(CC) $(CSTD) $(WARN) $(BENCH_CFLAGS) -DBENCH_CFLAGS='"$(BENCH_CFLAGS)"' $(CORE_INC) \
	  $(BENCH_NATIVE_SRC) $(BUILD)/native/librbs.a $(BENCH_LIBS) -o $@

.PHONY: bench bench-native bench-report test-bench-quick

# Each suite is a make target that writes its fragment into bench/results/; a
# suite added later appends itself here (BENCH_SUITES += bench-browser) and
# honours BENCH_QUICK=1.  `make bench` removes the previous fragments first, so
# the report never mixes runs.
BENCH_SUITES := bench-native

## bench: every benchmark beside its peers (BENCH_QUICK=1: a one-round smoke run)
bench:
	@mkdir -p $(BENCH_RESULTS) && rm -f $(BENCH_RESULTS)/*.json $(BENCH_RESULTS)/latest.md $(BENCH_RESULTS)/latest.svg
	@set -e; for s in $(BENCH_SUITES); do echo "==> make $$s"; $(MAKE) --no-print-directory $$s; done
	@$(MAKE) --no-print-directory bench-report

# Instructions per put+get beside the native table (issue 11): callgrind
# counts of one thread's puts and gets, exact whatever else the machine runs.
BENCH_INSTR = node bench/native/instructions.mjs --bin $(BENCH_DIR)/native_bench

## bench-native: the native suite only; writes bench/results/native.json and native-instructions.json
bench-native: $(BENCH_DIR)/native_bench
	@mkdir -p $(BENCH_RESULTS)
	$< $(BENCH_NATIVE_ARGS) --json $(BENCH_RESULTS)/native.json
	$(BENCH_INSTR) $(if $(filter 1,$(BENCH_QUICK)),--quick) --json $(BENCH_RESULTS)/native-instructions.json

## bench-report: merge bench/results/*.json fragments into latest.{json,md,svg}
bench-report:
	node bench/report.mjs --in $(BENCH_RESULTS) --out $(BENCH_RESULTS)

## test-bench-quick: the quick native bench (and its instruction count) runs and checks every item (no speed asserted)
test-bench-quick: $(BENCH_DIR)/native_bench
	@rm -rf $(BENCH_DIR)/quick && mkdir -p $(BENCH_DIR)/quick
	$< --quick --json $(BENCH_DIR)/quick/native.json
	$(BENCH_INSTR) --quick --json $(BENCH_DIR)/quick/native-instructions.json
	@# The checks must be able to fail: with the consumers expecting the wrong
	@# sequence, the bench has to report wrong items and exit 1.
	@rm -rf $(BENCH_DIR)/fault && mkdir -p $(BENCH_DIR)/fault
	@set +e; $< --quick --inject-fault --json $(BENCH_DIR)/fault/native.json > $(BENCH_DIR)/fault.log 2>&1; \
	rc=$$?; set -e; \
	if [ $$rc -ne 1 ] || ! grep -q 'CHECK FAILED' $(BENCH_DIR)/fault.log; then \
	  cat $(BENCH_DIR)/fault.log; echo "test-bench-quick: an injected fault went unnoticed (exit $$rc)"; exit 1; \
	fi; echo "test-bench-quick: injected fault caught (exit 1, CHECK FAILED reported)"
	@# ... and the report must refuse a fragment that counted wrong items.
	@if node bench/report.mjs --in $(BENCH_DIR)/fault --out $(BENCH_DIR)/fault --check > $(BENCH_DIR)/fault-report.log 2>&1 \
	  || ! grep -q 'consumed items were wrong' $(BENCH_DIR)/fault-report.log; then \
	  cat $(BENCH_DIR)/fault-report.log; echo "test-bench-quick: report.mjs --check accepted wrong items"; exit 1; \
	fi; echo "test-bench-quick: report.mjs --check refused the faulty fragment"
	node bench/report.mjs --in $(BENCH_DIR)/quick --out $(BENCH_DIR)/quick --check

TEST_TARGETS += test-bench-quick

# ---- Browser suites (bench/browser, bench/wasm): Debian's headless Chromium,
# cross-origin isolated, a server started by each script; each writes
# bench/results/browser-<name>.json.  BENCH_QUICK=1: one small round each.
#   bench-browser-items  the WASM single-item loop in two Workers (+ ringbuf.js)
#   bench-browser-bytes  page -> Worker bytes/s through the JS API vs ringbuf.js
#   bench-browser-msgs   64-byte messages Worker -> page, MessagePipe vs postMessage
#   bench-browser-audio  the AudioWorklet side's cost per render quantum vs ringbuf.js
BENCH_BROWSER_ARGS := $(if $(filter 1,$(BENCH_QUICK)),--quick)
BENCH_ITEMS_EXPORTS := bench_items_produce,bench_items_consume,bench_floor_size,bench_floor_produce,bench_floor_consume,bench_pingpong,rbs_init,rbs_attach
BENCH_VERIFY_EXPORTS := _bench_got,_bench_want,_bench_verify_max,_bench_count_wrong

# The item loop (and its floor, a minimal ring as a yardstick), linked like
# the library's module (mk/wasm.mk's flags and core objects) and checked by
# the same rules (bench/wasm/check-module.mjs).
$(BENCH_DIR)/item_loop.wasm: bench/wasm/item_loop.c bench/wasm/item_floor.c bench/wasm/check-module.mjs scripts/check-wasm.mjs $(WASM_OBJ) $(CORE_HDR) mk/bench.mk | wasm-toolchain
	@mkdir -p $(BENCH_DIR)
	$(EM_ENV) $(EMCC) $(WASM_CFLAGS) -c bench/wasm/item_loop.c -o $(BENCH_DIR)/item_loop.o
	$(EM_ENV) $(EMCC) $(WASM_CFLAGS) -c bench/wasm/item_floor.c -o $(BENCH_DIR)/item_floor.o
	$(EM_ENV) $(EMCC) $(WASM_LDFLAGS) -sEXPORTED_FUNCTIONS=$(subst bench_,_bench_,$(subst rbs_,_rbs_,$(BENCH_ITEMS_EXPORTS))) \
	  $(BENCH_DIR)/item_loop.o $(BENCH_DIR)/item_floor.o $(WASM_OBJ) -o $@.tmp.wasm
	node bench/wasm/check-module.mjs $@.tmp.wasm --below=$(WASM_RING_OFFSET) --expect=$(BENCH_ITEMS_EXPORTS)
	@mv $@.tmp.wasm $@

# The byte checker of bench-browser-bytes: its own memory, SIMD.
$(BENCH_DIR)/verify.wasm: bench/wasm/verify.c mk/bench.mk | wasm-toolchain
	@mkdir -p $(BENCH_DIR)
	$(EM_ENV) $(EMCC) $(CSTD) $(WARN) -O3 -msimd128 --no-entry -sSTANDALONE_WASM -sSUPPORT_ERRNO=0 \
	  -sTOTAL_STACK=4096 -sEXPORTED_FUNCTIONS=$(BENCH_VERIFY_EXPORTS) $< -o $@

.PHONY: bench-browser-items bench-browser-bytes bench-browser-msgs bench-browser-audio test-bench-browser-quick

## bench-browser-items: WASM single-item loop in two Workers (items/s); bench/results/browser-items.json
bench-browser-items: $(BENCH_DIR)/item_loop.wasm
	@mkdir -p $(BENCH_RESULTS)
	node bench/browser/items.mjs $(BENCH_BROWSER_ARGS) --json $(BENCH_RESULTS)/browser-items.json

## bench-browser-bytes: page -> Worker bytes/s, 16 B / 1 KiB / 64 KiB, vs ringbuf.js
bench-browser-bytes: build $(BENCH_DIR)/verify.wasm
	@mkdir -p $(BENCH_RESULTS)
	node bench/browser/bytes.mjs $(BENCH_BROWSER_ARGS) --json $(BENCH_RESULTS)/browser-bytes.json

## bench-browser-msgs: 64-byte messages Worker -> page, MessagePipe vs postMessage
bench-browser-msgs: build
	@mkdir -p $(BENCH_RESULTS)
	node bench/browser/msgs.mjs $(BENCH_BROWSER_ARGS) --json $(BENCH_RESULTS)/browser-msgs.json

## bench-browser-audio: AudioWorklet side, ns per stereo render quantum, vs ringbuf.js
bench-browser-audio: build
	@mkdir -p $(BENCH_RESULTS)
	node bench/browser/audio_quantum.mjs $(BENCH_BROWSER_ARGS) --json $(BENCH_RESULTS)/browser-audio.json

BENCH_SUITES += bench-browser-items bench-browser-bytes bench-browser-msgs bench-browser-audio

# The quick browser suites must run and check every item (no speed asserted),
# and their checks must be able to fail: with the consumers expecting the
# wrong data, each suite has to report CHECK FAILED and exit 1.
BENCH_BROWSER_QUICK := $(BENCH_DIR)/quick-browser
test-bench-browser-quick: build $(BENCH_DIR)/item_loop.wasm $(BENCH_DIR)/verify.wasm
	@rm -rf $(BENCH_BROWSER_QUICK) && mkdir -p $(BENCH_BROWSER_QUICK)/fault
	node bench/browser/items.mjs --quick --json $(BENCH_BROWSER_QUICK)/browser-items.json
	node bench/browser/bytes.mjs --quick --json $(BENCH_BROWSER_QUICK)/browser-bytes.json
	node bench/browser/msgs.mjs --quick --json $(BENCH_BROWSER_QUICK)/browser-msgs.json
	node bench/browser/audio_quantum.mjs --quick --json $(BENCH_BROWSER_QUICK)/browser-audio.json
	@set -e; for s in items bytes msgs; do \
	  set +e; node bench/browser/$$s.mjs --quick --inject-fault > $(BENCH_BROWSER_QUICK)/fault/$$s.log 2>&1; rc=$$?; set -e; \
	  if [ $$rc -ne 1 ] || ! grep -q 'CHECK FAILED' $(BENCH_BROWSER_QUICK)/fault/$$s.log; then \
	    cat $(BENCH_BROWSER_QUICK)/fault/$$s.log; echo "test-bench-browser-quick: $$s: an injected fault went unnoticed (exit $$rc)"; exit 1; \
	  fi; echo "test-bench-browser-quick: $$s: injected fault caught (exit 1, CHECK FAILED reported)"; \
	done
	node bench/report.mjs --in $(BENCH_BROWSER_QUICK) --out $(BENCH_BROWSER_QUICK) --check

# `make test` runs these through test-bench-quick.
test-bench-quick: test-bench-browser-quick

# ---- The browser suites in every engine (issue 14).  `make bench` stays
# Chromium's; this runs each browser suite in Chromium, Firefox ESR and
# WebKitGTK (BENCH_ENGINE=, through the e2e engine layer, under
# e2e/engines/services.sh) and prints rbs's ratio to its peer per engine
# (bench/browser/engines.mjs, also bench/results/engines/engines.md).
# BENCH_ENGINES picks engines; BENCH_ENGINES_ARGS (default: BENCH_QUICK's)
# goes to every suite, e.g. "--rounds 3".
BENCH_ENGINES_DIR := $(BENCH_RESULTS)/engines
BENCH_ENGINES ?= chromium firefox webkit
BENCH_ENGINES_ARGS ?= $(BENCH_BROWSER_ARGS)
BENCH_ENGINE_SUITES := items bytes msgs audio_quantum

.PHONY: bench-engines
## bench-engines: every browser suite in Chromium, Firefox and WebKitGTK; rbs/peer ratios per engine
bench-engines: build $(BENCH_DIR)/item_loop.wasm $(BENCH_DIR)/verify.wasm
	@rm -rf $(BENCH_ENGINES_DIR) && mkdir -p $(BENCH_ENGINES_DIR)
	@set -e; for e in $(BENCH_ENGINES); do \
	  E2E_ENGINES=$$e BENCH_ENGINE=$$e e2e/engines/services.sh bash -c 'set -e; for s in $(BENCH_ENGINE_SUITES); do \
	    echo "==> $$BENCH_ENGINE: $$s"; node bench/browser/$$s.mjs $(BENCH_ENGINES_ARGS) --json $(BENCH_ENGINES_DIR)/$$BENCH_ENGINE-$$s.json; done'; \
	done
	node bench/browser/engines.mjs $(BENCH_ENGINES_DIR)
