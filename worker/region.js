// region.js — one ring in a shared memory, as every JS API sees it: the
// thread's wasm instance, views of the memory, the header words, role claims,
// waiting and waking.  RingBuffer builds on it; MessagePipe and the audio
// stream build on it the same way (pass their kind and their C init call).
import * as L from './layout.js';
import { checkCount, describe, errorFor } from './errors.js';
import { HEARTBEAT_MS, PeerGoneError, startBeating, stopBeating } from './liveness.js';
import { createSharedMemory, getModuleSync, instantiate, isSharedMemory } from './wasm.js';

/** Where a ring starts in a memory the JS creates for it: above the module's
 *  static region (mk/wasm.mk checks that region ends at or below this). */
export const RING_OFFSET = 8192;

const HAS_WAIT_ASYNC = typeof Atomics.waitAsync === 'function';
// A pending Atomics.waitAsync does not keep Node's event loop alive: a worker
// whose only work is waiting for the other thread would exit.  In Node, a
// timer held for the duration of a wait keeps it alive.  Browsers need none
// (and an AudioWorkletGlobalScope has no timers, and never waits).
const HAS_TIMERS =
  typeof process === 'object' && process !== null && typeof process.versions?.node === 'string' &&
  typeof setTimeout === 'function' && typeof clearTimeout === 'function';
const KEEP_ALIVE_MS = 2 ** 31 - 1;
const noop = () => {};
const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();

