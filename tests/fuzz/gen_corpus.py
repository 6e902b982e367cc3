#!/usr/bin/env python3
"""gen_corpus.py -- writes the seed corpus (tests/fuzz/corpus/*) for fuzz_ring.

Each seed is a small program in fuzz_ring's input format (see fuzz_ring.c and
README.md), built with the encoder below so that a seed says what it does.
Together they reach every op of every kind (through the C API and through the
rbs_wasm_* entry points), the wrap of the buffer, the wrap of the 32-bit
counters, every refusal code, the wake protocol, and the hostile ops (forged
meta lines, scratch and private-line scribbles); the fuzzer mutates from
there.  Run it again after changing the input format:

    python3 tests/fuzz/gen_corpus.py tests/fuzz/corpus
"""
import os
import struct
import sys

# Op indexes: the tables in fuzz_ring.c, in order.
BYTES_OPS = ["write", "write_all", "reserve", "commit", "read", "read_all", "peek", "skip",
             "acquire", "release", "close", "query", "null", "header", "wake", "wasm"]
MSG_OPS = ["send", "recv", "peek_size", "reserve", "commit", "acquire", "release", "msg_query",
           "close", "query", "null", "header", "wake", "wasm"]
AUDIO_OPS = ["write", "write_il", "read", "silence", "prefill", "audio_query", "close", "query",
             "null", "header", "wake", "wasm"]
# The ops the wasm op drives through the rbs_wasm_* calls (fuzz_common.c).
WASM_OPS = {"bytes": BYTES_OPS[:12],
            "msg": ["send", "recv", "peek_size", "reserve", "commit", "acquire", "release",
                    "close", "query"],
            "audio": AUDIO_OPS[:8]}
ANY_OPS = ["write", "write_all", "reserve", "commit", "read", "read_all", "peek", "skip",
           "acquire", "release", "msg_send", "msg_recv", "msg_peek_size", "msg_reserve",
           "msg_commit", "msg_acquire", "msg_release", "msg_query", "audio_write",
           "audio_write_il", "audio_read", "audio_silence", "audio_prefill", "audio_query"]
KINDS = {"bytes": 0, "msg": 1, "audio": 2}
RATES = [48000, 44100, 8000, 96000, 1, 1536000, 22050, 192000]
HDR = {"disturb": 0, "meta": 1, "heal": 2, "rebase": 3, "reinit": 4, "scribble": 5, "forge": 6,
       "scratch": 7, "reinit_wasm": 8}

# Header offsets (rbs.h, ABI version 2) of lines 1..4 (disturb) / the meta line.
OFF = {"write": 64, "closed": 68, "overruns": 72, "frames_written": 76, "consumer_wake": 88,
       "consumer_waiters": 92, "read": 128, "underruns": 132, "frames_read": 136,
       "audio_started": 140, "producer_wake": 152, "cached_read": 192, "reserved": 196,
       "producer_scratch": 224, "cached_write": 256, "acquired": 260, "consumer_scratch": 288}
META = {"magic": 0, "abi": 4, "header_size": 8, "capacity": 12, "kind": 16, "channels": 20,
        "rate": 24, "frame_bytes": 28, "check": 32, "pad": 40}


def kind_byte(kind, channels=1, rate=48000):
    return KINDS[kind] | ((channels - 1) & 7) << 2 | RATES.index(rate) << 5


class Prog:
    def __init__(self, cap, kind, channels=1, rate=48000, bad_cap=None):
        n = {16 << i: i for i in range(9)}[cap]
        # an invalid capacity first (low nibble 9..15), then the real one
        first = n if bad_cap is None else (9 + bad_cap) | (n << 4)
        self.b = bytearray([first, kind_byte(kind, channels, rate)])
        self.kind = kind
        self.cap = cap

    def op(self, name, *args):
        table = {"bytes": BYTES_OPS, "msg": MSG_OPS, "audio": AUDIO_OPS}[self.kind]
        if name in table:
            self.b.append(table.index(name))
        else:
            self.b += bytes([0xF0, ANY_OPS.index(name)])
        for a in args:
            self.b += a
        return self

    def wasm(self, name, *args, stride=None):
        """One of the kind's ops through the rbs_wasm_* calls; audio ops take a stride byte."""
        table = {"bytes": BYTES_OPS, "msg": MSG_OPS, "audio": AUDIO_OPS}[self.kind]
        self.b += bytes([table.index("wasm"), WASM_OPS[self.kind].index(name)])
        if self.kind == "audio":
            self.b.append(stride)
        for a in args:
            self.b += a
        return self

    def kind_is(self, kind):
        self.kind = kind
        return self


