// Bytes and messages between the page and a Worker through the public API, in
// every engine (the fixture is demo/tests/flows.html): 16 MiB page -> Worker
// through a RingBuffer and 10,000 messages Worker -> page through a
// MessagePipe, every byte checked; text both ways; and text in one thread,
// where the engines differ by specification: TextEncoder.encodeInto refuses a
// view of shared memory in Chromium and Firefox and takes it in WebKit, and
// the pipe carries the same strings either way.
import { test, expect } from './fixtures.js';

const TEXTS = ['', 'a', 'héllo € 中文 😀 𝄞', 'x'.repeat(3000), '€'.repeat(2000), 'a\ud800b'];
const TEXTS_BACK = [...TEXTS.slice(0, -1), 'a\ufffdb']; // a lone surrogate arrives as U+FFFD, as TextEncoder makes it

async function openFixture(tab) {
    await tab.open('/tests/flows.html');
    expect(await tab.evaluate(() => crossOriginIsolated)).toBe(true);
}

test('16 MiB page -> Worker through a RingBuffer: every byte arrives, in order', async ({ tab }) => {
    await openFixture(tab);
    const total = 16 << 20;
    const r = await tab.evaluate((total) => window.flowsTest.bytes({ total, capacity: 1 << 16 }), total);
    test.info().annotations.push({ type: 'bytes', description: `${r.writes} writes, ${r.worker.reads} reads, ${r.seconds.toFixed(2)} s` });
    expect(r.sent).toBe(total);
    expect(r.worker.got).toBe(total);
    expect(r.worker.mismatch).toBe(-1);
});

test('10,000 messages Worker -> page through a MessagePipe: each whole, in order, once', async ({ tab }) => {
    await openFixture(tab);
    const r = await tab.evaluate(() => window.flowsTest.messages({ count: 10000, capacity: 1 << 16 }));
    test.info().annotations.push({ type: 'messages', description: `${r.received} messages, ${r.bytes} bytes, ${r.seconds.toFixed(2)} s` });
    expect(r.worker.sent).toBe(10000);
    expect(r.firstBad).toBeNull();
    expect(r.received).toBe(10000);
    expect(r.bytes).toBe(1_504_900); // sum over i < 10000 of 1 + (37 i mod 300)
});

test('text both ways: strings page -> Worker and Worker -> page arrive as sent', async ({ tab }) => {
    await openFixture(tab);
    const r = await tab.evaluate((texts) => window.flowsTest.text({ texts }), TEXTS);
    expect(r.toWorker).toEqual(TEXTS_BACK);
    expect(r.fromWorker).toEqual(TEXTS_BACK);
});

test('MessagePipe carries text whether or not this engine\'s TextEncoder writes into shared memory', async ({ tab, facts }) => {
    await tab.open('/');
    const r = await tab.evaluate(async (texts) => {
        const { MessagePipe } = await import('/dist/index.js');
        const shared = new Uint8Array(new SharedArrayBuffer(8));
        let encodeIntoShared;
        try {
            new TextEncoder().encodeInto('a', shared);
            encodeIntoShared = shared[0] === 0x61 ? 'accepts' : 'ignores';
        } catch {
            encodeIntoShared = 'refuses'; // what the pipe works around: it encodes into a plain buffer first
        }
        const pipe = MessagePipe.create({ capacity: 16384 }); // largest message 8188 bytes
        const sent = texts.map((t) => pipe.sender.trySend(t));
        const got = texts.map(() => pipe.receiver.tryRecvText());
        // Full: a string that does not fit is refused whole.
        pipe.sender.trySend(new Uint8Array(8000));
        const refused = pipe.sender.trySend('€'.repeat(2700)); // 8100 bytes
        const whole = pipe.receiver.tryRecv().length;
        const after = pipe.receiver.tryRecv();
        let tooBig = '';
        try {
            pipe.sender.trySend('€'.repeat(2730)); // 8190 bytes
        } catch (e) {
            tooBig = `${e.name}: ${e.message}`;
        }
        return { encodeIntoShared, sent, got, refused, whole, after: after === undefined ? 'undefined' : after, tooBig };
    }, TEXTS);
    expect(r.encodeIntoShared).toBe(facts.encodeIntoShared);
    expect(r.sent).toEqual(TEXTS.map(() => true));
    expect(r.got).toEqual(TEXTS_BACK);
    expect(r.refused).toBe(false);
    expect(r.whole).toBe(8000);
    expect(r.after).toBe('undefined');
    expect(r.tooBig).toMatch(/^RangeError: MessageSender\.trySend: data is a string of 8190 bytes in UTF-8, larger than maxMessageSize 8188/);
    expect(await tab.errors()).toEqual([]);
});
