// The servers the e2e tests run against (started by playwright.config.js's
// webServer): the demo with the isolation headers, the demo without them, and
// the Emscripten programs' pages (e2e/emscripten-server.js).  E2E_PORT moves
// them all: E2E_PORT, +1 and +3 (+2 is WebKitWebDriver's: services.sh).
const port = Number(process.env.E2E_PORT || 8181);
if (!Number.isInteger(port) || port < 1 || port > 65532) {
    throw new Error(`E2E_PORT must be an integer from 1 to 65532, got "${process.env.E2E_PORT}"`);
}
export const ISOLATED_PORT = port;
export const PLAIN_PORT = port + 1;
export const EMSCRIPTEN_PORT = port + 3;
export const ISOLATED_URL = `http://127.0.0.1:${ISOLATED_PORT}`;
export const PLAIN_URL = `http://127.0.0.1:${PLAIN_PORT}`;
export const EMSCRIPTEN_URL = `http://127.0.0.1:${EMSCRIPTEN_PORT}`;
