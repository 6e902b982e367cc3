# The demo page and its end-to-end tests:
#   make demo         build, then serve the demo on http://127.0.0.1:8080 (PORT=, HOST= to change)
#   make test-server  node:test unit tests of the demo server
#   make test-e2e     the browser suites (playwright.config.js) in Chromium, Firefox ESR and
#                     WebKitGTK, all from Debian, under e2e/engines/services.sh (PulseAudio,
#                     Xvfb, WebKitWebDriver, stopped by PID however the run ends); E2E_ENGINES=
#                     picks engines ("chromium firefox webkit"), E2E_PORT= moves every port;
#                     screenshots land in test-results/screenshots/, whose absolute path is printed
# The library (dist/) comes from `build` in mk/wasm.mk; the page loads it at run time.
# esbuild bundles the page's own scripts (demo/main.js and one entry per Worker in
# demo/workers/) into build/demo/, which the server serves under /app/.

ESBUILD := node_modules/.bin/esbuild
PLAYWRIGHT := node_modules/.bin/playwright
DEMO_OUT := $(BUILD)/demo
DEMO_JS := $(filter-out demo/server.js,$(wildcard demo/*.js demo/*/*.js))
DEMO_ENTRIES := demo/main.js $(wildcard demo/workers/*.js)
E2E_SCREENSHOTS := $(CURDIR)/test-results/screenshots

.PHONY: demo demo-bundle test-e2e test-server

$(DEMO_OUT)/main.js: $(DEMO_JS) mk/e2e.mk | node_modules/.package-lock.json
	@rm -rf $(DEMO_OUT)
	$(ESBUILD) $(DEMO_ENTRIES) --bundle --format=esm --target=chrome100 --sourcemap \
	  --outbase=demo --outdir=$(DEMO_OUT) --log-level=warning

## demo-bundle: bundle the demo page's scripts into build/demo/
demo-bundle: $(DEMO_OUT)/main.js

## demo: install, build, and serve the demo at http://127.0.0.1:8080 (PORT=8081 make demo)
demo: deps build demo-bundle
	node demo/server.js

## test-server: unit tests of the demo server (paths, headers, content types, signals)
test-server: | node_modules/.package-lock.json
	node --test tests/node/server_*.test.js

## test-e2e: the browser suites in Chromium, Firefox ESR and WebKitGTK (E2E_ENGINES="firefox" for one)
test-e2e: build demo-bundle
	@status=0; e2e/engines/services.sh $(PLAYWRIGHT) test --config=playwright.config.js || status=$$?; \
	echo "e2e screenshots: $(E2E_SCREENSHOTS)"; exit $$status

# tests/node/server_*.test.js also runs in test-node (mk/wasm.mk runs every
# tests/node/*.test.js), so only test-e2e joins `make test` from here.
TEST_TARGETS += test-e2e
