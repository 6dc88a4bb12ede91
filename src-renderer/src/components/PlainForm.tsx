import type { ReactNode } from 'react';

/**
 * A form submitted through React alone: Enter submits, the browser shows no
 * validation bubbles of its own (the fields show ours) and nothing reloads.
 */
export function PlainForm({ onSubmit, children }: { onSubmit(): void; children: ReactNode }) {
  return (
    <form
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}
