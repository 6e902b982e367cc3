# Shared settings: compilers, warnings, output folders.
CC ?= cc
CLANG ?= clang
BUILD := build
CSTD := -std=c11
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wcast-align
CORE_INC := -Icore/include
CORE_SRC := $(wildcard core/src/*.c)
CORE_HDR := core/include/rbs.h $(wildcard core/src/*.h)
NPROC := $(shell nproc 2>/dev/null || echo 2)
