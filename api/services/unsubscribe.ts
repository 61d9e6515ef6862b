import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { setContactStatus } from '../../data/contacts';
import { findContactTeamId } from '../../data/sequence-runs';
import type { Config } from '../../lib/config';
import { verifyLinkToken } from '../../lib/links';
import type { Logger } from '../../lib/logger';
import { createSequenceRunner } from '../../temporal/sequence-runs';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The one-click unsubscribe behind /u/{token}: the signed token names the contact, no login. */
export function createUnsubscribeService(deps: {
  db: Knex;
  config: Pick<Config, 'links'>;
  logger: Logger;
  temporal: Client | null;
}) {
  const { db } = deps;
  const runner = createSequenceRunner({ db, temporal: deps.temporal });

  return {
    /**
     * Unsubscribes the token's contact and stops their sequences. False (nothing changed) when the token is bad,
     * forged or names no contact. Idempotent.
     */
    async unsubscribe(token: string): Promise<boolean> {
      const verdict = verifyLinkToken(deps.config.links.secret, 'unsubscribe', token);
      if (!verdict.ok || !UUID.test(verdict.claims.id)) return false;
      const contactId = verdict.claims.id;
      const teamId = await findContactTeamId(db, contactId);
      if (!teamId) return false;
      await setContactStatus(db, { teamId, contactId, status: 'unsubscribed', reason: 'unsubscribe link' });
      try {
        await runner.stopContactSequences({ teamId, contactId, reason: 'The contact unsubscribed' });
      } catch (err) {
        // The runs are marked stopped already, and every later send checks the contact's status.
        deps.logger.warn({ err, contactId }, 'could not signal every sequence run to stop');
      }
      return true;
    },
  };
}
