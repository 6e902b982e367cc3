// The isolation headers for `vite` and `vite preview`; a production server
// must send the same two.
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};
export default {
  server: { headers },
  preview: { headers },
};
