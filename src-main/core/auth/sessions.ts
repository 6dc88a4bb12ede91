import { randomBytes } from 'node:crypto';

/** A logged-in user of one business. Role and active flag are re-read on every call. */
export interface SessionRecord {
  id: string;
  businessId: string;
  userId: string;
  createdAt: number;
}

export class SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();

  create(businessId: string, userId: string, nowMs: number): SessionRecord {
    const record = { id: randomBytes(24).toString('base64url'), businessId, userId, createdAt: nowMs };
    this.sessions.set(record.id, record);
    return record;
  }

  get(id: string | null): SessionRecord | undefined {
    return id ? this.sessions.get(id) : undefined;
  }

  delete(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends the sessions of a user (deactivated, password reset), except one to keep. */
  deleteForUser(businessId: string, userId: string, keep?: string): string[] {
    const ended: string[] = [];
    for (const s of this.sessions.values()) {
      if (s.businessId === businessId && s.userId === userId && s.id !== keep) {
        this.sessions.delete(s.id);
        ended.push(s.id);
      }
    }
    return ended;
  }

  deleteForBusiness(businessId: string): void {
    for (const s of this.sessions.values()) if (s.businessId === businessId) this.sessions.delete(s.id);
  }
}