// The words of each role, by role name: its claim, its heartbeat, the counter
// it moves, the count of its waiters.  `i` indexes the per-role arrays.
const ROLE_WORDS = {
  producer: {
    i: 0,
    owner: L.RBS_OFF_PRODUCER_OWNER,
    beat: L.RBS_OFF_PRODUCER_HEARTBEAT,
    counter: L.RBS_OFF_WRITE,
    waiting: L.RBS_OFF_PRODUCER_WAITING,
  },
  consumer: {
    i: 1,
    owner: L.RBS_OFF_CONSUMER_OWNER,
    beat: L.RBS_OFF_CONSUMER_HEARTBEAT,
    counter: L.RBS_OFF_READ,
    waiting: L.RBS_OFF_CONSUMER_WAITING,
  },
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A nonzero 31-bit token naming one JS object's claim on a role. */
export function newToken() {
  return ((Math.random() * 0x7fffffff) | 0) || 1;
}

/**
 * Checks a ring's byte offset in `memory`: a nonzero multiple of 64 that leaves
 * `need` bytes before the end of the memory.
 */
export function checkOffset(offset, memory, need, where, name) {
  const max = Math.floor((memory.buffer.byteLength - need) / L.RBS_LINE_SIZE) * L.RBS_LINE_SIZE;
  const range = `a multiple of 64 from 64 to ${max} (the ring's ${need} bytes must fit in the memory's ${memory.buffer.byteLength})`;
  if (typeof offset !== 'number') throw new TypeError(`${where}: ${name} must be a number, ${range}; got ${describe(offset)}`);
  if (!Number.isInteger(offset) || offset < 64 || offset > max || offset % L.RBS_LINE_SIZE !== 0)
    throw new RangeError(`${where}: ${name} must be ${range}; got ${offset}`);
  return offset;
}

export class RingRegion {
  /** @private use RingRegion.create or RingRegion.open */
  constructor(memory, offset, wasm, capacity, kind) {
    this.memory = memory;
    this.offset = offset;
    this.wasm = wasm; // this thread's instance's exports
    this.capacity = capacity;
    this.kind = kind;
    const buf = memory.buffer; // a shared buffer never detaches: these views stay valid
    this.buffer = buf;
    this.u8 = new Uint8Array(buf);
    this.u32 = new Uint32Array(buf);
    this.i32 = new Int32Array(buf);
    this.dataStart = offset + L.RBS_OFF_DATA;
    this.dataEnd = this.dataStart + capacity;
    this._handle = null;
    // Per role ([producer, consumer]), on this thread: the heartbeat entry of
    // a role this object beats, what to call when it finds the role taken
    // from it, and the last look at the role's words (see peerSilentMs).
    this._beats = [null, null];
    this._onLost = [null, null];
    this._seen = [null, null];
  }

  /**
   * Formats a new ring and opens it.  With no memory, a fixed-size shared
   * memory just big enough is made and the ring placed at RING_OFFSET.
   * @param {{capacity:number, kind:number, where:string, init:Function,
   *          memory?:WebAssembly.Memory, offset?:number}} o
   *   capacity: already a valid power of two; init(wasm, offset, regionSize,
   *   capacity) -> C code, e.g. (x, o, s, c) => x.rbs_init(o, s, c).
   */
  static create({ capacity, kind, where, init, memory, offset }) {
    const size = L.RBS_HEADER_SIZE + capacity;
    if (memory === undefined) {
      if (offset !== undefined)
        throw new TypeError(`${where}: options.offset needs options.memory (the memory to place the ring in)`);
      memory = createSharedMemory(RING_OFFSET + size);
      offset = RING_OFFSET;
    } else {
      if (!isSharedMemory(memory))
        throw new TypeError(`${where}: options.memory must be a shared WebAssembly.Memory; got ${describe(memory)}`);
      checkOffset(offset, memory, size, where, 'options.offset');
    }
    const wasm = instantiate(memory);
    const code = init(wasm, offset, memory.buffer.byteLength - offset, capacity);
    if (code < 0) throw errorFor(code, where, `a ring of capacity ${capacity} at offset ${offset}`);
    return new RingRegion(memory, offset, wasm, capacity, kind);
  }

  /**
   * Opens an existing ring from a handle ({memory, offset} at least), checking
   * it as rbs_attach does and, if the handle says so, its capacity and kind.
   * @param {object} target  ring.handle, or { memory, offset } of a ring C made
   * @param {{kind?:number, where:string}} o  kind: the kind the caller needs
   */
  static open(target, { kind, where }) {
    if (typeof target !== 'object' || target === null)
      throw new TypeError(`${where}: handle must be an object { memory, offset } such as ring.handle; got ${describe(target)}`);
    const { memory, offset, module } = target;
    if (!isSharedMemory(memory))
      throw new TypeError(`${where}: handle.memory must be a shared WebAssembly.Memory; got ${describe(memory)}`);
    checkOffset(offset, memory, L.RBS_HEADER_SIZE, where, 'handle.offset');
    if (module !== undefined && !(module instanceof WebAssembly.Module))
      throw new TypeError(`${where}: handle.module must be a WebAssembly.Module (or absent); got ${describe(module)}`);
    const wasm = instantiate(memory, module);
    const code = wasm.rbs_attach(offset, memory.buffer.byteLength - offset);
    if (code < 0) throw errorFor(code, where, `the ring at handle.offset ${offset}`);
    const capacity = wasm.rbs_capacity(offset);
    const actual = wasm.rbs_kind(offset);
    if (capacity < 0) throw errorFor(capacity, where, `the ring at handle.offset ${offset}`);
    if (actual < 0) throw errorFor(actual, where, `the ring at handle.offset ${offset}`);
    if (target.capacity !== undefined && target.capacity !== capacity)
      throw new RangeError(
        `${where}: handle.capacity ${describe(target.capacity)} does not match the ring at handle.offset ${offset} ` +
          `(capacity ${capacity}): the handle belongs to another ring`,
      );
    if (target.kind !== undefined && target.kind !== actual)
      throw new RangeError(
        `${where}: handle.kind ${describe(target.kind)} does not match the ring at handle.offset ${offset} ` +
          `(kind ${actual}): the handle belongs to another ring`,
      );
    if (kind !== undefined && actual !== kind)
      throw new TypeError(
        `${where}: the ring at handle.offset ${offset} is ${L.KIND_NAMES[actual]} (kind ${actual}); ` +
          `this call needs ${L.KIND_NAMES[kind]} (kind ${kind})`,
      );
    return new RingRegion(memory, offset, wasm, capacity, actual);
  }

  /** The structured-cloneable handle to post to the other thread. */
  get handle() {
    this._handle ??= Object.freeze({
      memory: this.memory,
      offset: this.offset,
      capacity: this.capacity,
      kind: this.kind,
      module: getModuleSync(),
      abiVersion: L.RBS_ABI_VERSION,
    });
    return this._handle;
  }

  /** Index into i32/u32 of the header word at byte offset `off`. */
  index(off) {
    return (this.offset + off) >>> 2;
  }

  /** Byte address of a role's scratch words (see layout.js). */
  scratch(role) {
    return this.offset + (role === 'producer' ? L.RBS_OFF_PRODUCER_SCRATCH : L.RBS_OFF_CONSUMER_SCRATCH);
  }

  /**
   * Claims `role` ('producer' or 'consumer') for `token` in the shared header.
   * Claiming again with the same token is harmless; a role another token holds
   * is refused with an Error that says so.  A new claim starts the role's
   * heartbeat on this thread's timer (liveness.js) unless opts.beat is false
   * (the worklet nodes: their processor beats in process()); opts.onLost is
   * called if a takeOver elsewhere later takes the role from this token.
   */
  claim(role, token, where, opts) {
    const w = ROLE_WORDS[role];
    const prev = Atomics.compareExchange(this.i32, this.index(w.owner), 0, token);
    if (prev !== 0 && prev !== token)
      throw new Error(
        `${where}: the ${role} role of this ring is already held by another instance ` +
          `(owner token ${prev >>> 0}); a ring has exactly one ${role}. Its holder gives it up with dispose(); ` +
          `one whose thread ended without that can be replaced by a claim with { takeOver: true }`,
      );
    if (prev === 0) this.#held(w, role, token, opts);
  }

  // A claim took effect: the heartbeat moves once now (a watcher sees the new
  // holder at once), then on the timer.
  #held(w, role, token, opts) {
    Atomics.add(this.i32, this.index(w.beat), 1);
    if (opts?.beat === false) return;
    stopBeating(this._beats[w.i]);
    this._beats[w.i] = startBeating(this, role, token);
    this._onLost[w.i] = opts?.onLost ?? null;
  }

  /** The timer's beat (liveness.js): moves the role's heartbeat while `token`
   *  holds it; false (and onLost called) once it does not. */
  beat(role, token) {
    const w = ROLE_WORDS[role];
    if (Atomics.load(this.i32, this.index(w.owner)) !== token) {
      const lost = this._onLost[w.i];
      this._beats[w.i] = null;
      this._onLost[w.i] = null;
      if (lost) lost();
      return false;
    }
    Atomics.add(this.i32, this.index(w.beat), 1);
    return true;
  }

  /** Moves `role`'s heartbeat once (a blocking wait's slice, a close, an
   *  audio call: where the timer may not run). */
  beatNow(role) {
    Atomics.add(this.i32, this.index(ROLE_WORDS[role].beat), 1);
  }

  /** Whether `token` holds `role` now. */
  holds(role, token) {
    return Atomics.load(this.i32, this.index(ROLE_WORDS[role].owner)) === token;
  }

  /**
   * Gives up `role` if `token` holds it: the owner word goes back to 0 (so
   * another instance may claim the role), the heartbeat stops.  Returns
   * whether it was held.
   */
  release(role, token) {
    const w = ROLE_WORDS[role];
    const e = this._beats[w.i];
    if (e !== null && e.token === token) {
      stopBeating(e);
      this._beats[w.i] = null;
      this._onLost[w.i] = null;
    }
    const held = Atomics.compareExchange(this.i32, this.index(w.owner), token, 0) === token;
    if (held) Atomics.add(this.i32, this.index(w.beat), 1);
    return held;
  }

  /**
   * Milliseconds `role` has been silent as this object watched it: since its
   * owner word, heartbeat or counter last changed between two looks (the
   * first look counts as a change).  -1 when the role is free.  Only the
   * role's holder writes those words, so the watcher's own work never counts.
   */
  peerSilentMs(role) {
    const w = ROLE_WORDS[role];
    const i32 = this.i32;
    const owner = Atomics.load(i32, this.index(w.owner));
    const beat = Atomics.load(i32, this.index(w.beat));
    const ctr = Atomics.load(i32, this.index(w.counter));
    const t = now();
    let o = this._seen[w.i];
    if (o === null) o = this._seen[w.i] = { owner, beat, ctr, at: t };
    else if (o.owner !== owner || o.beat !== beat || o.ctr !== ctr) {
      o.owner = owner;
      o.beat = beat;
      o.ctr = ctr;
      o.at = t;
    }
    return owner === 0 ? -1 : t - o.at;
  }

  /** Whether `role` is held and was heard from within `timeoutMs` (any
   *  holder counts when timeoutMs is Infinity: the watch is off). */
  alive(role, timeoutMs) {
    const s = this.peerSilentMs(role);
    return s >= 0 && (timeoutMs === Infinity || s < timeoutMs);
  }

  /**
   * Throws PeerGoneError when `role` is held and has been silent for
   * `timeoutMs` (Infinity: never).  A waiter calls it before each slice of
   * its wait, after finding that what it waits for is still not there
   * (`state`, e.g. 'the ring is empty').
   */
  checkPeer(role, timeoutMs, where, state) {
    if (timeoutMs === Infinity) return;
    const s = this.peerSilentMs(role);
    if (s >= timeoutMs) {
      const ms = Math.round(s);
      const ctr = role === 'producer' ? 'write' : 'read';
      throw new PeerGoneError(
        `${where}: the ${role} has been silent for ${ms} ms while ${state} (its heartbeat and the ${ctr} ` +
          `counter did not move, the ring is not closed): its thread has ended or hangs (peerTimeoutMs ${timeoutMs})`,
        role,
        ms,
        timeoutMs,
      );
    }
  }

  /**
   * Claims `role` for `token` even if another token holds it, provided that
   * holder stays silent (no heartbeat, no data moved) for `staleMs` while this
   * watches: for a holder whose thread ended without giving the role up.  A
   * holder heard from meanwhile is alive, and the claim is refused with an
   * Error.  Resolves with the displaced token (0 if the role was free).
   * What the dead holder had reserved or acquired and not committed or
   * released is dropped; its count of waiters is cleared.
   */
  async takeOver(role, token, where, staleMs, opts) {
    const w = ROLE_WORDS[role];
    const ownerIdx = this.index(w.owner);
    let since = null; // the look this watch started from
    for (;;) {
      const prev = Atomics.load(this.i32, ownerIdx);
      if (prev === 0 || prev === token) {
        this.claim(role, token, where, opts);
        return 0;
      }
      const s = this.peerSilentMs(role);
      const at = this._seen[w.i].at;
      if (since === null) since = at;
      else if (at !== since)
        throw new Error(
          `${where}: the ${role} role is held by a live instance (owner token ${prev >>> 0}, heard from ` +
            `${Math.round(s)} ms ago): takeOver takes only a role whose holder stays silent for ${staleMs} ms`,
        );
      if (s >= staleMs) {
        if (Atomics.compareExchange(this.i32, ownerIdx, prev, token) !== prev) continue;
        Atomics.store(this.i32, this.index(w.waiting), 0); // the dead holder's waiters are gone
        this.#held(w, role, token, opts);
        return prev >>> 0;
      }
      await sleep(Math.min(staleMs - s, HEARTBEAT_MS));
    }
  }

  /**
   * The spans the last reserve/acquire wrote to `scratch`, checked to lie in
   * the ring's data (the scratch words are in shared memory, so a faulty other
   * party could have changed them).  Returns the first span's start and sets
   * this.l0/p1/l1 for the rest, so no object is allocated.
   */
  spans(scratch, k, where) {
    const s = scratch >>> 2;
    const u32 = this.u32;
    const p0 = u32[s];
    const l0 = u32[s + 1];
    const p1 = u32[s + 2];
    const l1 = u32[s + 3];
    const ds = this.dataStart;
    if (
      p0 < ds ||
      l0 > this.dataEnd - p0 ||
      l0 + l1 !== k ||
      (l1 !== 0 && (p1 !== ds || l1 > p0 - ds))
    )
      throw errorFor(L.RBS_ECORRUPT, where, 'the spans handed out lie outside the ring');
    this.l0 = l0;
    this.p1 = p1;
    this.l1 = l1;
    return p0;
  }

  /** Wakes the side waiting on `wordOff` when the change it waits for moved
   *  that word itself (a counter: the producer's room wait on the read
   *  counter), only if its flag word says it waits (so a busy ring makes no
   *  notify calls). */
  notify(flagOff, wordOff) {
    if (Atomics.load(this.i32, this.index(flagOff)) !== 0) Atomics.notify(this.i32, this.index(wordOff));
  }

  /** Wakes the side waiting on wake word `wordOff` (one the change it waits
   *  for does not move by itself: the byte ring's consumer waits on the
   *  producer's heartbeat), only if its flag word says it waits: adds 1 to
   *  the word, so a waiter that loaded it before is not put to sleep by
   *  Atomics.wait's value check, then notifies it.  Call it after the change. */
  wake(flagOff, wordOff) {
    const i32 = this.i32;
    if (Atomics.load(i32, this.index(flagOff)) === 0) return;
    const w = this.index(wordOff);
    Atomics.add(i32, w, 1);
    Atomics.notify(i32, w);
  }

  /**
   * Waits until `ready()` or until the other side changes word `wordOff` (and
   * notifies it): the counter it moves (the read counter, for a producer
   * waiting for room), or a wake word it changes whenever it wakes this side
   * (the producer's heartbeat, for a consumer: a close moves no counter, so a
   * consumer waiting on the write counter would sleep through a close that
   * landed between its re-check and its wait).
   * No lost wake-up: we add to the flag, load the word, then re-check
   * ready().  The other side makes what ready() looks for true, and the word
   * changes with it or after it (the counter's move itself with notify(); an
   * add after it with wake(), or a close's beat); then it loads our flag and,
   * if set, notifies.  All of these are sequentially consistent (in wasm and
   * in Atomics), so if our re-check missed the change, our load of the word
   * came before the word changed and our flag was set before the other side
   * looked: it notifies, and Atomics.wait either returns at once (the word no
   * longer holds what we saw) or is in the queue when the notify comes.  Other
   * changes of the word (the liveness timer's beats) only make a wait return
   * early and re-check.  At most `timeoutMs` (default: until woken), so a
   * watcher can look at its peer between slices.
   */
  async waitAsync(flagOff, wordOff, ready, timeoutMs = Infinity) {
    const i32 = this.i32;
    const flag = this.index(flagOff);
    const word = this.index(wordOff);
    // A count, not 0/1: two waiters of one side (a write() and a waitForRoom())
    // must not clear each other's flag.
    Atomics.add(i32, flag, 1);
    try {
      const seen = Atomics.load(i32, word); // before the re-check: see above
      if (ready()) return;
      if (HAS_WAIT_ASYNC) {
        const r = Atomics.waitAsync(i32, word, seen, timeoutMs);
        if (r.async) {
          const keep = HAS_TIMERS ? setTimeout(noop, KEEP_ALIVE_MS) : 0;
          try {
            await r.value;
          } finally {
            if (HAS_TIMERS) clearTimeout(keep);
          }
        }
      } else {
        await sleep(1); // no waitAsync (older engines): poll
      }
    } finally {
      Atomics.sub(i32, flag, 1);
    }
  }

  /** The same, blocking (workers only: Atomics.wait) for at most `timeoutMs`. */
  waitSync(flagOff, wordOff, ready, timeoutMs) {
    const i32 = this.i32;
    const flag = this.index(flagOff);
    const word = this.index(wordOff);
    Atomics.add(i32, flag, 1);
    try {
      const seen = Atomics.load(i32, word);
      if (ready()) return;
      Atomics.wait(i32, word, seen, timeoutMs);
    } finally {
      Atomics.sub(i32, flag, 1);
    }
  }
}

/** A deadline `timeoutMs` from now, and the milliseconds left until it. */
export function deadline(timeoutMs) {
  return timeoutMs === Infinity ? Infinity : now() + timeoutMs;
}
export function msLeft(until) {
  return until === Infinity ? Infinity : until - now();
}
