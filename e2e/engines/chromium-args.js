// How every Chromium of the project is launched (e2e, consumer fixtures,
// benchmarks): Debian's binary, never a downloaded one, with design.md's flags.
export const CHROMIUM_BINARY = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
    '--autoplay-policy=no-user-gesture-required', // an AudioContext may start without a click
    '--no-sandbox', // root in a container
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
];
