import { invalidateAll } from '$app/navigation';

/** Reloads the page's data every `ms` while `active()` holds (runs waiting, a broadcast sending). */
export function refreshWhile(active: () => boolean, ms = 3000): void {
  $effect(() => {
    if (!active()) return;
    const timer = setInterval(() => void invalidateAll(), ms);
    return () => clearInterval(timer);
  });
}
