# The WebAssembly modules, the JS package in dist/, and the node tests.
#   build/wasm/rbs-<kind>.wasm  one module per kind of ring (bytes, messages,
#                        audio): the entry points of core/src/wasm_api.h that
#                        the package's JS for that kind calls, built from
#                        core/src/*.c (but strerror.c and the blocking calls) with
#                        Debian's emcc,
#                        so a page that moves only bytes carries only the byte calls
#   build/wasm/rbs.wasm  every entry point of wasm_api.h in one module (-O2), for C
#                        callers and tests that want them all (exports.json lists them)
#   build/wasm/rbs-<kind>.hex.js the module's bytes as a hex string (gzip keeps
#                        a hex string byte-aligned, so it packs ~25% smaller
#                        than base64, and modules sharing code compress together)
#   build/wasm/errors.js rbs_strerror()'s sentences, printed by a native build of strerror.c
#   dist/                scripts/build-dist.mjs: index.js (everything, the
#                        modules embedded), attach.js (the same without them),
#                        worklet.js, each minified with a source map; *.d.ts
#
# Why the modules look the way they do (scripts/check-wasm.mjs proves each
# point on every build, and the build fails otherwise):
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
WASM_KINDS := bytes messages audio
WASM_MODULES := $(foreach k,$(WASM_KINDS),$(WASM_DIR)/rbs-$(k).wasm)
WASM_HEX := $(foreach k,$(WASM_KINDS),$(WASM_DIR)/rbs-$(k).hex.js)
# Where the JS places a ring in a memory it creates (worker/core/region.js, RING_OFFSET):
# above the module's static region, which the check verifies ends below it.
WASM_RING_OFFSET := 8192
WASM_SRC := $(filter-out core/src/strerror.c $(CORE_BLOCKING_SRC),$(CORE_SRC))
# The core's objects at -O2, for what links the C itself (the bench's item loop).
WASM_OBJ := $(patsubst core/src/%.c,$(WASM_DIR)/obj/%.o,$(WASM_SRC))
# The package's modules are built from objects of their own, at PKG_OPT.
PKG_OBJ := $(patsubst core/src/%.c,$(WASM_DIR)/pkg-obj/%.o,$(WASM_SRC))
# WASM_CHECK=warn turns the check's findings into warnings, for developing C
# that is not clean yet; such a module is not safe across threads (see the script).
WASM_CHECK ?= strict
# The package's modules at -Os: a third smaller (what keeps a byte-ring page
# under 10 KB gzip), and the calls a JS thread makes cost the same within the
# noise of this machine (the branch's report has the A/B).  audio.c stays at
# -O2: at -Os clang keeps the audio calls' rbs_view on the stack, which
# check-wasm refuses.
PKG_OPT ?= -Os
PKG_OPT_audio ?= -O2
WASM_CFLAGS := $(CSTD) $(WARN) -O2 -matomics -mbulk-memory $(CORE_INC)
WASM_LDFLAGS := -O2 --no-entry -sSTANDALONE_WASM -sIMPORTED_MEMORY -Wl,--shared-memory \
  -sSUPPORT_ERRNO=0 -sINITIAL_MEMORY=65536 -sTOTAL_STACK=4096 \
  -sALLOW_MEMORY_GROWTH=1 -sMAXIMUM_MEMORY=4GB

