import type { Knex } from 'knex';
import {
  bonusNamesOfReceipt,
  contactsOfReceipt,
  countRevokedDeliveries,
  insertRevocation,
  lockReceipt,
  revokeDeliveries,
  type RevocationReason,
} from '../data/bonus-deliveries';
import { listOwnersAndAdmins } from '../data/members';
import { inTransaction } from '../data/transaction';
import { revocationReasonOf } from '../lib/clickbank/ins';
import type { BonusRevocationInput } from '../workflows/contracts/bonus-revocation';
import type { TrackedEmail } from './email';

export interface BonusRevocationResult {
  reason: RevocationReason;
  /** False when an earlier refund/chargeback of the receipt had been recorded already. */
  inserted: boolean;
  /** Deliveries of the receipt that are revoked now (by this call or an earlier attempt). */
  revoked: number;
  /** The buyers' contacts, whose sequences the workflow stops. */
  contactIds: string[];
}

/** A refund or chargeback: the receipt's bonus links are withdrawn and the team's owners and admins told. */
export function createBonusRevocationActivities({ db }: { db: Knex }) {
  return {
    /**
     * Records the refund or chargeback (kept even when it arrives before the sale) and revokes every delivery of
     * the receipt, under the same lock the delivery takes.
     */
    async revokeBonusAccess(input: BonusRevocationInput): Promise<BonusRevocationResult> {
      const reason = revocationReasonOf(input.transactionType) ?? 'refund';
      return inTransaction(db, async (trx) => {
        await lockReceipt(trx, input.teamId, input.receipt);
        const inserted = await insertRevocation(trx, {
          teamId: input.teamId,
          receipt: input.receipt,
          reason,
          transactionType: input.transactionType,
          webhookEventId: input.webhookEventId,
        });
        await revokeDeliveries(trx, input.teamId, input.receipt, reason);
        const revoked = await countRevokedDeliveries(trx, input.teamId, input.receipt);
        const contactIds = await contactsOfReceipt(trx, input.teamId, input.receipt);
        return { reason, inserted, revoked, contactIds };
      });
    },

    /** One notification per owner and admin of the team that a buyer's bonus access was withdrawn. */
    async bonusRevocationNotices(r: {
      teamId: string;
      receipt: string;
      reason: RevocationReason;
    }): Promise<TrackedEmail[]> {
      const people = await listOwnersAndAdmins(db, r.teamId);
      const lines = await bonusNamesOfReceipt(db, r.teamId, r.receipt);
      const buyer = lines[0]?.buyerEmail ?? 'the buyer';
      const what = r.reason === 'chargeback' ? 'a chargeback' : 'a refund';
      const textBody = [
        `ClickBank reported ${what} for receipt ${r.receipt}.`,
        `Access to the bonuses delivered to ${buyer} was withdrawn: ${[...new Set(lines.map((l) => l.name))].join(', ') || 'none'}. Their links now answer that access was withdrawn, and the buyer's email sequences were stopped.`,
      ].join('\n\n');
      return people.map((p) => ({
        teamId: r.teamId,
        idempotencyKey: `bonus-revoked:${r.teamId}:${r.receipt}:${p.userId}`,
        kind: 'notification' as const,
        to: p.email,
        subject: `Bonus access withdrawn after ${what} (receipt ${r.receipt})`,
        textBody,
        tag: 'bonus-revoked',
        metadata: { receipt: r.receipt },
      }));
    },
  };
}

export type BonusRevocationActivities = ReturnType<typeof createBonusRevocationActivities>;
