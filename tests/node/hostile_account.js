// hostile_account.js — the honest side's account of every call it makes
// under the hostile peer: each answer checked (a value in bounds, or the
// library's own error), each call timed, each view handed out checked to lie
// inside the ring's data, and content checked in the hostile side's quiet
// windows.
import { CTL } from './hostile_shared.js';

/** What a call that threw returns. */
export const FAILED = Symbol('failed');

// An async call gets help as soon as it is under way and at every turn of
// the event loop after (the honest side acts as its peer: data for a reader,
// room for a writer, which wakes it if it sleeps); one not settled after
// WATCHDOG_MS is ended by disposing the endpoint it waits on.
const WATCHDOG_MS = 20;

export class Account {
  calls = 0;
  helpCalls = 0; // calls made to help a waiting call, which may repeat a failure many times
  failed = 0; // other calls that threw
  errors = {}; // RingBufferError counts by codeName
  errorCalls = {}; // and by call
  argErrors = {}; // "call: RangeError" counts, for errors about the honest side's own arguments
  misreported = 0; // RBS_EINVAL answered to valid arguments
  firstMisreported = null;
  foreign = 0; // traps, other errors, answers out of bounds
  firstForeign = null;
  escapes = 0; // views outside the ring's data, reads past their target
  firstEscape = null;
  rounds = 0; // content checked in a quiet window
  wrong = 0;
  firstWrong = null;
  helped = 0; // async calls helped by the other role
  unstuck = 0; // async calls ended by dispose()
  reformats = 0;
  slowestMs = 0;
  slowestCall = '-';
  msByCall = {}; // time spent in each call
  #ids = new Map();
  #depth = 0; // calls under way (help runs while an async call waits): the watch sees the outer one

  /** ctl/clock: the shared control words; lib: the package (its RingBufferError, layout). */
  constructor(ctl, clock, post, lib) {
    this.ctl = ctl;
    this.clock = clock;
    this.post = post;
    this.lib = lib;
  }

  #begin(name) {
    let id = this.#ids.get(name);
    if (id === undefined) {
      this.#ids.set(name, (id = this.#ids.size));
      this.post({ callName: name, id });
    }
    if (this.#depth++ === 0) {
      this.clock[0] = Date.now();
      Atomics.store(this.ctl, CTL.CALL_ID, id);
      Atomics.store(this.ctl, CTL.IN_CALL, 1);
    }
    return performance.now();
  }

  #end(name, t0) {
    if (--this.#depth === 0) Atomics.store(this.ctl, CTL.IN_CALL, 0);
    const ms = performance.now() - t0;
    if (this.#depth === 0) this.msByCall[name] = (this.msByCall[name] ?? 0) + ms;
    if (ms > this.slowestMs) {
      this.slowestMs = ms;
      this.slowestCall = name;
    }
    this.calls++;
    if (name.endsWith('(help)')) this.helpCalls++;
  }

  /** Calls fn(); its answer must satisfy inBounds (if given).  argOk(e) says
   *  whether a TypeError/RangeError is about the honest side's own argument.
   *  Returns the answer, or FAILED. */
  call(name, fn, inBounds, argOk) {
    const t0 = this.#begin(name);
    try {
      const r = fn();
      if (inBounds && !inBounds(r)) this.#foreign(name, `answered ${describe(r)}`);
      return r;
    } catch (e) {
      this.#error(name, e, argOk);
      return FAILED;
    } finally {
      this.#end(name, t0);
    }
  }

  /** The same for a call that returns a promise: `unstick` is { help, end },
   *  help() does what the call waits for, end() disposes its endpoint. */
  async callAsync(name, fn, unstick, inBounds, argOk) {
    const t0 = this.#begin(name);
    let timer = null;
    let helping = null;
    const help = () => {
      unstick.help();
      helping = setImmediate(help);
    };
    try {
      const p = fn();
      if (unstick.help) {
        this.helped++;
        help();
      }
      timer = setTimeout(() => {
        this.unstuck++;
        unstick.end();
      }, WATCHDOG_MS);
      const r = await p;
      if (inBounds && !inBounds(r)) this.#foreign(name, `resolved with ${describe(r)}`);
      return r;
    } catch (e) {
      this.#error(name, e, argOk);
      return FAILED;
    } finally {
      clearTimeout(timer);
      clearImmediate(helping);
      this.#end(name, t0);
    }
  }

  #error(name, e, argOk) {
    const { RingBufferError, layout } = this.lib;
    if (e instanceof RingBufferError && layout.ERROR_NAMES[e.code] === e.codeName && e.code < 0) {
      // Every argument of the honest side is valid: "invalid argument" would blame it for the ring.
      if (e.code === layout.RBS_EINVAL && this.misreported++ === 0) this.firstMisreported = `${name}: ${e.message}`;
      this.errors[e.codeName] = (this.errors[e.codeName] ?? 0) + 1;
      const k = `${name}: ${e.codeName}`;
      this.errorCalls[k] = (this.errorCalls[k] ?? 0) + 1;
    } else if ((e instanceof RangeError || e instanceof TypeError) && argOk?.(e)) {
      const k = `${name}: ${e.name}`;
      this.argErrors[k] = (this.argErrors[k] ?? 0) + 1;
    } else this.#foreign(name, `threw ${e?.name}: ${e?.message}`);
    if (!name.endsWith('(help)')) this.failed++;
  }

  #foreign(name, what) {
    if (this.foreign++ === 0) this.firstForeign = `${name} ${what}`;
  }

  /** A view handed out (reserve, acquire): empty, or inside [dataStart, dataStart + capacity) of `buffer`. */
  view(name, v, buffer, dataStart, capacity) {
    if (!(v instanceof Uint8Array) || v.length === 0) return;
    const inside =
      v.buffer === buffer && v.byteOffset >= dataStart && v.byteOffset + v.byteLength <= dataStart + capacity;
    if (!inside) this.escape(`${name} handed out bytes ${v.byteOffset}..${v.byteOffset + v.byteLength}`);
  }

  escape(what) {
    if (this.escapes++ === 0) this.firstEscape = what;
  }

  /** A token for a quiet window, or -1 if a burst is under way. */
  quietBegin() {
    const t = Atomics.load(this.ctl, CTL.SEQ);
    return t & 1 ? -1 : t;
  }

  /** Counts a round that ran wholly in a quiet window (exact or not); others do not count. */
  round(token, exact, what) {
    if (token < 0 || Atomics.load(this.ctl, CTL.SEQ) !== token) return;
    this.rounds++;
    if (!exact && this.wrong++ === 0) this.firstWrong = what;
  }

  report() {
    const { calls, helpCalls, failed, errors, errorCalls, argErrors, misreported, firstMisreported, foreign, firstForeign, escapes, firstEscape } = this;
    const { rounds, wrong, firstWrong, helped, unstuck, reformats, slowestMs, slowestCall } = this;
    return {
      calls, helpCalls, failed, errors, errorCalls, argErrors, misreported, firstMisreported, foreign, firstForeign, escapes, firstEscape,
      rounds, wrong, firstWrong, helped, unstuck, reformats, slowestMs, slowestCall,
      busiest: Object.entries(this.msByCall).sort((a, b) => b[1] - a[1]).slice(0, 5).map(([k, v]) => `${k} ${v.toFixed(0)} ms`).join(', '),
    };
  }
}

function describe(v) {
  if (v instanceof Uint8Array) return `a Uint8Array(${v.length})`;
  return typeof v === 'string' ? `a string of ${v.length}` : String(v);
}