# Argument encoders (fz_len, fz_len_near, in_frames, in_value in fuzz_*.c).
def small(n):
    assert n < 64
    return bytes([n])


def length(n, cap):
    return bytes([n]) if n < 64 else bytes([0x40]) + struct.pack("<H", n)


def over(d):  # cap + d - 2
    return bytes([0x80 | d])


def huge(i):
    return bytes([0xC0 | i])


def near(d=0, more=False):  # ref - d, ref, ref + 1 + d
    if more:
        return bytes([0x80 | d])
    return bytes([0x40]) if d == 0 else bytes([d])


def any_len(len_bytes):  # fz_len_near's last case: any length, encoded as for fz_len
    return bytes([0xC0]) + len_bytes


def frames(n):
    return bytes([n]) if n < 64 else bytes([0x40]) + struct.pack("<H", n)


def value_raw(v):
    return bytes([0]) + struct.pack("<I", v & 0xFFFFFFFF)


def value_delta(d):
    return bytes([1, d & 0xFF])


def value_edge(i):
    return bytes([3 | i << 2])


def q(i):
    return bytes([i])


def close():
    return bytes([0xFF])


def disturb(off, val):
    return bytes([HDR["disturb"], (off - 64) // 4]) + val


def meta(off, val):
    return bytes([HDR["meta"], off // 4]) + val


def heal():
    return bytes([HDR["heal"]])


def rebase(base):
    return bytes([HDR["rebase"]]) + struct.pack("<I", base)


def reinit(kind, channels=1, rate=48000):
    return bytes([HDR["reinit"], kind_byte(kind, channels, rate)])


def scribble_at_read(edge):  # one of the message-edge lengths, at the read position
    return bytes([HDR["scribble"], 0 | 4 | edge << 3])


def scribble_anywhere(pos, val):
    return bytes([HDR["scribble"], 2]) + struct.pack("<H", pos) + val


def reinit_wasm(kind, channels=1, rate=48000):
    return bytes([HDR["reinit_wasm"], kind_byte(kind, channels, rate)])


def forge(log2, kind, channels=1, rate=48000, meta_only=False, back=0, fill=0, caches=False,
          zero_copy=False):
    """A genuine meta line of a ring of 2^log2 bytes; unless meta_only, read `back` words before
    its end and write `fill` ahead (0: empty, 1: to the end, 2: the view's capacity, 3: nearly
    the forged capacity), the caches and zero-copy words to match if asked."""
    a = (log2 - 4) | (0x80 if meta_only else 0)
    c = back | fill << 4 | (0x40 if caches else 0) | (0x80 if zero_copy else 0)
    return bytes([HDR["forge"], a, kind_byte(kind, channels, rate), c])


def forge_computed(kind, channels, rate=None, cap=None, log2=10, bad_frame=False, back=0,
                   fill=0):
    """A meta line no init writes (any kind 0..7, capacity word, channels, frame bytes, rate or
    none) with the check word computed to match; counters moved as for forge()."""
    a = 0x40 | (0x20 if cap is not None else (log2 - 4))
    b = kind | RATES.index(rate if rate is not None else 48000) << 5
    d = channels | (0x40 if bad_frame else 0) | (0x80 if rate is None else 0)
    out = bytes([HDR["forge"], a, b, back | fill << 4, d])
    return out + (struct.pack("<I", cap) if cap is not None else b"")


def scratch(private=False):
    return bytes([HDR["scratch"], 1 if private else 0])


def wake(side, action):  # side: consumer / producer; action: wake, begin (a wait), end
    return bytes([{"consumer": 0, "producer": 1}[side] |
                  {"wake": 0, "begin": 1, "end": 2}[action] << 1])


# wasm audio strides (fz_stride): the ring's frames, tight, short by k, k
STRIDE_RING, STRIDE_TIGHT = 0, 1


def stride_short(k):
    return 2 | k << 2


def stride_small(k):
    return 3 | k << 2


def seeds():
    s = {}

    # --- bytes ------------------------------------------------------------
    p = Prog(16, "bytes")
    for n in (10, 7, 13, 3, 16, 1):  # around the buffer several times
        p.op("write", small(n)).op("read", small(n))
    p.op("write_all", small(9)).op("peek", small(4)).op("skip", small(3)).op("read_all", small(6))
    s["bytes_basic"] = p

    p = Prog(64, "bytes")
    p.op("write", small(40)).op("read", small(40))  # counters at 40: the next 50 wrap
    p.op("reserve", small(50)).op("commit", near()).op("acquire", small(50)).op("release", near())
    p.op("reserve", small(30)).op("commit", near(1, more=True)).op("commit", near(5))
    p.op("acquire", small(60)).op("release", near(0, more=True)).op("release", near(2))
    s["bytes_spans_wrap"] = p

    p = Prog(32, "bytes")
    p.op("write_all", length(32, 32)).op("write", small(1)).op("write_all", small(1))
    p.op("reserve", small(5)).op("read_all", over(3)).op("read_all", length(32, 32))
    p.op("read", small(1)).op("read_all", small(1)).op("query", q(0)).op("query", q(1))
    s["bytes_full_empty"] = p

    p = Prog(64, "bytes")
    p.op("write", small(20)).op("reserve", small(10)).op("write", small(40))
    p.op("commit", near())  # the space went to rbs_write meanwhile: refused
    p.op("acquire", small(30)).op("read", small(25)).op("release", near())
    s["bytes_misuse"] = p

    p = Prog(32, "bytes")
    p.op("write", small(5)).op("close", close()).op("write", small(1)).op("write_all", small(1))
    p.op("reserve", small(1)).op("commit", near()).op("read", small(3)).op("read_all", small(5))
    p.op("peek", small(9)).op("read", small(9)).op("read", small(9)).op("skip", small(1))
    p.op("acquire", small(1)).op("query", q(2))
    s["bytes_close"] = p

    p = Prog(256, "bytes")
    for i in range(8):
        p.op("write", huge(i)).op("peek", huge(i)).op("read", huge(i))
    p.op("write_all", huge(0)).op("read_all", huge(1)).op("reserve", huge(2))
    p.op("commit", near()).op("acquire", huge(3)).op("release", near()).op("skip", huge(4))
    s["bytes_huge_lengths"] = p

    p = Prog(64, "bytes")
    p.op("header", rebase(0xFFFFFFC0))  # 64 bytes before the 32-bit wrap
    for n in (50, 30, 60, 64, 7):
        p.op("write", small(n) if n < 64 else length(n, 64)).op("read_all", small(n) if n < 64 else length(n, 64))
    p.op("reserve", small(40)).op("commit", near()).op("acquire", small(40)).op("release", near())
    s["bytes_counter_wrap"] = p

    p = Prog(128, "bytes")
    p.op("write", small(50)).op("header", disturb(OFF["write"], value_edge(4)))  # write = cap + 1
    for name in BYTES_OPS[:10]:
        p.op(name, small(20))
    p.op("query", q(0)).op("query", q(4)).op("header", reinit("bytes"))
    p.op("write", small(9)).op("header", disturb(OFF["read"], value_delta(-3)))
    p.op("read", small(9)).op("header", disturb(OFF["reserved"], value_raw(0xFFFFFF00)))
    p.op("commit", any_len(huge(0))).op("header", disturb(OFF["acquired"], value_raw(1000)))
    p.op("release", any_len(small(60)))
    s["bytes_hostile_counters"] = p

    p = Prog(64, "bytes")
    p.op("write", small(10)).op("header", meta(META["capacity"], value_edge(5)))  # 2 * cap
    p.op("write", small(5)).op("read", small(5)).op("query", q(3)).op("query", q(4))
    p.op("header", heal()).op("read", small(10)).op("header", meta(META["abi"], value_delta(1)))
    p.op("write", small(3)).op("query", q(4)).op("header", meta(META["check"], value_delta(1)))
    p.op("read", small(3)).op("header", meta(META["pad"], value_raw(7))).op("read", small(3))
    s["bytes_meta_line"] = p

    p = Prog(64, "bytes")
    for i in range(len(ANY_OPS)):
        p.b += bytes([0xF0, i, 5, 5, 5])
    s["bytes_wrong_kind"] = p

    p = Prog(64, "bytes")
    for i in range(18):  # 10, 13, 16 and 17 take one more byte: which variant
        p.op("null", q(i), q(i & 1) if i in (10, 13, 16, 17) else b"")
    p.op("null", q(16), q(1)).op("null", q(17), q(1))
    s["bytes_null_args"] = p

    for i in range(7):
        p = Prog(16 << (i % 9), "bytes", bad_cap=i)
        p.op("write", small(5)).op("read", small(5))
        s["init_bad_capacity_%d" % i] = p

    # --- messages -----------------------------------------------------------
    p = Prog(64, "msg")
    p.op("send", small(5)).op("send", small(0)).op("peek_size").op("recv", near())
    p.op("recv", near()).op("recv", near()).op("msg_query")
    s["msg_basic"] = p

    p = Prog(64, "msg")
    for _ in range(4):  # a 20-byte message takes 24: the third needs a padding frame
        p.op("send", small(20)).op("recv", near())
    for n in (1, 2, 3, 28, 13):
        p.op("send", small(n)).op("send", small(n)).op("recv", near()).op("recv", near())
    s["msg_wrap_padding"] = p

    p = Prog(64, "msg")
    p.op("reserve", small(20)).op("commit", near(7)).op("recv", near())
    p.op("reserve", small(20)).op("commit", near(0, more=True)).op("commit", near())
    p.op("recv", near())  # empty, both counters at 44: 20 bytes to the end
    p.op("reserve", small(24)).op("commit", near(20))  # at 0, by the reserved size
    p.op("reserve", small(8)).op("send", small(4)).op("commit", near())  # the send voids it
    p.op("recv", near()).op("recv", near()).op("recv", near())
    s["msg_reserve_commit"] = p

    p = Prog(128, "msg")
    p.op("send", small(10)).op("send", small(11)).op("acquire").op("acquire").op("release")
    p.op("release").op("acquire").op("recv", near()).op("release").op("acquire")
    for _ in range(6):
        p.op("send", small(30)).op("acquire").op("release")
    s["msg_acquire_release"] = p

    p = Prog(64, "msg")
    p.op("send", small(28)).op("send", small(29)).op("send", over(0))  # max, max + 1, cap
    p.op("recv", near(1)).op("recv", any_len(huge(0))).op("send", huge(1)).op("reserve", small(29))
    p.op("send", small(28)).op("send", small(28)).op("recv", near(0, more=True))
    s["msg_sizes"] = p

    p = Prog(64, "msg")
    p.op("send", small(3)).op("reserve", small(2)).op("close", close()).op("send", small(1))
    p.op("commit", near()).op("reserve", small(1)).op("peek_size").op("recv", near())
    p.op("recv", near()).op("peek_size").op("acquire").op("release")
    s["msg_close"] = p

    p = Prog(64, "msg")
    for _ in range(3):
        p.op("send", small(12)).op("recv", near())  # read and write at 48
    p.op("send", small(12)).op("send", small(12))  # a frame at 48, one at 0: used 32
    p.op("header", scribble_at_read(4))  # length cap - 48 - 3: its frame would cross the end
    p.op("peek_size").op("recv", any_len(huge(0))).op("acquire").op("release")
    s["msg_forged_length_crossing_end"] = p

    p = Prog(128, "msg")
    p.op("send", small(40)).op("send", small(20))
    p.op("header", scribble_at_read(8))  # RBS_MSG_PADDING at the read position
    p.op("recv", any_len(huge(0))).op("header", reinit("msg")).op("send", small(40))
    p.op("header", scribble_at_read(0)).op("recv", any_len(huge(0)))  # cap / 2 - 4
    p.op("header", reinit("msg")).op("send", small(8))
    p.op("header", scribble_at_read(6)).op("acquire").op("release")  # used - 4
    p.op("header", reinit("msg")).op("send", small(8)).op("send", small(8))
    p.op("header", disturb(OFF["write"], value_delta(2))).op("recv", any_len(huge(0))).op("send", small(1))
    p.op("header", disturb(OFF["acquired"], value_raw(6))).op("release")
    p.op("header", disturb(OFF["reserved"], value_raw(100))).op("commit", any_len(small(20)))
    s["msg_hostile"] = p

    # --- audio --------------------------------------------------------------
    p = Prog(256, "audio", channels=2)
    p.op("write", frames(10), b"\x00").op("read", frames(10), b"\x00")
    p.op("write_il", frames(20)).op("silence", frames(30), b"\x00")  # 10 frames of underrun
    p.op("write", frames(40), b"\x00")  # room for 32: 8 frames of overrun
    p.op("audio_query", q(0)).op("audio_query", q(1)).op("audio_query", q(2))
    p.op("audio_query", q(4)).op("read", frames(50), b"\x00")
    s["audio_stereo"] = p

    p = Prog(64, "audio", channels=3)  # 12-byte frames: 5 frames, 4 bytes spare
    for n in (3, 4, 2, 5, 1, 4):
        p.op("write", frames(n), b"\x00").op("read", frames(n), b"\x00")
        p.op("write_il", frames(n)).op("silence", frames(n), b"\x00")
    s["audio_3ch_straddle"] = p

    p = Prog(128, "audio", channels=5, rate=44100)
    for n in (4, 6, 3, 6, 5):
        p.op("write_il", frames(n)).op("read", frames(n), b"\x00")
    p.op("header", rebase(0xFFFFFF80))
    for n in (6, 6, 2):
        p.op("write", frames(n), b"\x00").op("silence", frames(n + 1), b"\x00")
    s["audio_5ch_counter_wrap"] = p

    p = Prog(256, "audio", channels=1)
    p.op("write", frames(4), b"\x00").op("prefill", frames(8), frames(16), b"\x00")
    p.op("audio_query", q(3)).op("write", frames(4), b"\x00")
    p.op("prefill", frames(8), frames(3), b"\x00").op("prefill", frames(8), frames(16), b"\x00")
    p.op("audio_query", q(3)).op("prefill", frames(0xC0), frames(5), b"\x00")
    s["audio_prefill"] = p

    p = Prog(128, "audio", channels=2)
    p.op("write", frames(5), b"\x00").op("close", close()).op("write", frames(1), b"\x00")
    p.op("silence", frames(8), b"\x00").op("silence", frames(8), b"\x00")
    p.op("read", frames(1), b"\x00").op("prefill", frames(4), frames(4), b"\x00")
    p.op("audio_query", q(4))
    s["audio_close"] = p

    p = Prog(128, "audio", channels=2)
    p.op("write", frames(3), b"\xf0").op("write", frames(3), b"\xf3").op("read", frames(3), b"\xf9")
    p.op("silence", frames(3), b"\xf7").op("silence", frames(3), b"\xff")
    p.op("write", huge(0), b"\x00").op("read", huge(1), b"\x00").op("write_il", huge(2))
    s["audio_bad_channels_huge_frames"] = p

    p = Prog(16, "audio", channels=8)  # one 8-channel frame is 32 bytes: refused, 4 channels
    p.op("write", frames(1), b"\x00").op("read", frames(1), b"\x00").op("write_il", frames(2))
    s["audio_frame_bigger_than_ring"] = p

    p = Prog(128, "audio", channels=2)
    p.op("write", frames(6), b"\x00").op("header", disturb(OFF["write"], value_delta(4)))
    p.op("read", frames(6), b"\x00").op("silence", frames(6), b"\x00").op("write", frames(2), b"\x00")
    p.op("header", reinit("audio", 3)).op("write", frames(3), b"\x00")
    p.op("header", disturb(OFF["read"], value_delta(2))).op("silence", frames(4), b"\x00")
    p.op("header", reinit("audio", 2)).op("header", meta(META["frame_bytes"], value_delta(4)))
    p.op("silence", frames(4), b"\x00").op("audio_query", q(2)).op("header", heal())
    p.op("write", frames(2), b"\x00")  # a hostile producer rewrites an unread sample: just data
    p.op("header", scribble_anywhere(4, value_raw(0x7FC00001))).op("read", frames(2), b"\x00")
    s["audio_hostile"] = p

    # --- kinds in turn ------------------------------------------------------
    p = Prog(512, "bytes")
    p.op("write", small(33)).op("header", reinit("msg")).kind_is("msg").op("send", small(9))
    p.op("write", small(3)).op("recv", near()).op("header", reinit("audio", 7, 96000))
    p.kind_is("audio").op("write", frames(9), b"\x00").op("msg_send", small(2))
    p.op("read", frames(9), b"\x00").op("header", reinit("bytes")).kind_is("bytes")
    p.op("write", small(3)).op("audio_read", frames(1), b"\x00").op("read", small(3))
    s["reinit_every_kind"] = p

    # --- forged meta lines ----------------------------------------------------
    p = Prog(64, "bytes")
    p.op("write", small(20)).op("read", small(4))
    p.op("header", forge(20, "bytes", back=3, fill=2, caches=True))  # 2^20, full as the view sees
    for name in BYTES_OPS[:10]:
        p.op(name, small(40))
    for i in range(6):
        p.op("query", q(i))
    p.wasm("reserve", small(40)).wasm("commit", near()).wasm("acquire", small(40))
    p.wasm("release", near()).wasm("query", q(4)).op("header", reinit("bytes"))
    p.op("write", small(9)).op("header", forge(30, "msg", meta_only=True))  # counters untouched
    p.op("read", small(5)).op("read", small(9)).op("write_all", length(64, 64)).op("query", q(0))
    p.op("query", q(3)).op("query", q(4)).op("header", heal()).op("read", small(9))
    s["bytes_forged_larger"] = p

    p = Prog(4096, "bytes")
    p.op("write", small(30)).op("header", forge(4, "bytes", back=1, fill=1))  # a 16-byte ring
    p.op("query", q(4)).op("write", length(100, 4096)).op("read", length(100, 4096))
    p.op("header", forge(5, "audio", channels=3, back=2, fill=0, zero_copy=True))
    p.op("query", q(4)).op("commit", any_len(small(8))).op("release", any_len(small(8)))
    s["bytes_forged_smaller"] = p

    p = Prog(256, "msg")
    p.op("send", small(20)).op("send", small(30)).op("recv", near())
    p.op("header", forge(24, "msg", back=5, fill=3, caches=True, zero_copy=True))
    for name in ("recv", "peek_size", "acquire", "release", "reserve", "commit", "send"):
        p.op(name, any_len(small(20)) if name in ("recv", "commit") else
             small(20) if name in ("reserve", "send") else b"")
    p.wasm("reserve", small(8)).wasm("commit", near()).wasm("acquire").wasm("release")
    p.wasm("recv", any_len(small(40))).op("query", q(4)).op("header", reinit("msg"))
    p.op("send", small(12)).op("header", forge(12, "audio", channels=2, meta_only=True))
    p.op("recv", near()).op("recv", near()).op("peek_size").op("send", length(200, 256))
    s["msg_forged"] = p

    p = Prog(512, "audio", channels=2)
    p.op("write", frames(20), b"\x00").op("read", frames(5), b"\x00")
    p.op("header", forge(16, "audio", channels=8, back=7, fill=3, caches=True))
    p.op("read", frames(30), b"\x00").op("silence", frames(30), b"\x00")
    p.op("prefill", frames(10), frames(20), b"\x00").op("write", frames(30), b"\x00")
    p.op("write_il", frames(30)).op("audio_query", q(0)).op("audio_query", q(1))
    p.op("audio_query", q(3)).op("query", q(4))
    p.wasm("write", frames(30), b"\x00", stride=STRIDE_RING)
    p.wasm("read", frames(30), b"\x00", stride=STRIDE_TIGHT)
    p.op("header", reinit("audio", 2)).op("header", forge(9, "audio", channels=2, rate=44100,
                                                          meta_only=True))
    p.op("write", frames(4), b"\x00").op("read", frames(4), b"\x00").op("read", frames(4), b"\x00")
    p.op("query", q(3)).op("audio_query", q(4)).op("query", q(4))
    s["audio_forged"] = p

    p = Prog(256, "bytes")  # meta lines with a valid check word that no init writes
    p.op("write", small(10))
    for line in (forge_computed(1, 2), forge_computed(7, 0), forge_computed(3, 2, rate=48000,
                                                                            bad_frame=True),
                 forge_computed(3, 40, rate=8000), forge_computed(3, 1),  # no rate
                 forge_computed(3, 1, rate=48000), forge_computed(3, 1, rate=48000, log2=6),
                 forge_computed(1, 0, cap=1000), forge_computed(2, 0, cap=0),
                 forge_computed(1, 0, log2=8, fill=1)):
        p.op("header", line).op("query", q(4)).op("query", q(3)).op("read", small(5))
    s["forged_computed_shapes"] = p

    # --- stray meta words --------------------------------------------------------
    p = Prog(128, "audio", channels=2)  # the rate only rbs_check compares
    p.op("write", frames(4), b"\x00").op("header", meta(META["rate"], value_delta(1)))
    p.op("audio_query", q(0)).op("query", q(3)).op("read", frames(8), b"\x00")
    p.op("read", frames(8), b"\x00").op("header", meta(META["check"], value_delta(3)))
    p.op("query", q(3)).op("query", q(4)).op("header", meta(META["header_size"], value_delta(64)))
    p.op("silence", frames(8), b"\x00").op("query", q(4))
    s["audio_meta_words"] = p

    p = Prog(64, "bytes")  # a stray ABI version: only rbs_attach and rbs_check report it
    p.op("header", meta(META["abi"], value_delta(1))).op("read", small(5)).op("query", q(0))
    p.op("query", q(3)).op("query", q(4))
    s["meta_version_check_only"] = p

    # --- scratch areas and private lines ----------------------------------------
    p = Prog(128, "bytes")
    p.op("header", scratch()).op("write", small(50)).wasm("reserve", small(40))
    p.op("header", scratch()).wasm("commit", near()).wasm("acquire", small(60))
    p.op("header", scratch()).wasm("release", near(3)).op("header", scratch(private=True))
    for name in BYTES_OPS[:10]:
        p.op(name, small(30))
    p.wasm("reserve", small(30)).wasm("acquire", small(30)).op("query", q(3))
    s["scratch_scribble"] = p

    p = Prog(256, "msg")
    p.op("send", small(10)).op("header", disturb(OFF["producer_scratch"] + 4, value_raw(999)))
    p.op("header", disturb(OFF["closed"], value_raw(7))).op("send", small(3))
    p.op("header", disturb(OFF["closed"], value_raw(0))).op("header", disturb(OFF["overruns"],
                                                                              value_raw(5)))
    p.op("header", disturb(OFF["consumer_waiters"], value_raw(1))).wasm("send", small(4))
    p.op("recv", near()).op("header", scratch(private=True)).wasm("acquire").wasm("release")
    s["stray_words_taken"] = p

    # --- the wasm entry points ---------------------------------------------------
    p = Prog(64, "bytes")
    for n in (10, 30, 50):  # around the buffer, spans wrapping
        p.wasm("write", small(n)).wasm("peek", small(n)).wasm("read", small(n))
    p.wasm("write_all", small(40)).wasm("write_all", small(40)).wasm("read_all", small(50))
    p.wasm("skip", small(5)).wasm("reserve", small(60)).wasm("commit", near(2))
    p.wasm("acquire", small(60)).wasm("release", near()).wasm("write", huge(0))
    p.wasm("read", huge(1)).wasm("reserve", huge(2)).wasm("commit", near(0, more=True))
    for i in range(6):
        p.wasm("query", q(i))
    p.wasm("close", close()).wasm("write", small(1)).wasm("read", small(60)).wasm("read", small(1))
    s["wasm_bytes"] = p

    p = Prog(64, "msg")
    p.wasm("send", small(5)).wasm("send", small(0)).wasm("peek_size").wasm("recv", near())
    p.wasm("acquire").wasm("release").wasm("recv", near())
    for _ in range(3):
        p.wasm("reserve", small(20)).wasm("commit", near(3)).wasm("recv", near())
    p.wasm("send", small(12)).wasm("send", small(16)).wasm("recv", near()).wasm("recv", near())
    # both counters at 60: 4 bytes to the end
    p.wasm("reserve", small(0)).wasm("commit", near())  # an empty payload at position 64
    p.wasm("acquire").wasm("release").wasm("send", small(8)).wasm("send", huge(0))
    p.wasm("recv", any_len(huge(0))).wasm("query", q(3)).wasm("query", q(4))
    s["wasm_msg"] = p

    p = Prog(256, "audio", channels=3)
    for st in (STRIDE_RING, STRIDE_TIGHT, stride_short(3), stride_small(2), stride_small(0)):
        p.wasm("write", frames(9), b"\x00", stride=st).wasm("read", frames(9), b"\x00", stride=st)
        p.wasm("write_il", frames(5), stride=st).wasm("silence", frames(7), b"\x00", stride=st)
    p.wasm("prefill", frames(6), frames(4), b"\x00", stride=STRIDE_RING)
    p.wasm("write", frames(8), b"\x00", stride=STRIDE_RING)
    p.wasm("prefill", frames(6), frames(4), b"\x00", stride=STRIDE_RING)
    for i in range(4):
        p.wasm("audio_query", q(i), stride=STRIDE_RING)
    p.wasm("query", q(3), stride=STRIDE_RING).wasm("query", q(4), stride=STRIDE_RING)
    s["wasm_audio"] = p

    p = Prog(64, "bytes")
    p.op("header", reinit_wasm("msg")).kind_is("msg").op("send", small(6)).wasm("recv", near())
    p.op("header", reinit_wasm("audio", 5, 8000)).kind_is("audio")
    p.wasm("write", frames(2), b"\x00", stride=STRIDE_RING).op("read", frames(2), b"\x00")
    p.op("header", reinit_wasm("bytes")).kind_is("bytes").wasm("write", small(3))
    s["reinit_wasm_every_kind"] = p

    # --- waking ------------------------------------------------------------------
    p = Prog(64, "bytes")
    p.op("wake", wake("consumer", "wake")).op("wake", wake("consumer", "begin"))
    p.wasm("write", small(5)).wasm("write", small(5))  # the first wakes it, once
    p.op("wake", wake("consumer", "wake")).op("wake", wake("consumer", "end"))
    p.op("wake", wake("consumer", "begin")).op("write", small(5))  # the C write does not wake
    p.op("wake", wake("consumer", "wake")).op("wake", wake("consumer", "wake"))
    p.op("wake", wake("producer", "begin")).wasm("read", small(3)).wasm("peek", small(3))
    p.wasm("acquire", small(3)).wasm("release", near()).op("wake", wake("producer", "end"))
    p.op("wake", wake("producer", "begin")).op("read", small(2)).op("wake", wake("producer", "wake"))
    p.op("close", close()).wasm("close", close())
    s["wake_protocol"] = p
    return s


def regressions():
    """Minimal inputs for behaviour reported as a bug; replayed by make test-fuzz."""
    s = {}
    # rbs_read between rbs_read_acquire and rbs_read_release: the release consumes 4 bytes
    # from the new read position, bytes no call handed out ("efg" of "abcdefghij").
    p = Prog(64, "bytes")
    p.op("write", small(10)).op("acquire", small(4)).op("read", small(3))
    p.op("release", near()).op("read", small(16))
    s["bytes_read_between_acquire_and_release"] = p
    # rbs_write between rbs_write_reserve and rbs_write_commit: the commit publishes 4 bytes
    # from the new write position, two of them never written by the caller.
    p = Prog(64, "bytes")
    p.op("write", small(10)).op("read", small(10)).op("reserve", small(4)).op("write", small(2))
    p.op("commit", near()).op("read", small(16))
    s["bytes_write_between_reserve_and_commit"] = p
    # A prefill read still filling up on a rewritten capacity word answered 0, not RBS_ECORRUPT
    # (the one call that found nothing to do without looking at the meta line).
    p = Prog(128, "audio", channels=2)
    p.op("header", meta(META["capacity"], value_edge(5))).op("prefill", frames(4), frames(0),
                                                            b"\x00")
    s["audio_prefill_on_rewritten_meta"] = p
    return s


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "corpus")
    os.makedirs(out, exist_ok=True)
    for name, prog in sorted(seeds().items()):
        with open(os.path.join(out, name), "wb") as fh:
            fh.write(bytes(prog.b))
    os.makedirs(os.path.join(out, "regressions"), exist_ok=True)
    for name, prog in sorted(regressions().items()):
        with open(os.path.join(out, "regressions", name), "wb") as fh:
            fh.write(bytes(prog.b))
    print("wrote %d seeds and %d regressions to %s" % (len(seeds()), len(regressions()), out))


if __name__ == "__main__":
    main()
