// Where the engines differ by specification or by build, as measured here;
// the specs assert each engine's own line instead of skipping it.
export const FACTS = {
    chromium: {
        // SharedArrayBuffer exists only in a cross-origin isolated page.
        sabWithoutIsolation: false,
        // TextEncoder.encodeInto refuses a view of shared memory (MessagePipe encodes into a plain buffer first).
        encodeIntoShared: 'refuses',
        fullPageScreenshots: true,
        // Its audio thread renders on while the page's main thread is frozen: 4 quanta per callback, behind
        // real time by at most 8 ms here (also with four busy loops on the two cores); the bound leaves room for load.
        audioThreadInFreeze: 'runs',
        audioLagMaxMs: 150,
    },
    firefox: {
        sabWithoutIsolation: false,
        encodeIntoShared: 'refuses',
        fullPageScreenshots: true,
        // Its audio thread renders on through a freeze, a PulseAudio period (about 20 ms) at a time: behind real
        // time by 18-20 ms here, 57 ms with four busy loops on the two cores.
        audioThreadInFreeze: 'runs',
        audioLagMaxMs: 150,
    },
    webkit: {
        // WebKitGTK with JSC_useSharedArrayBuffer=1 (needed for any SharedArrayBuffer there) has it on every page.
        sabWithoutIsolation: true,
        encodeIntoShared: 'accepts',
        fullPageScreenshots: false,
        // In some MiniBrowser sessions its audio thread stands still while the page's main thread is frozen (up to
        // the whole 200 ms freeze), then renders the missed quanta at once (2,000-6,000 frames); in others it runs on.
        audioThreadInFreeze: 'may stand still',
        audioLagMaxMs: 300,
    },
};
