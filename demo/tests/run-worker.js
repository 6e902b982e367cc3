// Runs a module Worker of this folder with one message and resolves with its
// one answer (rejects with its { error } or its uncaught error).
export function runWorker(file, message) {
    const w = new Worker(new URL(file, import.meta.url), { type: 'module' });
    return new Promise((resolve, reject) => {
        w.onmessage = ({ data }) => {
            w.terminate();
            if (data.error) reject(new Error(`${file}: ${data.error}`));
            else resolve(data);
        };
        w.onerror = (e) => reject(new Error(`${file}: ${e.message}`));
        w.postMessage(message);
    });
}
