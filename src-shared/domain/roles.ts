export const ROLES = ['owner', 'staff', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

const RANK: Record<Role, number> = { viewer: 0, staff: 1, owner: 2 };

/** owner > staff > viewer: a role may do what any lower role may. */
export function roleAtLeast(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

export const ROLE_LABELS: Record<Role, string> = {
  owner: 'Owner',
  staff: 'Staff',
  viewer: 'Viewer',
};

export const ROLE_DESCRIPTIONS: Record<Role, string> = {
  owner: 'Everything, including settings, users and deletes',
  staff: 'Day-to-day work; no deletes, users or settings',
  viewer: 'Can look at everything, change nothing',
};
