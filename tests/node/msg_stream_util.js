// msg_stream_util.js — both ends of a checked message stream, shared by the
// main-thread tests and msg_peer.worker.js.  Message i is drawn from a seeded
// PRNG that both ends step in the same order: text (a slice of a pool of
// 1-, 2-, 3- and 4-byte UTF-8 characters) or binary (a slice of a random byte
// pool), 0..MAX_BYTES bytes.  The sender sends each with a random method; the
// receiver receives with a random method and compares every message, whole,
// with what it must be (strings with ===, bytes with Buffer.compare), in order.
// Every blocking step is bounded, so a lost wake-up fails instead of hanging.
import { Buffer } from 'node:buffer';
import { layout as L } from '../../dist/index.js';
import { rng } from './ring_stream_util.js';

export const MAX_BYTES = 4096;
export const STALL_MS = 10_000; // no message for this long: a lost wake-up (or a dead peer)
const POOL_BYTES = 65_537;
const POOL_UNITS = 32_771;

// Characters of each UTF-8 width; the 4-byte ones are surrogate pairs.
const CHARS = ['a', 'Z', '7', ' ', '~', 'é', 'ß', 'Ω', 'ж', '€', '中', '\u2028', '\uFFFD', '😀', '𝄞'];

/** The words of the wake protocol (rbs.h, "Waking a side that sleeps") now. */
export function numbers(pipe) {
  const i32 = new Int32Array(pipe.memory.buffer);
  const w = (off) => Atomics.load(i32, (pipe.offset + off) >> 2) >>> 0;
  return {
    receiverWaits: w(L.RBS_OFF_CONSUMER_WAIT_SEQ),
    receiverWakes: w(L.RBS_OFF_CONSUMER_WAKE),
    senderWaits: w(L.RBS_OFF_PRODUCER_WAIT_SEQ),
    senderWakes: w(L.RBS_OFF_PRODUCER_WAKE),
  };
}

/**
 * Each side woke each of the other's waits at most once since `before`
 * (numbers(pipe)): the receiver's wake word moved at most once per wait it
 * began, plus once for the close; the sender's at most once per its waits.
 * Returns the counts moved since `before`; throws otherwise.
 */
export function assertWakeups(before, pipe, closes = 1) {
  const now = numbers(pipe);
  const d = Object.fromEntries(Object.keys(now).map((k) => [k, (now[k] - before[k]) >>> 0]));
  if (d.receiverWakes > d.receiverWaits + closes)
    throw new Error(`the receiver was woken ${d.receiverWakes} times for ${d.receiverWaits} waits (+${closes} for the close)`);
  if (d.senderWakes > d.senderWaits) throw new Error(`the sender was woken ${d.senderWakes} times for ${d.senderWaits} waits`);
  return d;
}

/** The two pools and the UTF-8 byte offset of every code unit of the text pool. */
export function makePools() {
  const next = rng(0x5eed);
  const bytes = new Uint8Array(POOL_BYTES + MAX_BYTES);
  for (let i = 0; i < bytes.length; i++) bytes[i] = next() & 0xff;
  const parts = [];
  let units = 0;
  while (units < POOL_UNITS + MAX_BYTES) {
    // Mostly ASCII, like real log lines, with every width mixed in.
    const c = next() % 4 === 0 ? CHARS[5 + (next() % (CHARS.length - 5))] : CHARS[next() % 5];
    parts.push(c);
    units += c.length;
  }
  const text = parts.join('');
  const at = new Int32Array(text.length + 1); // at[k]: UTF-8 bytes of text[0..k)
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    at[k + 1] = at[k] + (c < 0x80 ? 1 : c < 0x800 ? 2 : c >= 0xd800 && c <= 0xdfff ? 2 : 3);
  }
  // A slice of the text that splits no character is encoded as the same
  // slice of its encoding: what a text message received as bytes must be.
  return { bytes, text, at, utf8: new TextEncoder().encode(text) };
}

