import { randomUUID } from 'node:crypto';
import { WorkflowNotFoundError, type Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { AppError, badRequest, conflict, serviceUnavailable } from '../../lib/errors';
import type { Logger } from '../../lib/logger';
import { startBroadcast } from '../../temporal/starts';
import { cancelBroadcastSignal, type BroadcastInput } from '../../workflows/contracts/broadcast';
import { findCampaign } from '../../data/campaigns';
import {
  findBroadcast,
  insertBroadcast,
  listBroadcasts,
  setBroadcastStatus,
  type BroadcastRow,
} from '../../data/broadcasts';
import type { TeamMembership } from '../http/locals';

const LIST_LIMIT = 100;
/** A sendAt this far in the past still counts as "now" (clock skew, a slow form). */
const PAST_GRACE_MS = 60_000;

const broadcastNotFound = () => new AppError(404, 'broadcast_not_found', 'Broadcast not found');
const temporalUnavailable = () =>
  serviceUnavailable('Temporal is not reachable right now; try again shortly', 'temporal_unavailable');

export interface BroadcastServiceDeps {
  db: Knex;
  logger: Logger;
  temporal: { client: Client } | null;
}

export function createBroadcastService(deps: BroadcastServiceDeps) {
  const { db, logger } = deps;

  const client = (): Client => {
    if (!deps.temporal) throw temporalUnavailable();
    return deps.temporal.client;
  };

  async function load(m: TeamMembership, broadcastId: string): Promise<BroadcastRow> {
    const broadcast = await findBroadcast(db, m.teamId, broadcastId);
    if (!broadcast) throw broadcastNotFound();
    return broadcast;
  }

  return {
    /** Stores the broadcast (scheduled) and starts `broadcast:<id>`, which waits durably until sendAt. */
    async create(
      m: TeamMembership,
      userId: string,
      body: {
        name: string;
        subject: string;
        body: string;
        tag: string;
        campaignId?: string;
        sendAt?: string;
      },
    ) {
      const now = Date.now();
      let sendAt = body.sendAt ? new Date(body.sendAt) : new Date(now);
      if (sendAt.getTime() < now - PAST_GRACE_MS) {
        throw badRequest('The request is not valid', [
          { path: 'sendAt', message: 'Choose a time in the future (or leave it out to send now)' },
        ]);
      }
      if (sendAt.getTime() < now) sendAt = new Date(now);
      if (body.campaignId && !(await findCampaign(db, m.teamId, body.campaignId))) {
        throw new AppError(404, 'campaign_not_found', 'Campaign not found', [
          { path: 'campaignId', message: 'No campaign of this team has this id' },
        ]);
      }
      const temporal = client();
      const id = randomUUID();
      const broadcast = await insertBroadcast(db, {
        ...body,
        id,
        teamId: m.teamId,
        sendAt,
        createdBy: userId,
      });
      const input: BroadcastInput = { teamId: m.teamId, broadcastId: id, sendAt: sendAt.toISOString() };
      try {
        await startBroadcast(temporal, {
          input,
          userId,
          name: body.name,
          tag: body.tag,
        });
      } catch (err) {
        logger.warn({ err, workflowId: broadcast.workflowId }, 'could not start the broadcast');
        await setBroadcastStatus(db, {
          teamId: m.teamId,
          broadcastId: id,
          from: ['scheduled'],
          status: 'failed',
          failure: 'The broadcast could not be started',
        });
        throw temporalUnavailable();
      }
      return { broadcast };
    },

    list: async (m: TeamMembership) => ({ broadcasts: await listBroadcasts(db, m.teamId, LIST_LIMIT) }),

    get: async (m: TeamMembership, broadcastId: string) => ({ broadcast: await load(m, broadcastId) }),

    /** Only before sending starts: marked at once, then the workflow's timer is woken to end the run. */
    async cancel(m: TeamMembership, broadcastId: string) {
      const current = await load(m, broadcastId);
      if (current.status === 'cancelled') return { broadcast: current };
      const cancelled = await setBroadcastStatus(db, {
        teamId: m.teamId,
        broadcastId,
        from: ['scheduled'],
        status: 'cancelled',
      });
      if (!cancelled) {
        throw conflict(
          `The broadcast is ${(await load(m, broadcastId)).status}; only a scheduled one can be cancelled`,
          'broadcast_not_cancellable',
        );
      }
      if (deps.temporal) {
        try {
          await deps.temporal.client.workflow.getHandle(current.workflowId).signal(cancelBroadcastSignal);
        } catch (err) {
          // The row is cancelled either way: the workflow checks it before it begins sending.
          if (!(err instanceof WorkflowNotFoundError)) {
            logger.warn({ err, broadcastId }, 'could not signal the broadcast to cancel');
          }
        }
      }
      return { broadcast: await load(m, broadcastId) };
    },
  };
}

export type BroadcastService = ReturnType<typeof createBroadcastService>;
