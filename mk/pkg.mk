# The npm package as its users get it:
#   make test-size       what each way of importing it costs in a user's bundle
#                        (scripts/size-check.mjs: the table every run, ringbuf.js
#                        beside it; fails over a budget or on top-level code)

.PHONY: test-size

## test-size: bundle sizes of dist/ per import (esbuild --minify, gzip -9) against the budgets
test-size: build
	node scripts/size-check.mjs

TEST_TARGETS += test-size
