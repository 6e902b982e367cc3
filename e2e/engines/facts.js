// Where the engines differ by specification or by build, as measured here;
// the specs assert each engine's own line instead of skipping it.
export const FACTS = {
    chromium: {
        // SharedArrayBuffer exists only in a cross-origin isolated page.
        sabWithoutIsolation: false,
        // TextEncoder.encodeInto refuses a view of shared memory (MessagePipe encodes into a plain buffer first).
        encodeIntoShared: 'refuses',
        fullPageScreenshots: true,
    },
    firefox: { sabWithoutIsolation: false, encodeIntoShared: 'refuses', fullPageScreenshots: true },
    // WebKitGTK with JSC_useSharedArrayBuffer=1 (needed for any SharedArrayBuffer there) has it on every page.
    webkit: { sabWithoutIsolation: true, encodeIntoShared: 'accepts', fullPageScreenshots: false },
};