const isLow = (text, k) => (text.charCodeAt(k) & 0xfc00) === 0xdc00;

/** The message sequence: next() gives { text: string } or { bytes: Uint8Array }. */
export function messages(seed, pools = makePools()) {
  const next = rng(seed);
  const { bytes, text, at, utf8 } = pools;
  return () => {
    const size = next() % (MAX_BYTES + 1);
    if (next() % 2 === 0) {
      const off = next() % POOL_BYTES;
      return { bytes: bytes.subarray(off, off + size), form: next() % 8 };
    }
    let start = next() % POOL_UNITS;
    if (isLow(text, start)) start++; // never start inside a pair
    // The longest slice from `start` of at most `size` UTF-8 bytes.
    let lo = start;
    let hi = Math.min(text.length, start + size);
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (at[mid] - at[start] <= size) lo = mid;
      else hi = mid - 1;
    }
    if (lo > start && isLow(text, lo)) lo--; // never end inside a pair
    return { text: text.slice(start, lo), encoded: utf8.subarray(at[start], at[lo]) };
  };
}

/** Binary data in one of the forms send() takes (form: 0..7). */
function asData(m) {
  const b = m.bytes;
  if (m.form === 0) return new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (m.form === 1) return b.slice().buffer; // an ArrayBuffer of its own
  if (m.form === 2 && b.byteLength % 2 === 0 && b.byteOffset % 2 === 0)
    return new Uint16Array(b.buffer, b.byteOffset, b.byteLength / 2);
  return b;
}

function stalled(what) {
  return new Error(`${what}: nothing for ${STALL_MS} ms (a lost wake-up?)`);
}

/** A promise, or a rejection after STALL_MS. */
function bounded(promise, what) {
  let timer;
  const stall = new Promise((_, reject) => {
    timer = setTimeout(() => reject(stalled(what)), STALL_MS);
  });
  return Promise.race([promise, stall]).finally(() => clearTimeout(timer));
}

const SEND_ASYNC = ['send', 'trySend'];
const SEND_SYNC = ['send', 'trySend', 'sendSync'];

const napWord = new Int32Array(new SharedArrayBuffer(4));

