import {
  CancellationScope,
  log,
  ParentClosePolicy,
  patched,
  proxyActivities,
  startChild,
  WorkflowIdReusePolicy,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type SearchAttributePair } from '@temporalio/common';
import type { BonusDeliveryActivities, BonusPlan } from '../activities/bonus-delivery';
import type { ClickbankNotificationActivities } from '../activities/clickbank-notifications';
import { bonusDeliveryWorkflowId } from './contracts/bonus-delivery';
import { bonusRevocationWorkflowId } from './contracts/bonus-revocation';
import type {
  ClickbankNotificationInput,
  ClickbankNotificationResult,
} from './contracts/clickbank-notification';
import { SearchAttr } from './contracts/search-attributes';
import { bonusDeliveryWorkflow } from './bonus-delivery.workflow';
import { bonusRevocationWorkflow } from './bonus-revocation.workflow';
import { databaseStep } from './activity-options';

/** Patch id of the bonus hookup: runs recorded before it replay without the bonus step. */
const BONUS_DELIVERY_PATCH = 'bonus-delivery';
/** Patch id of the automation triggers: runs recorded before it replay without starting automations. */
const AUTOMATION_TRIGGERS_PATCH = 'automation-triggers';

const { recordClickbankNotification, markClickbankNotificationFailed, startClickbankAutomations } =
  // Database trouble is transient; a missing or unreadable event fails at once (non-retryable failures).
  proxyActivities<ClickbankNotificationActivities>(databaseStep);

const { planBonusWork } = proxyActivities<BonusDeliveryActivities>(databaseStep);

/**
 * A ClickBank INS notification, after the webhook stored it: records the sale, rebill, refund or chargeback in
 * analytics (attributed to the campaign whose tid it carries) and marks the event processed. Started with the
 * workflow id `clickbank-ins:<teamId>:<dedupeKey>`, so a redelivered notification reaches this same run.
 * Then the bonus runs: SALE, BILL and TEST_SALE start one `bonus:<receipt>:<itemNo>` delivery per line item,
 * RFND and CGBK one revocation; they run on their own (ParentClosePolicy ABANDON), and one already started
 * means another notification handled that line. Last, the team's active automations with a matching
 * `clickbank` trigger start, each once per notification (`auto:<automationId>:cb:<dedupeKey>`).
 */
export async function clickbankNotificationWorkflow(
  input: ClickbankNotificationInput,
): Promise<ClickbankNotificationResult> {
  try {
    const summary = await recordClickbankNotification.executeWithOptions(
      { summary: 'Record the ClickBank transaction in analytics' },
      [input],
    );
    if (!patched(BONUS_DELIVERY_PATCH)) return summary;
    const plan = await planBonusWork.executeWithOptions({ summary: 'Work out which bonus runs to start' }, [
      { teamId: input.teamId, webhookEventId: input.webhookEventId },
    ]);
    const bonusRuns = await startBonusRuns(input, plan);
    if (!patched(AUTOMATION_TRIGGERS_PATCH)) return { ...summary, bonusRuns };
    return { ...summary, bonusRuns, automationRuns: await startAutomations(input) };
  } catch (err) {
    const reason = err instanceof Error ? failureMessage(err) : String(err);
    await CancellationScope.nonCancellable(() =>
      markClickbankNotificationFailed.executeWithOptions({ summary: 'Mark the notification as failed' }, [
        { webhookEventId: input.webhookEventId, reason },
      ]),
    );
    throw err;
  }
}

/**
 * The team's automations triggered by this notification, after analytics and bonuses: those are the platform's
 * own duties and an automation that cannot start must not leave the notification marked failed. A start that
 * fails after the activity's retries is logged and the notification counts as handled.
 */
async function startAutomations(
  input: ClickbankNotificationInput,
): Promise<NonNullable<ClickbankNotificationResult['automationRuns']>> {
  try {
    return await startClickbankAutomations.executeWithOptions(
      { summary: 'Start the automations this notification triggers' },
      [input],
    );
  } catch (err) {
    log.warn('ClickBank automations not started', {
      teamId: input.teamId,
      webhookEventId: input.webhookEventId,
      error: err instanceof Error ? failureMessage(err) : String(err),
    });
    return [];
  }
}

async function startBonusRuns(
  input: ClickbankNotificationInput,
  plan: BonusPlan,
): Promise<{ workflowId: string; started: boolean }[]> {
  const attributes = (campaignId: string | null): SearchAttributePair[] => [
    { key: SearchAttr.TeamId, value: input.teamId },
    { key: SearchAttr.TriggerSource, value: 'clickbank-ins' },
    ...(campaignId ? [{ key: SearchAttr.CampaignId, value: campaignId }] : []),
  ];
  const common = {
    parentClosePolicy: ParentClosePolicy.ABANDON,
    // A closed run with this id means the line was handled: never run it again.
    workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
  };
  const runs: { workflowId: string; started: boolean }[] = [];
  const start = async (workflowId: string, begin: () => Promise<unknown>) => {
    try {
      await begin();
      runs.push({ workflowId, started: true });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      runs.push({ workflowId, started: false });
    }
  };
  if (plan.kind === 'deliver') {
    for (const line of plan.lines) {
      const workflowId = bonusDeliveryWorkflowId(plan.receipt, line.itemNo);
      await start(workflowId, () =>
        startChild(bonusDeliveryWorkflow, {
          ...common,
          workflowId,
          args: [
            {
              teamId: input.teamId,
              webhookEventId: input.webhookEventId,
              receipt: plan.receipt,
              itemNo: line.itemNo,
            },
          ],
          typedSearchAttributes: attributes(line.campaignId),
          staticSummary: `Bonus delivery for ClickBank ${plan.transactionType} ${plan.receipt}, item ${line.itemNo}`,
        }),
      );
    }
  } else if (plan.kind === 'revoke') {
    const workflowId = bonusRevocationWorkflowId(plan.receipt, plan.transactionType);
    await start(workflowId, () =>
      startChild(bonusRevocationWorkflow, {
        ...common,
        workflowId,
        args: [
          {
            teamId: input.teamId,
            webhookEventId: input.webhookEventId,
            receipt: plan.receipt,
            transactionType: plan.transactionType,
          },
        ],
        typedSearchAttributes: attributes(plan.campaignId ?? null),
        staticSummary: `Revoke bonus access after ClickBank ${plan.transactionType} ${plan.receipt}`,
      }),
    );
  }
  return runs;
}

/** Activity errors arrive wrapped in ActivityFailure; the cause carries the useful message. */
function failureMessage(err: Error): string {
  const cause = (err as Error & { cause?: unknown }).cause;
  return cause instanceof Error ? cause.message : err.message;
}
