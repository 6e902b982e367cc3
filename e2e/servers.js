// The two demo servers the e2e tests run against (started by
// playwright.config.js's webServer): one with the isolation headers, one
// without.  E2E_PORT moves both (the second is E2E_PORT + 1).
const port = Number(process.env.E2E_PORT || 8181);
if (!Number.isInteger(port) || port < 1 || port > 65534) {
    throw new Error(`E2E_PORT must be an integer from 1 to 65534, got "${process.env.E2E_PORT}"`);
}
export const ISOLATED_PORT = port;
export const PLAIN_PORT = port + 1;
export const ISOLATED_URL = `http://127.0.0.1:${ISOLATED_PORT}`;
export const PLAIN_URL = `http://127.0.0.1:${PLAIN_PORT}`;
