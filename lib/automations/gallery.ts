import { parseDuration } from './durations';
import { timeZoneProblem } from './schedule';
import type { DefinitionProblem } from './problems';
import { validateDefinition, type ValidationResult } from './validate';

/**
 * Ready automations a builder starts from. Each names what it needs (a campaign, a sequence, an address) and
 * what must be connected; `instantiateTemplate` fills those in and validates the result like any save.
 */
type NeedKind = 'campaign' | 'sequence' | 'email' | 'duration' | 'time_zone' | 'tag';

interface Need {
  key: string;
  kind: NeedKind;
  label: string;
  /** Used when the builder leaves it empty; without one the value is required. */
  default?: string;
}

export interface AutomationTemplate {
  id: string;
  name: string;
  description: string;
  trigger: 'webhook' | 'schedule' | 'clickbank' | 'event' | 'manual';
  /** The accounts it uses (sandboxes stand in for them until a team connects its own). */
  connects: string[];
  needs: Need[];
  build(values: Record<string, string>): unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const saleBonus: AutomationTemplate = {
  id: 'sale-bonus-follow-up',
  name: 'New sale: deliver the bonus and start the follow-up emails',
  description:
    'When ClickBank reports a sale for the campaign, email the buyer the download links of its bonuses ' +
    '(Hopflow sends one bonus email per sale, never two) and start a follow-up sequence for the buyer.',
  trigger: 'clickbank',
  connects: ['ClickBank', 'Postmark'],
  needs: [
    { key: 'campaign_id', kind: 'campaign', label: 'Campaign whose sales start it' },
    { key: 'sequence_id', kind: 'sequence', label: 'Follow-up sequence for buyers' },
  ],
  build: (v) => ({
    version: 1,
    trigger: { type: 'clickbank', transaction_types: ['SALE', 'TEST_SALE'], campaign_id: v.campaign_id },
    steps: [
      {
        id: 'bonus',
        name: 'Email the bonus links',
        type: 'deliver_bonus',
        config: {
          receipt: '{{ trigger.receipt }}',
          item_no: '{{ trigger.line_items[0].item_no }}',
          email: '{{ trigger.customer.email }}',
        },
      },
      {
        id: 'follow_up',
        name: 'Start the follow-up emails',
        type: 'add_to_sequence',
        config: { sequence_id: v.sequence_id, contact: '{{ trigger.customer.email }}' },
      },
    ],
  }),
};

const weeklyReview: AutomationTemplate = {
  id: 'weekly-review-approval',
  name: 'Weekly review article, published after your approval',
  description:
    'Every Monday at 9:00 Claude drafts a review article for the campaign; an editor approves or rejects it ' +
    'on the run page, and an approved article is published on WordPress.',
  trigger: 'schedule',
  connects: ['Anthropic', 'WordPress'],
  needs: [
    { key: 'campaign_id', kind: 'campaign', label: 'Campaign to write about' },
    { key: 'timezone', kind: 'time_zone', label: 'Your time zone', default: 'UTC' },
    { key: 'decide_within', kind: 'duration', label: 'Time to decide', default: '3d' },
  ],
  build: (v) => ({
    version: 1,
    trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: v.timezone },
    steps: [
      {
        id: 'draft',
        name: 'Draft the review',
        type: 'generate_content',
        config: { campaign_id: v.campaign_id, type: 'review_article', tone: 'honest' },
      },
      {
        id: 'approval',
        name: 'Approve the review',
        type: 'wait_for_approval',
        config: {
          approvers: { roles: ['editor'] },
          message: 'Publish “{{ steps.draft.output.title }}”?',
          timeout: v.decide_within,
          on_timeout: 'reject',
        },
      },
      {
        id: 'publish',
        name: 'Publish on WordPress',
        type: 'publish_wordpress',
        if: 'steps.approval.output.decision == "approve"',
        config: { content_id: '{{ steps.draft.output.content_id }}' },
      },
    ],
  }),
};

