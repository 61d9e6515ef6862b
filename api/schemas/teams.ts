import { email } from './auth';
import { roleSchema, timestamp, uuid } from './common';
import { z } from './zod';

const isTimeZone = (value: string): boolean => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
    return true;
  } catch {
    return false;
  }
};

const teamName = z.string().trim().min(1, 'Enter a team name').max(100, 'At most 100 characters');
const timeZone = z
  .string()
  .max(64)
  .refine(isTimeZone, 'Expected an IANA time zone such as Europe/Berlin')
  .openapi({ example: 'Europe/Berlin' });

export const teamParams = z.object({ teamId: uuid });
export const memberParams = z.object({ teamId: uuid, userId: uuid });

export const createTeamBody = z.object({ name: teamName });
export const updateTeamBody = z
  .object({ name: teamName.optional(), timeZone: timeZone.optional() })
  .refine((b) => b.name !== undefined || b.timeZone !== undefined, 'Send name or timeZone');
export const addMemberBody = z.object({ email, role: roleSchema });
export const changeRoleBody = z.object({ role: roleSchema });

const teamSchema = z
  .object({
    id: uuid,
    name: z.string(),
    personal: z.boolean(),
    timeZone: z.string(),
    role: roleSchema,
    createdAt: timestamp,
  })
  .openapi('Team');
const memberSchema = z
  .object({ userId: uuid, email: z.string(), name: z.string(), role: roleSchema, joinedAt: timestamp })
  .openapi('Member');

export const teamResponse = z.object({ team: teamSchema });
export const teamsResponse = z.object({ teams: z.array(teamSchema) });
export const memberResponse = z.object({ member: memberSchema });
export const membersResponse = z.object({ members: z.array(memberSchema) });

// Response shapes as TypeScript types: the UI imports these (type-only) instead of declaring them again.
export type Team = z.output<typeof teamSchema>;
export type Member = z.output<typeof memberSchema>;
export type TeamResponse = z.output<typeof teamResponse>;
export type TeamsResponse = z.output<typeof teamsResponse>;
export type MembersResponse = z.output<typeof membersResponse>;
