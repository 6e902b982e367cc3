// What the audio specs take for granted about each engine as launched here
// (e2e/engines/): an AudioContext starts without a user gesture and its clock
// advances.  A failure here explains audio failures elsewhere.
import { test, expect } from './fixtures.js';

test('an AudioContext starts without a gesture and its clock advances', async ({ tab }) => {
    await tab.open('/');
    const r = await tab.evaluate(async () => {
        const ctx = new AudioContext();
        await ctx.resume();
        const source = new ConstantSourceNode(ctx, { offset: 0 });
        source.connect(ctx.destination);
        source.start();
        const audio0 = ctx.currentTime;
        const wall0 = performance.now();
        await new Promise((resolve) => setTimeout(resolve, 1000));
        const result = {
            state: ctx.state,
            sampleRate: ctx.sampleRate,
            audioSeconds: ctx.currentTime - audio0,
            wallSeconds: (performance.now() - wall0) / 1000,
        };
        await ctx.close();
        return result;
    });
    test.info().annotations.push({
        type: 'AudioContext clock',
        description: `${r.audioSeconds.toFixed(3)} s of audio in ${r.wallSeconds.toFixed(3)} s at ${r.sampleRate} Hz`,
    });
    expect(r.state).toBe('running');
    expect(r.audioSeconds).toBeGreaterThan(0);
    await tab.show('AudioContext', JSON.stringify(r, null, 2));
});
