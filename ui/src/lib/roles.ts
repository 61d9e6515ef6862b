import type { Role } from '$api/common';
import { everyValue } from './every-value';

/** owner > admin > editor > viewer, mirroring the API's authorization rule. */
const rank: Record<Role, number> = { viewer: 0, editor: 1, admin: 2, owner: 3 };

export const roles = everyValue<Role>()(['owner', 'admin', 'editor', 'viewer']);

export function atLeast(role: Role, needed: Role): boolean {
  return rank[role] >= rank[needed];
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && value in rank;
}

const roleWords: Record<Role, string> = {
  owner: 'Owner',
  admin: 'Admin',
  editor: 'Editor',
  viewer: 'Viewer',
};

/** A role as people read it ("viewer" -> "Viewer"). */
export function roleLabel(role: string): string {
  return isRole(role) ? roleWords[role] : role;
}
