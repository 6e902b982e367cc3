# The npm package as its users get it:
#   make test-size       what each way of importing it costs in a user's bundle
#                        (scripts/size-check.mjs: the table every run, ringbuf.js
#                        beside it; fails over a budget or on top-level code)
#   make test-consumers  `npm pack`'s tarball installed offline into the fixture
#                        apps of tests/consumers (esbuild, Vite, TypeScript strict,
#                        ...), each built with its own tool and run in Chromium or Node

.PHONY: test-size test-consumers

## test-size: bundle sizes of dist/ per import (esbuild --minify, gzip -9) against the budgets
test-size: build
	node scripts/size-check.mjs

TEST_TARGETS += test-size

## test-consumers: the packed package in fixture apps (esbuild, Vite, TypeScript, ...), run in Chromium/Node
test-consumers: build
	node tests/consumers/run.mjs

TEST_TARGETS += test-consumers
