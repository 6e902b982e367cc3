# Shared settings: compilers, warnings, output folders.
CC ?= cc
CLANG ?= clang
BUILD := build
CSTD := -std=c11
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wcast-align
CORE_INC := -Icore/include
CORE_SRC := $(wildcard core/src/*.c)
# The blocking calls (rbs.h, "Waiting, and knowing the other side is alive")
# need a clock and a sleep: native builds and C programs have them, the
# library's own rbs.wasm (imports nothing but its memory) does not.
CORE_BLOCKING_SRC := core/src/clock.c core/src/liveness.c core/src/wait_sleep.c
CORE_HDR := core/include/rbs.h $(wildcard core/src/*.h)
NPROC := $(shell nproc 2>/dev/null || echo 2)
