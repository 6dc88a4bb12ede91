import type { z } from 'zod';
import type { bulkActionSchema } from '@shared/contract/customers';
import { customerFieldRules, tagSchema } from '@shared/domain/customers';

export type BulkKind = 'addTag' | 'removeTag' | 'setSegment' | 'activate' | 'deactivate';
export type BulkChange = z.input<typeof bulkActionSchema>;

/** Each bulk action in words: the modal's title, its button, and what happened afterwards. */
export const BULK_TEXT: Record<BulkKind, { title: string; verb: string; done: (n: string, value: string) => string }> = {
  addTag: { title: 'Add a tag', verb: 'Add tag to', done: (n, tag) => `Tagged ${n} with “${tag}”.` },
  removeTag: { title: 'Remove a tag', verb: 'Remove tag from', done: (n, tag) => `Removed “${tag}” from ${n}.` },
  setSegment: {
    title: 'Set the segment',
    verb: 'Set segment of',
    done: (n, segment) => (segment ? `Moved ${n} to the “${segment}” segment.` : `Cleared the segment of ${n}.`),
  },
  activate: { title: 'Activate customers', verb: 'Activate', done: (n) => `Activated ${n}.` },
  deactivate: { title: 'Deactivate customers', verb: 'Deactivate', done: (n) => `Deactivated ${n}.` },
};

export function needsValue(kind: BulkKind): kind is 'addTag' | 'removeTag' | 'setSegment' {
  return kind === 'addTag' || kind === 'removeTag' || kind === 'setSegment';
}

/** The typed value checked by the contract's own rule: the message for the field, or null when it is fine. */
export function checkBulkValue(kind: BulkKind, value: string): string | null {
  if (!needsValue(kind)) return null;
  const rule = kind === 'setSegment' ? customerFieldRules.segment : tagSchema;
  const result = rule.safeParse(value);
  return result.success ? null : (result.error.issues[0]?.message ?? 'Check this value');
}

export function toBulkChange(kind: BulkKind, value: string): BulkChange {
  switch (kind) {
    case 'addTag':
    case 'removeTag':
      return { action: kind, tag: value.trim() };
    case 'setSegment':
      return { action: 'setSegment', segment: value.trim() };
    case 'activate':
      return { action: 'setStatus', status: 'active' };
    case 'deactivate':
      return { action: 'setStatus', status: 'inactive' };
  }
}
