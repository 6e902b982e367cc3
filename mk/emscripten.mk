# C programs compiled with Emscripten that own their memory and share rings
# with the JS package (README, "From an Emscripten program"):
#   build/examples/emscripten/synth.js  the example synth (examples/emscripten), growable memory
#   build/emscripten/peer-fixed.js      the synth plus the byte peers of tests/emscripten/peer.c,
#   build/emscripten/peer-growable.js   with a fixed and a growable memory
#
#   make example               build the example; make example-serve serves it (PORT=8090)
#   make test-emscripten       node:test suites in tests/emscripten (C <-> JS in worker_threads)
#   make bench-emscripten      the C producer's rate into a JS consumer against a JS producer's
#
# Every program links the whole C core, the blocking calls included, with
# -pthread: that is what makes its memory shared and exports Module.wasmMemory.
EM_PROG_DIR := $(BUILD)/emscripten
EXAMPLE_DIR := $(BUILD)/examples/emscripten
EM_PROG_SRC := $(CORE_SRC)
EM_PROG_CFLAGS := $(CSTD) $(WARN) -O2 -pthread $(CORE_INC)
# A pool of pre-started workers: pthread_create from the page's main thread
# cannot start a Worker synchronously.
EM_PROG_LDFLAGS := -sMODULARIZE -sPTHREAD_POOL_SIZE=4 -sSUPPORT_ERRNO=0
EM_FIXED := -sINITIAL_MEMORY=64MB
# The warning says that JS reading the heap checks for growth; rings are read
# through the package's own views, which growth never invalidates.
EM_GROWABLE := -sINITIAL_MEMORY=16MB -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=1GB -Wno-pthreads-mem-growth

# Emscripten's output is CommonJS, and the repository's package.json says
# "type": "module": a package.json beside the output tells Node otherwise.
%/package.json:
	@mkdir -p $(@D)
	@echo '{ "type": "commonjs" }' > $@
.SECONDARY: $(EXAMPLE_DIR)/package.json $(EM_PROG_DIR)/package.json

$(EXAMPLE_DIR)/synth.js: examples/emscripten/synth.c examples/emscripten/synth.h $(EM_PROG_SRC) $(CORE_HDR) mk/emscripten.mk | wasm-toolchain $(EXAMPLE_DIR)/package.json
	$(EM_ENV) $(EMCC) $(EM_PROG_CFLAGS) $(EM_PROG_LDFLAGS) $(EM_GROWABLE) -sEXPORT_NAME=createSynth \
	  examples/emscripten/synth.c $(EM_PROG_SRC) -o $@

$(EM_PROG_DIR)/peer-%.js: tests/emscripten/peer.c examples/emscripten/synth.c examples/emscripten/synth.h $(EM_PROG_SRC) $(CORE_HDR) mk/emscripten.mk | wasm-toolchain $(EM_PROG_DIR)/package.json
	$(EM_ENV) $(EMCC) $(EM_PROG_CFLAGS) -Wno-missing-prototypes $(EM_PROG_LDFLAGS) $(if $(filter fixed,$*),$(EM_FIXED),$(EM_GROWABLE)) \
	  -sEXPORT_NAME=createPeer tests/emscripten/peer.c examples/emscripten/synth.c $(EM_PROG_SRC) -o $@

EM_PROGRAMS := $(EXAMPLE_DIR)/synth.js $(EM_PROG_DIR)/peer-fixed.js $(EM_PROG_DIR)/peer-growable.js

.PHONY: example example-serve emscripten-programs test-emscripten test-emscripten-rate bench-emscripten

## example: the Emscripten example synth (build/examples/emscripten); `make` builds it too
example: build $(EXAMPLE_DIR)/synth.js
all: $(EXAMPLE_DIR)/synth.js

## example-serve: build and serve the example synth's page on http://127.0.0.1:8090
example-serve: example
	node examples/emscripten/serve.mjs

emscripten-programs: $(EM_PROGRAMS)

## test-emscripten: C <-> JS over an Emscripten program's memory, in node worker_threads
test-emscripten: build $(EM_PROGRAMS)
	node_modules/.bin/tsc -p tests/emscripten/tsconfig.json
	node --test --test-reporter=spec tests/emscripten/*.test.mjs

# The rate check of `make test`: the bench's measurement, one quick round,
# failing only on a wake-protocol failure (the C producer below 0.1x the JS
# producer: sleeping out slices), never on speed; and proving that check can
# fail, with a C producer that never wakes its consumer.
EM_RATE_QUICK := $(BUILD)/bench/quick-emscripten
test-emscripten-rate: build $(EM_PROG_DIR)/peer-fixed.js
	@rm -rf $(EM_RATE_QUICK) && mkdir -p $(EM_RATE_QUICK)
	node bench/emscripten/rate.mjs --quick --min-ratio 0.1 --json $(EM_RATE_QUICK)/emscripten.json
	@set +e; node bench/emscripten/rate.mjs --quick --min-ratio 0.1 --inject-fault > $(EM_RATE_QUICK)/fault.log 2>&1; rc=$$?; set -e; \
	if [ $$rc -ne 1 ] || ! grep -q 'WAKE PROTOCOL FAILURE' $(EM_RATE_QUICK)/fault.log; then \
	  cat $(EM_RATE_QUICK)/fault.log; echo "test-emscripten-rate: a C producer that never wakes went unnoticed (exit $$rc)"; exit 1; \
	fi; echo "test-emscripten-rate: a C producer that never wakes was caught: $$(grep -o 'ran at [0-9.]*x' $(EM_RATE_QUICK)/fault.log)"
	node bench/report.mjs --in $(EM_RATE_QUICK) --out $(EM_RATE_QUICK) --check > /dev/null

TEST_TARGETS += test-emscripten test-emscripten-rate

## bench-emscripten: C producer vs JS producer into one JS consumer; bench/results/emscripten.json
bench-emscripten: build $(EM_PROG_DIR)/peer-fixed.js
	@mkdir -p $(BENCH_RESULTS)
	node bench/emscripten/rate.mjs $(if $(filter 1,$(BENCH_QUICK)),--quick) --json $(BENCH_RESULTS)/emscripten.json

BENCH_SUITES += bench-emscripten
# The browser half (e2e/emscripten.spec.js) runs in test-e2e and needs the programs.
test-e2e: $(EM_PROGRAMS)