WORKER_JS := $(wildcard worker/*.js worker/*/*.js)
WORKER_DTS := $(wildcard worker/*.d.ts)
DIST_GENERATED := $(WASM_HEX) $(WASM_DIR)/entries.js $(WASM_DIR)/errors.js $(WASM_DIR)/layout.js $(WASM_DIR)/rbs.wasm
NODE_TESTS = $(wildcard tests/node/*.test.js)

.PHONY: build wasm wasm-toolchain test-node

## build: the .wasm modules and the JS package in dist/ (index.js, attach.js, worklet.js, *.d.ts)
build: dist/index.js
	@printf 'build:'; for f in $(WASM_MODULES); do printf ' %s %s bytes;' $$(basename $$f) "$$(wc -c < $$f)"; done
	@for f in dist/*.js; do printf ' %s %s bytes (gzip %s);' $$f "$$(wc -c < $$f)" "$$(gzip -9c $$f | wc -c)"; done; echo

## wasm: only the modules (build/wasm/rbs-<kind>.wasm, rbs.wasm), checked by scripts/check-wasm.mjs
wasm: $(WASM_MODULES) $(WASM_DIR)/rbs.wasm

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

$(WASM_DIR)/pkg-obj/%.o: core/src/%.c $(CORE_HDR) mk/wasm.mk | wasm-toolchain
	@mkdir -p $(@D)
	$(EM_ENV) $(EMCC) $(filter-out -O2,$(WASM_CFLAGS)) $(or $(PKG_OPT_$*),$(PKG_OPT)) -c $< -o $@

$(WASM_DIR)/defined.txt: $(PKG_OBJ)
	@$(EM_ENV) $(EMNM) --defined-only --extern-only -j $(PKG_OBJ) > $@

# A kind's module exports the entry points its JS calls: worker/core/ and the
# kind's folder (the worklet included), so it carries no call nobody makes.
WASM_JS_bytes := $(wildcard worker/core/*.js worker/bytes/*.js)
WASM_JS_messages := $(wildcard worker/core/*.js worker/msg/*.js)
WASM_JS_audio := $(wildcard worker/core/*.js worker/audio/*.js)
define wasm_exports
$(WASM_DIR)/$(1)/exports.json: $(WASM_DIR)/defined.txt core/src/wasm_api.h scripts/wasm-exports.mjs $(WASM_JS_$(1))
	@mkdir -p $$(@D)
	@node scripts/wasm-exports.mjs core/src/wasm_api.h $$< $$@ $(WASM_JS_$(1))
endef
$(foreach k,$(WASM_KINDS),$(eval $(call wasm_exports,$(k))))

$(WASM_DIR)/exports.json: $(WASM_DIR)/defined.txt core/src/wasm_api.h scripts/wasm-exports.mjs
	@node scripts/wasm-exports.mjs core/src/wasm_api.h $< $@ --all

$(WASM_DIR)/rbs.wasm: $(WASM_OBJ) $(WASM_DIR)/exports.json scripts/check-wasm.mjs
	$(EM_ENV) $(EMCC) $(WASM_LDFLAGS) -sEXPORTED_FUNCTIONS=@$(WASM_DIR)/exports.json $(WASM_OBJ) -o $@.tmp.wasm
	@node scripts/check-wasm.mjs $@.tmp.wasm --below=$(WASM_RING_OFFSET) --expect=$(WASM_DIR)/exports.json \
	  $(if $(filter warn,$(WASM_CHECK)),--warn)
	@mv $@.tmp.wasm $@

# wasm-metadce drops what emcc adds beyond the entry points (its stack API,
# the table, the stack-pointer global): ~120 bytes of gzip per module, and a
# module with no mutable global cannot share a stack between threads.
WASM_FEATURES := --enable-threads --enable-bulk-memory --enable-sign-ext --enable-mutable-globals
$(WASM_DIR)/rbs-%.wasm: $(PKG_OBJ) $(WASM_DIR)/%/exports.json scripts/check-wasm.mjs
	$(EM_ENV) $(EMCC) $(filter-out -O2,$(WASM_LDFLAGS)) $(PKG_OPT) -sEXPORTED_FUNCTIONS=@$(WASM_DIR)/$*/exports.json $(PKG_OBJ) -o $@.tmp.wasm
	@wasm-metadce $(WASM_FEATURES) -f $(WASM_DIR)/$*/graph.json $@.tmp.wasm -o $@.dce.wasm > /dev/null
	@wasm-opt $(PKG_OPT) $(WASM_FEATURES) $@.dce.wasm -o $@.tmp.wasm && rm -f $@.dce.wasm
	@node scripts/check-wasm.mjs $@.tmp.wasm --below=$(WASM_RING_OFFSET) --expect=$(WASM_DIR)/$*/exports.json \
	  $(if $(filter warn,$(WASM_CHECK)),--warn)
	@mv $@.tmp.wasm $@

$(WASM_DIR)/rbs-%.hex.js: $(WASM_DIR)/rbs-%.wasm scripts/wasm-js.mjs
	@node scripts/wasm-js.mjs hex $< $@

$(WASM_DIR)/entries.js: $(foreach k,$(WASM_KINDS),$(WASM_DIR)/$(k)/exports.json) scripts/wasm-js.mjs
	@node scripts/wasm-js.mjs entries $(WASM_DIR) $@ $(WASM_KINDS)

# Every numeric #define of rbs.h, for the JS (the C numbers under the C names).
$(WASM_DIR)/layout.js: core/include/rbs.h scripts/gen-layout.mjs
	@mkdir -p $(@D)
	@node scripts/gen-layout.mjs $< $@

$(WASM_DIR)/errors.js: scripts/errors-table.c core/src/strerror.c core/include/rbs.h
	@mkdir -p $(@D)
	$(CC) $(CSTD) $(WARN) -O1 $(CORE_INC) scripts/errors-table.c core/src/strerror.c -o $(WASM_DIR)/errors-table
	$(WASM_DIR)/errors-table > $@

dist/index.js: $(WORKER_JS) $(WORKER_DTS) $(DIST_GENERATED) scripts/build-dist.mjs mk/wasm.mk node_modules/.package-lock.json
	node scripts/build-dist.mjs

# Under c8: the coverage of worker/ (through dist's source maps) for
# test-coverage (mk/coverage.mk).
C8 := node_modules/.bin/c8 --reporter=json-summary --report-dir=$(BUILD)/coverage/worker \
  --temp-directory=$(BUILD)/coverage/v8

## test-node: node:test suites in tests/node (across worker_threads), against dist/
test-node: build
	@rm -rf $(BUILD)/coverage/v8 $(BUILD)/coverage/worker
	$(C8) node --test --test-reporter=spec $(NODE_TESTS)

TEST_TARGETS += test-node