const refundCleanup: AutomationTemplate = {
  id: 'refund-cleanup',
  name: 'Refund: stop the follow-up and tell the team',
  description:
    'When a sale is refunded or charged back, stop the buyer’s follow-up sequence, tag the buyer "refunded" and ' +
    'email the team. (Hopflow already revokes the buyer’s bonus links on every refund.)',
  trigger: 'clickbank',
  connects: ['ClickBank', 'Postmark'],
  needs: [
    { key: 'sequence_id', kind: 'sequence', label: 'Follow-up sequence to stop' },
    { key: 'team_email', kind: 'email', label: 'Who to tell' },
  ],
  build: (v) => ({
    version: 1,
    trigger: { type: 'clickbank', transaction_types: ['RFND', 'CGBK', 'TEST_RFND'] },
    steps: [
      // Tagging first makes the buyer a contact when they were none, so the stop never fails on them.
      {
        id: 'tag',
        name: 'Tag the buyer',
        type: 'tag_contact',
        config: { contact: '{{ trigger.customer.email }}', add: ['refunded'] },
      },
      {
        id: 'stop',
        name: 'Stop the follow-up emails',
        type: 'remove_from_sequence',
        config: { sequence_id: v.sequence_id, contact: '{{ trigger.customer.email }}', reason: 'refunded' },
      },
      {
        id: 'tell',
        name: 'Tell the team',
        type: 'send_email',
        config: {
          to: v.team_email,
          subject: 'Refund: receipt {{ trigger.receipt }}',
          body:
            '{{ trigger.customer.email }}: {{ trigger.transaction_type }} of receipt {{ trigger.receipt }} ' +
            '({{ trigger.amount }} {{ trigger.currency }} for you). Their follow-up emails are stopped and their bonus links revoked.',
        },
      },
    ],
  }),
};

const webhookLead: AutomationTemplate = {
  id: 'webhook-lead-drip',
  name: 'Lead from a form: welcome email and three follow-ups',
  description:
    'When your form or landing page sends a new lead to this automation’s web address, the lead is tagged ' +
    '"lead", welcomed at once, and gets three more emails over the following days.',
  trigger: 'webhook',
  connects: ['Postmark'],
  needs: [
    { key: 'campaign_id', kind: 'campaign', label: 'Campaign the emails promote' },
    { key: 'gap', kind: 'duration', label: 'Time between emails', default: '2d' },
  ],
  build: (v) => {
    const email = (id: string, name: string, subject: string, body: string) => ({
      id,
      name,
      type: 'send_email',
      config: { to: '{{ trigger.email }}', subject, body, campaign_id: v.campaign_id },
    });
    const wait = (id: string) => ({ id, name: 'Wait', type: 'wait', config: { duration: v.gap } });
    return {
      version: 1,
      trigger: { type: 'webhook', auth: { scheme: 'token' } },
      steps: [
        {
          id: 'tag',
          name: 'Tag the lead',
          type: 'tag_contact',
          config: { contact: '{{ trigger.email }}', add: ['lead'] },
        },
        email(
          'welcome',
          'Welcome email',
          // A form may leave the name out: a missing field would fail the step, so ask whether it is there.
          'Welcome{{ has(trigger.name) && trigger.name != null ? ", " + string(trigger.name) : "" }}!',
          'Thanks for signing up. Here is what comes next.',
        ),
        wait('wait_1'),
        email(
          'tip_1',
          'First follow-up',
          'A quick tip to get started',
          'Most people start with one small change.',
        ),
        wait('wait_2'),
        email(
          'tip_2',
          'Second follow-up',
          'What others did in week one',
          'Here is what worked for readers like you.',
        ),
        wait('wait_3'),
        email(
          'offer',
          'Third follow-up',
          'The guide I recommend',
          'When you are ready, this is the guide I recommend.',
        ),
      ],
    };
  },
};

