// hostile_msg.worker.js — the honest side of the message pipe under the
// hostile peer: every call of MessagePipe, MessageSender and MessageReceiver
// (hostile_honest.js).
import { FAILED } from './hostile_account.js';
import { bool, count, honestChannel, honestMain, randomTools, readCount, seqByte } from './hostile_honest.js';
import { xorshift } from './hostile_shared.js';

const GUARD = 16; // bytes after a receive's target that it must leave alone
const UNITS = ['a', 'Z', '7', 'é', 'ß', '€', '中', '😀']; // 1 to 4 bytes in UTF-8

honestMain(({ lib, acct, memory, lay, ring: spec }) => {
  const { MessagePipe } = lib;
  const cap = spec.capacity;
  const max = cap / 2 - 4;
  const { rnd, upto, chance } = randomTools(xorshift(0x3e55a6e));
  const src = new Uint8Array(max).map((_, i) => seqByte(1, i));
  const out = new Uint8Array(max + 8 + GUARD);
  const encoder = new TextEncoder();
  const options = { capacity: cap, memory, offset: lay.offset, peerTimeoutMs: 1000 };
  const kept = honestChannel(acct, MessagePipe, options);
  const { reformat, end } = kept;

  // A string of up to `bytes` bytes in UTF-8.
  function text(bytes) {
    let s = '';
    for (let n = 0; ; ) {
      const u = UNITS[rnd() % UNITS.length];
      const b = encoder.encode(u).length;
      if (n + b > bytes) return s;
      s += u;
      n += b;
    }
  }

  const isMessage = (v) => v == null || (v instanceof Uint8Array && v.length <= max);
  // Each byte decodes to at most one UTF-16 unit (an invalid one to U+FFFD).
  const isText = (v) => v == null || (typeof v === 'string' && v.length <= max);

  const drain = () => acct.call('MessageReceiver.recvInto (help)', () => kept.current.receiver.recvInto(out.subarray(0, max)));
  const feed = () => acct.call('MessageSender.trySend (help)', () => kept.current.sender.trySend(src.subarray(0, upto(max))));
  const sender = (s) => ({ help: drain, end: () => s.dispose() });
  const receiver = (r) => ({ help: feed, end: () => r.dispose() });

  const S = (fn) => () => {
    const s = end('sender');
    return s && fn(s);
  };
  const R = (fn) => () => {
    const r = end('receiver');
    return r && fn(r);
  };

  const steps = [
    S((s) => acct.call('MessageSender.maxMessageSize', () => s.maxMessageSize, (m) => m === max)),
    S((s) => acct.call('MessageSender.closed', () => s.closed, bool)),
    S((s) => acct.call('MessageSender.sent', () => s.sent, count(2 ** 53))),
    S((s) => acct.call('MessageSender.trySend', () => s.trySend(src.subarray(0, upto(max))), bool)),
    S((s) => acct.call('MessageSender.trySend (text)', () => s.trySend(text(upto(max))), bool)),
    S((s) => acct.callAsync('MessageSender.send', () => s.send(chance(2) ? text(upto(max)) : src.subarray(0, upto(max))), sender(s), (r) => r === undefined)),
    S((s) => acct.call('MessageSender.sendSync', () => s.sendSync(src.subarray(0, upto(max)), upto(1)), bool)),
    S((s) => chance(64) && acct.callAsync('MessageSender.close', () => s.close(), sender(s), (r) => r === undefined)),
    S((s) => chance(32) && acct.call('MessageSender.dispose', () => s.dispose())),
    R((r) => acct.call('MessageReceiver.maxMessageSize', () => r.maxMessageSize, (m) => m === max)),
    R((r) => acct.call('MessageReceiver.closed', () => r.closed, bool)),
    R((r) => acct.call('MessageReceiver.ended', () => r.ended, bool)),
    R((r) => acct.call('MessageReceiver.received', () => r.received, count(2 ** 53))),
    R((r) => acct.call('MessageReceiver.tryRecv', () => r.tryRecv(), isMessage)),
    R((r) => acct.call('MessageReceiver.tryRecvText', () => r.tryRecvText(), isText)),
    R((r) => {
      // A target shorter than the next message is refused with the size it needs.
      const n = upto(max + 8);
      out.fill(0xc3, n, n + GUARD);
      acct.call('MessageReceiver.recvInto', () => r.recvInto(out.subarray(0, n)), readCount(n), (e) => e instanceof RangeError && e.size > n && e.size <= max);
      for (let i = n; i < n + GUARD; i++) if (out[i] !== 0xc3) return acct.escape('MessageReceiver.recvInto wrote past its target');
    }),
    R((r) => acct.callAsync('MessageReceiver.recv', () => r.recv(), receiver(r), isMessage)),
    R((r) => acct.callAsync('MessageReceiver.recvText', () => r.recvText(), receiver(r), isText)),
    R((r) => acct.call('MessageReceiver.recvSync', () => r.recvSync(upto(1)), isMessage)),
    R((r) =>
      acct.callAsync('MessageReceiver[Symbol.asyncIterator]().next', () => r[Symbol.asyncIterator]().next(), receiver(r), (x) => x.done || isMessage(x.value)),
    ),
    R((r) => chance(32) && acct.call('MessageReceiver.dispose', () => r.dispose())),
    () => {
      if (kept.current === null) return;
      acct.call('MessagePipe.closed', () => kept.current.closed, bool);
      acct.call('MessagePipe.maxMessageSize', () => kept.current.maxMessageSize, (m) => m === max);
      acct.call('MessagePipe.senderAlive', () => kept.current.senderAlive, bool);
      acct.call('MessagePipe.receiverAlive', () => kept.current.receiverAlive, bool);
    },
    async () => {
      if (kept.current === null) return;
      // The handle names the capacity, so a forged one is refused (RangeError naming handle.capacity).
      const forged = (e) => e instanceof RangeError && e.message.includes('handle.capacity');
      const options = { peerTimeoutMs: 1000 };
      const o = chance(2)
        ? acct.call('MessagePipe.attachSync', () => MessagePipe.attachSync(kept.current.handle, options), null, forged)
        : await acct.callAsync('MessagePipe.attach', () => MessagePipe.attach(kept.current.handle, options), { end: () => {} }, null, forged);
      if (o === FAILED) return;
      acct.call('MessagePipe.closed (attached)', () => o.closed, bool);
      acct.call('MessagePipe.dispose (attached)', () => o.dispose());
    },
    async () => {
      if (kept.current === null || !chance(8)) return;
      const name = chance(2) ? 'sender' : 'receiver';
      const e = await acct.callAsync(`MessagePipe.claim('${name}')`, () => kept.current.claim(name), { end: () => kept.current?.dispose() });
      if (e !== FAILED) acct.call(`${e.constructor.name}.dispose`, () => e.dispose());
    },
  ];

  // Sends messages of the stream `seed` (bytes or text) one way and receives them another, one by one.
  async function round(seed) {
    const token = acct.quietBegin();
    if (token < 0) return;
    reformat();
    const s = end('sender');
    const r = end('receiver');
    if (!s || !r) return;
    let exact = true;
    const filler = upto(max); // moves the positions, so that the round may wrap
    exact &&= acct.call('MessageSender.trySend', () => s.trySend(src.subarray(0, filler))) === true;
    exact &&= acct.call('MessageReceiver.recvInto', () => r.recvInto(out.subarray(0, max))) === filler;
    for (let m = 0, k = 1 + upto(3); m < k && exact; m++) {
      const asText = chance(2);
      const data = asText ? text(upto(max)) : new Uint8Array(upto(max)).map((_, i) => seqByte(seed + m * 4096, i));
      exact &&= await sendOne(s, data);
      exact &&= asText ? (await recvText(r)) === data : equal(await recvBytes(r), data);
    }
    exact &&= acct.call('MessageReceiver.tryRecv', () => r.tryRecv()) === undefined;
    acct.round(token, exact, 'messages');
  }

  async function sendOne(s, data) {
    switch (upto(2)) {
      case 0:
        return acct.call('MessageSender.trySend', () => s.trySend(data)) === true;
      case 1:
        return acct.call('MessageSender.sendSync', () => s.sendSync(data, 100)) === true;
      default:
        return (await acct.callAsync('MessageSender.send', () => s.send(data), { end: () => s.dispose() })) === undefined;
    }
  }

  async function recvBytes(r) {
    switch (upto(3)) {
      case 0:
        return acct.call('MessageReceiver.tryRecv', () => r.tryRecv());
      case 1:
        return acct.call('MessageReceiver.recvSync', () => r.recvSync(100));
      case 2:
        return acct.callAsync('MessageReceiver.recv', () => r.recv(), { end: () => r.dispose() });
      default: {
        const k = acct.call('MessageReceiver.recvInto', () => r.recvInto(out.subarray(0, max)));
        return typeof k === 'number' ? out.slice(0, k) : k;
      }
    }
  }

  function recvText(r) {
    return chance(2)
      ? acct.call('MessageReceiver.tryRecvText', () => r.tryRecvText())
      : acct.callAsync('MessageReceiver.recvText', () => r.recvText(), { end: () => r.dispose() });
  }

  const equal = (a, b) => a instanceof Uint8Array && a.length === b.length && a.every((x, i) => x === b[i]);

  reformat();
  return { steps, round, dispose: () => kept.current?.dispose() };
});
