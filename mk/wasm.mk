# The WebAssembly module, the JS package in dist/, and the node tests.
#   build/wasm/rbs.wasm  core/src/*.c (but strerror.c and the blocking calls) built with Debian's emcc
#   build/wasm/errors.js rbs_strerror()'s sentences, printed by a native build of strerror.c
#   dist/index.js        worker/index.js bundled by esbuild, the .wasm bytes embedded
#   dist/worklet.js      worker/worklet.js (when it exists), self-contained for addModule()
#   dist/*.d.ts          worker/*.d.ts
#
# Why the module looks the way it does (scripts/check-wasm.mjs proves each point
# on every build, and the build fails otherwise):
#   - no libc, SUPPORT_ERRNO=0: nothing in .bss/.data, hence no start function.
#     Instantiating writes no byte, so an instance can be made over a memory the
#     module does not own (a ring that C code placed in any shared memory).  That
#     is also why strerror.c stays out: its strings would be a data segment.
#   - no exported function touches the stack pointer, so the instances of all
#     threads can share the one they all start with.
#   - ALLOW_MEMORY_GROWTH/MAXIMUM_MEMORY only raise the import's declared maximum
#     to 4 GiB, so any shared memory can be imported; the module never grows it.
#   - INITIAL_MEMORY is one page, so the smallest ring's memory is enough.
EMCC := emcc
EMNM := emnm
EM_ENV := NODE_PATH=/usr/share/nodejs
ESBUILD := node_modules/.bin/esbuild
WASM_DIR := $(BUILD)/wasm
WASM := $(WASM_DIR)/rbs.wasm
# Where the JS places a ring in a memory it creates (worker/region.js, RING_OFFSET):
# above the module's static region, which the check verifies ends below it.
WASM_RING_OFFSET := 8192
WASM_SRC := $(filter-out core/src/strerror.c $(CORE_BLOCKING_SRC),$(CORE_SRC))
WASM_OBJ := $(patsubst core/src/%.c,$(WASM_DIR)/obj/%.o,$(WASM_SRC))
# WASM_CHECK=warn turns the check's findings into warnings, for developing C
# that is not clean yet; such a module is not safe across threads (see the script).
WASM_CHECK ?= strict
WASM_CFLAGS := $(CSTD) $(WARN) -O2 -matomics -mbulk-memory $(CORE_INC)
WASM_LDFLAGS := -O2 --no-entry -sSTANDALONE_WASM -sIMPORTED_MEMORY -Wl,--shared-memory \
  -sSUPPORT_ERRNO=0 -sINITIAL_MEMORY=65536 -sTOTAL_STACK=4096 \
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB

WORKER_JS := $(wildcard worker/*.js worker/*/*.js)
WORKER_DTS := $(wildcard worker/*.d.ts)
DIST_ENTRIES := worker/index.js worker/audio/worklet.js
NODE_TESTS = $(wildcard tests/node/*.test.js)

.PHONY: build wasm wasm-toolchain test-node

## build: the .wasm and the JS package in dist/ (index.js, worklet.js, *.d.ts)
build: dist/index.js
	@printf 'build: %s %s bytes; ' $(WASM) "$$(wc -c < $(WASM))"
	@for f in dist/*.js; do printf '%s %s bytes (gzip %s); ' $$f "$$(wc -c < $$f)" "$$(gzip -9c $$f | wc -c)"; done; echo

## wasm: only the .wasm (build/wasm/rbs.wasm), checked by scripts/check-wasm.mjs
wasm: $(WASM)

# The Emscripten version is pinned: a different one may lay the module out
# differently, so it is refused with the reason rather than half-working.
wasm-toolchain:
	@have=$$($(EM_ENV) $(EMCC) --version 2>/dev/null | head -1 | grep -oE '[0-9]+\.[0-9]+\.[0-9]+' | head -1); \
	want=$$(tr -d ' \n' < emsdk-version.txt); \
	if [ -z "$$have" ]; then \
	  echo "wasm: emcc not found or not working; install Debian's emscripten $$want (make deps)"; exit 1; fi; \
	if [ "$$have" != "$$want" ]; then \
	  echo "wasm: emcc is $$have but emsdk-version.txt pins $$want: the module is built and tested"; \
	  echo "      with $$want only. Install Emscripten $$want, or re-test with $$have and update emsdk-version.txt."; \
	  exit 1; fi

$(WASM_DIR)/obj/%.o: core/src/%.c $(CORE_HDR) mk/wasm.mk | wasm-toolchain
	@mkdir -p $(@D)
	$(EM_ENV) $(EMCC) $(WASM_CFLAGS) -c $< -o $@

$(WASM_DIR)/exports.json: $(WASM_OBJ) core/src/wasm_api.h scripts/wasm-exports.mjs
	@$(EM_ENV) $(EMNM) --defined-only --extern-only -j $(WASM_OBJ) > $(WASM_DIR)/defined.txt
	@node scripts/wasm-exports.mjs core/src/wasm_api.h $(WASM_DIR)/defined.txt $@

$(WASM): $(WASM_OBJ) $(WASM_DIR)/exports.json scripts/check-wasm.mjs
	$(EM_ENV) $(EMCC) $(WASM_LDFLAGS) -sEXPORTED_FUNCTIONS=@$(WASM_DIR)/exports.json $(WASM_OBJ) -o $@.tmp.wasm
	@node scripts/check-wasm.mjs $@.tmp.wasm --below=$(WASM_RING_OFFSET) --expect=$(WASM_DIR)/exports.json \
	  $(if $(filter warn,$(WASM_CHECK)),--warn)
	@mv $@.tmp.wasm $@

# Every numeric #define of rbs.h, for the JS (the C numbers under the C names).
$(WASM_DIR)/layout.js: core/include/rbs.h scripts/gen-layout.mjs
	@mkdir -p $(@D)
	@node scripts/gen-layout.mjs $< $@

$(WASM_DIR)/errors.js: scripts/errors-table.c core/src/strerror.c core/include/rbs.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O1 $(CORE_INC) scripts/errors-table.c core/src/strerror.c -o $(WASM_DIR)/errors-table
	$(WASM_DIR)/errors-table > $@

# --target=es2022 makes esbuild decode the embedded bytes with its own base64
# code (no atob or Buffer, which an AudioWorkletGlobalScope lacks).
dist/index.js: $(WORKER_JS) $(WORKER_DTS) $(WASM) $(WASM_DIR)/errors.js $(WASM_DIR)/layout.js mk/wasm.mk node_modules/.package-lock.json
	@rm -rf dist && mkdir -p dist
	$(ESBUILD) $(DIST_ENTRIES) --bundle --format=esm --platform=neutral --target=es2022 \
	  --loader:.wasm=binary --entry-names=[name] --sourcemap --outdir=dist --log-level=warning
	cp $(WORKER_DTS) dist/

# Under c8: the coverage of worker/ (through dist's source maps) for
# test-coverage (mk/coverage.mk).
C8 := node_modules/.bin/c8 --reporter=json-summary --report-dir=$(BUILD)/coverage/worker \
  --temp-directory=$(BUILD)/coverage/v8

## test-node: node:test suites in tests/node (across worker_threads), against dist/
test-node: build
	@rm -rf $(BUILD)/coverage/v8 $(BUILD)/coverage/worker
	$(C8) node --test --test-reporter=spec $(NODE_TESTS)

TEST_TARGETS += test-node
