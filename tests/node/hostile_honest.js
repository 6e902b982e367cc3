// hostile_honest.js — the honest worker's loop, for every kind: both roles
// on this one thread (so each round's content is known exactly and the ring
// can be formatted again at any time), every call of the kind in turn, a
// content-checked round every few calls, until the hostile worker is done;
// then rounds in a memory nobody scribbles on, which must all be exact.
import { parentPort, workerData } from 'node:worker_threads';
import { Account, FAILED } from './hostile_account.js';
import { CTL } from './hostile_shared.js';

const ROUND_EVERY = 8;
const FINAL_ROUNDS = 8;
const tick = () => new Promise((resolve) => setImmediate(resolve));

/**
 * Runs `setup({ lib, acct, memory, lay, ring })`, which returns { steps,
 * round(seed) }, against the arena of workerData; posts the account.
 */
export async function honestMain(setup) {
  const { dist, memory, lay, ring, ctl, clock } = workerData;
  const lib = await import(dist);
  const acct = new Account(ctl, clock, (m) => parentPort.postMessage(m), lib);
  const side = setup({ lib, acct, memory, lay, ring });
  let seed = 0;
  for (let i = 0; !Atomics.load(ctl, CTL.HOSTILE_DONE) && !Atomics.load(ctl, CTL.STOP); i++) {
    await side.steps[i % side.steps.length]();
    if (i % ROUND_EVERY === 0) await side.round((seed += 65536));
    if (i % 64 === 0) await tick(); // the heartbeat timer and the watchdogs run
  }
  const before = acct.rounds;
  for (let k = 0; k < FINAL_ROUNDS; k++) await side.round((seed += 65536));
  if (acct.rounds - before !== FINAL_ROUNDS && acct.wrong++ === 0) acct.firstWrong = 'a round after the hostile side stopped did not run';
  side.dispose?.();
  parentPort.postMessage({ report: acct.report() });
}

/**
 * The honest side's channel (`Channel`: RingBuffer, MessagePipe or AudioRing)
 * formatted at `options`, every call accounted: `current` is the channel
 * (null until formatted, or after a refusal), `reformat()` formats it again,
 * `end(role)` is the role's endpoint, claimed on first use; a refused claim
 * formats the ring again once.
 */
export function honestChannel(acct, Channel, options) {
  const name = Channel.apiName;
  const kept = {
    current: null,
    reformat() {
      if (kept.current) acct.call(`${name}.dispose`, () => kept.current.dispose());
      acct.reformats++;
      const r = acct.call(`${name}.create`, () => Channel.create(options));
      kept.current = r === FAILED ? null : r;
    },
    end(role) {
      for (let tries = 0; tries < 2; tries++) {
        if (kept.current === null) kept.reformat();
        if (kept.current === null) continue;
        const e = acct.call(`${name}.${role}`, () => kept.current[role]);
        if (e !== FAILED) return e;
        kept.current.dispose();
        kept.current = null;
      }
      return null;
    },
  };
  return kept;
}

/** Random helpers from one xorshift generator. */
export function randomTools(rnd) {
  return {
    rnd,
    upto: (n) => rnd() % (n + 1),
    chance: (k) => rnd() % k === 0,
  };
}

/** Answer checks. */
export const count = (max) => (k) => Number.isInteger(k) && k >= 0 && k <= max;
export const bool = (b) => b === true || b === false;
/** A read's answer: a count up to max, undefined (nothing now) or null (ended). */
export const readCount = (max) => (k) => k === undefined || k === null || count(max)(k);

/** The test sequence's byte at position i of the stream `seed`. */
export function seqByte(seed, i) {
  const x = Math.imul((seed + i) ^ 0x5bd1e995, 0x27d4eb2d);
  return (x ^ (x >>> 15)) & 0xff;
}
