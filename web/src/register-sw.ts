/**
 * Registers the service worker (sw.ts) in a built app: it keeps every file for offline use and
 * adds the cross-origin isolation headers multi-threaded WebAssembly needs on hosts that cannot
 * send them. Such a page is not isolated on its first load, so it reloads once when the worker
 * takes control. The dev server sends the headers itself and registers nothing.
 */
export async function registerServiceWorker(status: HTMLElement): Promise<void> {
  if (import.meta.env.DEV || !('serviceWorker' in navigator)) return;
  try {
    await navigator.serviceWorker.register('./sw.js');
    await navigator.serviceWorker.ready;
  } catch (e) {
    status.textContent = `Offline use is not available here (${(e as Error).message}).`;
    return;
  }
  status.textContent = 'Ready to work offline.';
  if (crossOriginIsolated) return;
  const reloaded = sessionStorage.getItem('deep-prior-isolation-reload');
  if (reloaded) {
    status.textContent += ' This host does not allow several WebAssembly threads: one is used.';
    return;
  }
  sessionStorage.setItem('deep-prior-isolation-reload', '1');
  if (navigator.serviceWorker.controller) location.reload();
  else navigator.serviceWorker.addEventListener('controllerchange', () => location.reload(), { once: true });
}