const refusedEmail: AutomationTemplate = {
  id: 'refused-email-tag',
  name: 'Refused email: tag the contact and tell the team',
  description:
    'When an email to a contact is refused (a hard bounce or a spam complaint), tag the contact ' +
    '"undeliverable" so broadcasts can skip them, and email the team.',
  trigger: 'event',
  connects: ['Postmark'],
  needs: [{ key: 'team_email', kind: 'email', label: 'Who to tell' }],
  build: (v) => ({
    version: 1,
    trigger: { type: 'event', event: 'email.refused' },
    steps: [
      {
        // The payload's contact is null when the address is no contact of the team: nothing to tag then.
        id: 'tag',
        name: 'Tag the contact',
        type: 'tag_contact',
        if: 'trigger.contact != null',
        config: { contact: '{{ trigger.contact.id }}', add: ['undeliverable'] },
      },
      {
        id: 'tell',
        name: 'Tell the team',
        type: 'send_email',
        config: {
          to: v.team_email,
          subject: 'An email to {{ trigger.email.to }} was refused',
          body:
            'Postmark refused the {{ trigger.email.kind }} email "{{ trigger.email.subject }}" to ' +
            '{{ trigger.email.to }}: {{ trigger.reason }}. ' +
            '{{ trigger.contact != null ? "The contact is tagged \\"undeliverable\\"." : "The address is not one of your contacts." }}',
        },
      },
    ],
  }),
};

const taggedBuyer: AutomationTemplate = {
  id: 'tagged-contact-sequence',
  name: 'Contact tagged: start a sequence',
  description:
    'When a contact gets a tag you choose (by hand, by import or by another automation), enroll them in a ' +
    'sequence.',
  trigger: 'event',
  connects: ['Postmark'],
  needs: [
    { key: 'tag', kind: 'tag', label: 'The tag' },
    { key: 'sequence_id', kind: 'sequence', label: 'Sequence to start' },
  ],
  build: (v) => ({
    version: 1,
    trigger: {
      type: 'event',
      event: 'contact.tagged',
      filter: `${JSON.stringify(v.tag?.trim().toLowerCase() ?? '')} in trigger.tags_added`,
    },
    steps: [
      {
        id: 'enroll',
        name: 'Start the sequence',
        type: 'add_to_sequence',
        config: { sequence_id: v.sequence_id, contact: '{{ trigger.contact.email }}' },
      },
    ],
  }),
};

export const automationTemplates: AutomationTemplate[] = [
  saleBonus,
  weeklyReview,
  refundCleanup,
  webhookLead,
  refusedEmail,
  taggedBuyer,
];

/** What to enter when a value is missing, in the builder's words (shown at the field). */
const missingWords: Record<NeedKind, string> = {
  campaign: 'Choose a campaign',
  sequence: 'Choose a sequence',
  email: 'Enter an email address',
  duration: 'Enter a duration such as 30m, 2h or 2d',
  time_zone: 'Enter a time zone such as Europe/Berlin',
  tag: 'Enter a tag',
};

function valueProblem(need: Need, value: string): string | undefined {
  switch (need.kind) {
    case 'campaign':
    case 'sequence':
      return UUID.test(value) ? undefined : `Choose a ${need.kind} from the list`;
    case 'email':
      return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)
        ? undefined
        : 'Enter an email address like team@example.com';
    case 'duration':
      return parseDuration(value) === undefined ? 'Enter a duration such as 30m, 2h or 2d' : undefined;
    case 'time_zone':
      return timeZoneProblem(value)
        ? 'Enter a time zone such as Europe/Berlin or America/New_York'
        : undefined;
    case 'tag':
      return value.length <= 40 ? undefined : 'Use at most 40 characters';
  }
}

/** The template's definition with the builder's values, validated; problems name `values.<key>` or the path. */
export function instantiateTemplate(
  template: AutomationTemplate,
  given: Record<string, unknown>,
): ValidationResult {
  const problems: DefinitionProblem[] = [];
  const values: Record<string, string> = {};
  for (const need of template.needs) {
    const raw = given[need.key];
    const value = typeof raw === 'string' && raw.trim() !== '' ? raw.trim() : need.default;
    if (value === undefined) {
      problems.push({ path: `values.${need.key}`, message: missingWords[need.kind] });
      continue;
    }
    const problem = valueProblem(need, value);
    if (problem) problems.push({ path: `values.${need.key}`, message: problem });
    values[need.key] = value;
  }
  if (problems.length > 0) return { ok: false, problems };
  return validateDefinition(template.build(values));
}