/** Idles `ms` milliseconds: blocking where allowed (a worker), else a timer. */
function nap(ms, sync) {
  if (sync) Atomics.wait(napWord, 0, 0, ms);
  else return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Sends `count` messages of the sequence, then closes.  `sync`: whether the
 * blocking calls may be used (workers).  `bursts`: send runs of 1..300
 * messages with 1..4 ms of idling after each (the receiver waits in between),
 * and idle before the close too.  Returns the count of each method used and
 * the number of gaps.
 */
export async function sendAll(sender, { count, seed, sync, bursts = false }) {
  const next = messages(seed);
  const pick = rng(seed ^ 0x9e3779b9);
  const methods = sync ? SEND_SYNC : SEND_ASYNC;
  const used = Object.fromEntries([...methods, 'text', 'binary'].map((m) => [m, 0]));
  let burstLeft = 1 + (pick() % 300);
  let gaps = 0;
  for (let i = 0; i < count; i++) {
    if (bursts && --burstLeft === 0) {
      await nap(1 + (pick() % 4), sync);
      gaps++;
      burstLeft = 1 + (pick() % 300);
    }
    const m = next();
    const data = m.bytes ? asData(m) : m.text;
    used[m.bytes ? 'binary' : 'text']++;
    const method = methods[pick() % methods.length];
    used[method]++;
    if (method === 'send') await bounded(sender.send(data), `message ${i}: send()`);
    else if (method === 'trySend') {
      if (!sender.trySend(data)) await bounded(sender.send(data), `message ${i}: send()`);
    } else if (!sender.sendSync(data, STALL_MS)) throw stalled(`message ${i}: sendSync()`);
  }
  if (bursts) await nap(5, sync); // the receiver is waiting when the close comes
  await sender.close();
  return { ...used, gaps };
}

// recv and tryRecv take a text message as bytes, recvText and tryRecvText as a string.
const RECV_ASYNC = ['recv', 'recvText', 'tryRecv', 'tryRecvText', 'iterator'];
const RECV_SYNC = [...RECV_ASYNC, 'recvSync'];

/**
 * Receives the sequence until the end, checking every message; returns
 * { count, used }.  Throws at the first message that differs.  `endWith`:
 * how the end is seen, 'recv' (null) or 'iterator' (done).
 */
export async function recvAll(receiver, { seed, sync, count, endWith = 'recv' }) {
  const next = messages(seed);
  const pick = rng(seed ^ 0x7f4a7c15);
  const methods = sync ? RECV_SYNC : RECV_ASYNC;
  const used = Object.fromEntries(methods.map((m) => [m, 0]));
  let i = 0;
  const check = (got, m) => {
    if (got === null) throw new Error(`the pipe ended after ${i} messages; ${count} were sent`);
    if (m.bytes) {
      if (!(got instanceof Uint8Array) || Buffer.compare(got, m.bytes) !== 0)
        throw new Error(`message ${i} (${m.bytes.length} bytes) differs: got ${got.length} bytes`);
    } else if (typeof got === 'string') {
      if (got !== m.text)
        throw new Error(`message ${i} (text, ${m.encoded.length} bytes) differs: got ${JSON.stringify(got.slice(0, 40))}...`);
    } else if (!(got instanceof Uint8Array) || Buffer.compare(got, m.encoded) !== 0) {
      throw new Error(`message ${i} (text, ${m.encoded.length} bytes) differs: got ${got.length} bytes`);
    }
    i++;
  };
  while (i < count) {
    const method = methods[pick() % methods.length];
    used[method]++;
    // Each method takes a run of up to 64 messages (so the iterator is entered and left often).
    const run = Math.min(count - i, 1 + (pick() % 64));
    if (method === 'iterator') {
      let k = 0;
      const it = receiver[Symbol.asyncIterator]();
      while (k < run) {
        const r = await bounded(it.next(), `message ${i}: iterator`);
        if (r.done) check(null);
        check(r.value, next());
        k++;
      }
      await it.return(); // leaving the loop early loses nothing
      continue;
    }
    for (let k = 0; k < run; k++) {
      const m = next();
      const text = !m.bytes && (method === 'recvText' || method === 'tryRecvText');
      if (method === 'recv' || method === 'recvText') {
        check(await bounded(text ? receiver.recvText() : receiver.recv(), `message ${i}: ${method}`), m);
      } else if (method === 'tryRecv' || method === 'tryRecvText') {
        let got = text ? receiver.tryRecvText() : receiver.tryRecv();
        if (got === undefined) {
          // Nothing yet: wait, with the blocking call where there is one.
          got = sync && !text ? receiver.recvSync(STALL_MS) : await bounded(text ? receiver.recvText() : receiver.recv(), `message ${i}`);
          if (got === undefined) throw stalled(`message ${i}: recvSync()`);
        }
        check(got, m);
      } else {
        const got = receiver.recvSync(STALL_MS);
        if (got === undefined) throw stalled(`message ${i}: recvSync()`);
        check(got, m);
      }
    }
  }
  // Then the end, and nothing more: recvSync or recv gives null, an iterator finishes.
  if (endWith === 'iterator') {
    const r = await bounded(receiver[Symbol.asyncIterator]().next(), 'the end of the pipe (iterator)');
    if (!r.done) throw new Error(`after ${count} messages the iterator gave one more instead of finishing`);
  } else {
    const end = sync ? receiver.recvSync(STALL_MS) : await bounded(receiver.recv(), 'the end of the pipe');
    if (end !== null) throw new Error(`after ${count} messages the pipe gave ${end === undefined ? 'nothing' : 'one more'} instead of its end`);
  }
  return { count: i, used };
}
