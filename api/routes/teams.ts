import { defineRoute, type ApiRoute } from '../http/route';
import {
  addMemberBody,
  changeRoleBody,
  createTeamBody,
  memberParams,
  memberResponse,
  membersResponse,
  teamParams,
  teamResponse,
  teamsResponse,
  updateTeamBody,
} from '../schemas/teams';
import type { TeamService } from '../services/teams';

export function teamRoutes(teams: TeamService): ApiRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/teams',
      summary: 'Teams I belong to',
      tag: 'teams',
      auth: true,
      responses: { 200: { description: 'Teams with my role', schema: teamsResponse } },
      handler: async ({ auth }) => ({ body: { teams: await teams.listTeams(auth.userId) } }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams',
      summary: 'Create a team (I become its owner)',
      tag: 'teams',
      auth: true,
      body: createTeamBody,
      responses: { 201: { description: 'Created', schema: teamResponse } },
      handler: async ({ auth, body }) => ({
        status: 201,
        body: { team: await teams.createTeam(auth.userId, body.name) },
      }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}',
      summary: 'One team',
      tag: 'teams',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Team', schema: teamResponse } },
      handler: async ({ membership }) => ({ body: { team: await teams.getTeam(membership) } }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}',
      summary: 'Rename a team or change its time zone',
      tag: 'teams',
      auth: true,
      teamRole: 'admin',
      params: teamParams,
      body: updateTeamBody,
      responses: { 200: { description: 'Updated team', schema: teamResponse } },
      handler: async ({ membership, body }) => ({ body: { team: await teams.updateTeam(membership, body) } }),
    }),
    defineRoute({
      method: 'get',
      path: '/teams/{teamId}/members',
      summary: 'Members of a team',
      tag: 'members',
      auth: true,
      teamRole: 'viewer',
      params: teamParams,
      responses: { 200: { description: 'Members', schema: membersResponse } },
      handler: async ({ membership }) => ({ body: { members: await teams.listMembers(membership) } }),
    }),
    defineRoute({
      method: 'post',
      path: '/teams/{teamId}/members',
      summary: 'Add a registered user by email (only an owner may grant owner)',
      tag: 'members',
      auth: true,
      teamRole: 'admin',
      params: teamParams,
      body: addMemberBody,
      responses: {
        201: { description: 'Added', schema: memberResponse },
        409: { description: 'already_member' },
        422: { description: 'user_not_found' },
      },
      handler: async ({ membership, body }) => ({
        status: 201,
        body: { member: await teams.addMember(membership, body.email, body.role) },
      }),
    }),
    defineRoute({
      method: 'patch',
      path: '/teams/{teamId}/members/{userId}',
      summary: "Change a member's role",
      tag: 'members',
      auth: true,
      teamRole: 'admin',
      params: memberParams,
      body: changeRoleBody,
      responses: {
        200: { description: 'Updated', schema: memberResponse },
        409: { description: 'last_owner' },
      },
      handler: async ({ membership, params, body }) => ({
        body: { member: await teams.changeRole(membership, params.userId, body.role) },
      }),
    }),
    defineRoute({
      method: 'delete',
      path: '/teams/{teamId}/members/{userId}',
      summary: 'Remove a member (admin+), or leave the team (yourself)',
      tag: 'members',
      auth: true,
      // Any member may call it to leave; removing someone else needs admin (checked in the service).
      teamRole: 'viewer',
      params: memberParams,
      responses: { 204: { description: 'Removed' }, 409: { description: 'last_owner' } },
      handler: async ({ membership, auth, params }) => {
        await teams.removeMember(membership, auth.userId, params.userId);
        return { status: 204 };
      },
    }),
  ];
}
