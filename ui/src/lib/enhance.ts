import type { SubmitFunction } from '@sveltejs/kit';

/**
 * `use:enhance` with a pending flag for the submit button: set while the action runs, cleared after the page
 * updates (also when it fails). Keeps the typed values (reset: false) so field errors show beside them.
 */
export function withPending(setPending: (pending: boolean) => void, reset = false): SubmitFunction {
  return () => {
    setPending(true);
    return async ({ update }) => {
      try {
        await update({ reset });
      } finally {
        setPending(false);
      }
    };
  };
}
