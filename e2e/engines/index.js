// The engines the browser suites run in, each a module whose launch()
// returns { version, newTab({ baseURL, viewport }), close() }.  E2E_ENGINES
// (default all three, space-separated) picks some; services.sh reads it too.
import * as chromium from './chromium.js';
import * as firefox from './firefox.js';
import * as webkit from './webkit.js';

export const ENGINES = { chromium, firefox, webkit };

export function selectedEngines(value = process.env.E2E_ENGINES) {
    const names = (value || Object.keys(ENGINES).join(' ')).split(/[\s,]+/).filter(Boolean);
    for (const n of names) if (!ENGINES[n]) throw new Error(`E2E_ENGINES: unknown engine "${n}" (known: ${Object.keys(ENGINES).join(', ')})`);
    return names;
}
