/** Endpoints already warned about: one warning per endpoint per process, however many clients use it. */
const warned = new Set<string>();

/**
 * Warns once when events (and the API key) would travel unencrypted to another machine.
 * Plain HTTP to loopback is the normal local-development setup and stays quiet.
 */
export function warnIfInsecure(endpoint: string): void {
  const url = new URL(endpoint);
  if (url.protocol !== 'http:' || isLoopback(url.hostname) || warned.has(url.origin)) return;
  warned.add(url.origin);
  const message = `letterapp: baseUrl ${url.origin} is not HTTPS; the API key and events are sent unencrypted`;
  if (typeof process !== 'undefined' && typeof process.emitWarning === 'function') {
    process.emitWarning(message, { code: 'LETTERAPP_INSECURE_BASE_URL' });
  } else {
    console.warn(message);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || hostname === '[::1]' || /^127(\.\d{1,3}){3}$/.test(hostname);
}
