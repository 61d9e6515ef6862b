/**
 * Example definitions, one per kind of trigger, together using every step type. The tests validate them and
 * check them against the JSON Schema; docs/automations.md shows the same shapes.
 */
const CAMPAIGN = '3f2a6b1e-8c1d-4c5e-9a7b-2d4e6f8a0b1c';
const SEQUENCE = '7b9d1f3a-5c7e-4a9b-8d1f-3a5c7e9b1d3f';
const BONUS = 'c4e6a8b0-2d4f-4a6c-8e0a-2c4e6a8b0d2f';

export const exampleDefinitions = {
  /** A new sale: deliver the bonus, tag the buyer, start the follow-up sequence. */
  sale: {
    version: 1,
    trigger: {
      type: 'clickbank',
      transaction_types: ['SALE', 'TEST_SALE'],
      vendor: 'fitvendor',
      campaign_id: CAMPAIGN,
    },
    steps: [
      {
        id: 'bonus',
        name: 'Deliver the bonus',
        type: 'deliver_bonus',
        config: {
          receipt: '{{ trigger.receipt }}',
          item_no: '{{ trigger.line_items[0].item_no }}',
          email: '{{ trigger.customer.email }}',
          bonus_ids: [BONUS],
        },
        retry: { max_attempts: 5, initial_interval: '10s', backoff: 2, max_interval: '5m' },
      },
      {
        id: 'tag_buyer',
        name: 'Tag the buyer',
        type: 'tag_contact',
        config: { contact: '{{ trigger.customer.email }}', add: ['buyer', 'fitness'] },
      },
      {
        id: 'follow_up',
        name: 'Start the follow-up emails',
        type: 'add_to_sequence',
        if: 'trigger.amount >= 20',
        config: { sequence_id: SEQUENCE, contact: '{{ trigger.customer.email }}' },
      },
    ],
  },

  /** Every Monday: draft a review, wait for a decision, publish or tell the team. */
  weeklyReview: {
    version: 1,
    trigger: { type: 'schedule', cron: '0 9 * * 1', timezone: 'Europe/Berlin' },
    steps: [
      {
        id: 'draft',
        name: 'Draft the review',
        type: 'generate_content',
        config: {
          campaign_id: CAMPAIGN,
          type: 'review_article',
          tone: 'honest',
          keywords: ['keto'],
          length: 'long',
        },
      },
      {
        id: 'approval',
        name: 'Editor approves',
        type: 'wait_for_approval',
        config: {
          approvers: { roles: ['owner', 'editor'] },
          message: 'Publish "{{ steps.draft.output.title }}"?',
          timeout: '3d',
          on_timeout: 'reject',
        },
      },
      {
        id: 'decide',
        name: 'Publish when approved',
        type: 'branch',
        config: {
          branches: [
            {
              when: 'steps.approval.output.decision == "approve"',
              steps: [
                {
                  id: 'publish',
                  name: 'Publish on WordPress',
                  type: 'publish_wordpress',
                  config: { content_id: '{{ steps.draft.output.content_id }}', status: 'publish' },
                },
              ],
            },
          ],
          otherwise: [
            {
              id: 'tell_team',
              name: 'Tell the team',
              type: 'send_email',
              config: {
                to: 'team@example.com',
                subject: 'Review not published: {{ steps.draft.output.title }}',
                body: 'The review was {{ steps.approval.output.decision }}ed.',
              },
            },
          ],
        },
      },
    ],
  },

  /** A lead from a web form: welcome, wait, tag by interest, tell the CRM. */
  webhookLead: {
    version: 1,
    trigger: {
      type: 'webhook',
      auth: { scheme: 'standard_webhooks', tolerance: '5m' },
      filter: 'has(trigger.email) && trigger.consent == true',
      idempotency_key: '{{ trigger.lead_id }}',
    },
    steps: [
      {
        id: 'greeting',
        name: 'Pick a greeting',
        type: 'set_variable',
        config: { name: 'first', value: '{{ trigger.first_name }}' },
      },
      {
        id: 'welcome',
        name: 'Welcome email',
        type: 'send_email',
        config: {
          to: '{{ trigger.email }}',
          subject: 'Welcome, {{ vars.first }}!',
          body: 'Hi {{ vars.first }},\n\nthanks for signing up.',
          campaign_id: CAMPAIGN,
        },
      },
      { id: 'pause', name: 'Two days later', type: 'wait', config: { duration: '2d' } },
      {
        id: 'interests',
        name: 'Tag each interest',
        type: 'for_each',
        config: {
          items: 'trigger.interests',
          as: 'interest',
          max_items: 20,
          concurrency: 2,
          steps: [
            {
              id: 'tag_interest',
              name: 'Tag the interest',
              type: 'tag_contact',
              config: { contact: '{{ trigger.email }}', add: ['{{ vars.interest }}'] },
            },
          ],
        },
      },
      {
        id: 'crm',
        name: 'Tell the CRM',
        type: 'http_request',
        config: {
          method: 'POST',
          url: 'https://crm.example.com/api/leads',
          headers: { 'content-type': 'application/json' },
          body: { email: '{{ trigger.email }}', tags: '{{ trigger.interests }}', run: '{{ run.id }}' },
          timeout: '10s',
        },
        retry: { max_attempts: 3 },
        on_error: [
          {
            id: 'crm_failed',
            name: 'Report the CRM failure',
            type: 'send_email',
            config: {
              to: 'ops@example.com',
              subject: 'CRM sync failed',
              body: '{{ steps.crm.error.message }}',
            },
          },
        ],
      },
      {
        id: 'next_morning',
        name: 'Until the webinar',
        type: 'wait_until',
        config: { until: '{{ trigger.webinar_at }}' },
      },
    ],
  },

  /** A refused email: tag the contact, stop their sequence, wait for them to confirm a new address. */
  refusedEmail: {
    version: 1,
    trigger: { type: 'event', event: 'email.refused', filter: 'trigger.reason != "spam_complaint"' },
    steps: [
      {
        id: 'tag_bounced',
        name: 'Tag as bounced',
        type: 'tag_contact',
        config: { contact: '{{ trigger.contact.id }}', add: ['bounced'], remove: ['active-buyer'] },
      },
      {
        id: 'stop_sequence',
        name: 'Stop the drip',
        type: 'remove_from_sequence',
        config: { sequence_id: SEQUENCE, contact: '{{ trigger.contact.id }}', reason: 'email refused' },
      },
      {
        id: 'new_address',
        name: 'Wait for a new address',
        type: 'wait_for_event',
        config: {
          event: 'contact.tagged',
          match: 'event.contact.id == trigger.contact.id && "confirmed" in event.tags',
          timeout: '14d',
          on_timeout: [
            {
              id: 'give_up',
              name: 'Tag as lost',
              type: 'tag_contact',
              config: { contact: '{{ trigger.contact.id }}', add: ['lost'] },
            },
          ],
        },
      },
    ],
  },

  /** Started by hand: ask an outside service, wait for a signal, then a fixed time. */
  manualCheck: {
    version: 1,
    trigger: { type: 'manual' },
    steps: [
      {
        id: 'status',
        name: 'Check the status page',
        type: 'http_request',
        config: { url: 'https://status.example.com/api' },
      },
      {
        id: 'go_ahead',
        name: 'Wait for the go-ahead',
        type: 'wait_for_event',
        config: { signal: 'go_ahead', match: 'event.ok == true', timeout: '1d' },
      },
      { id: 'launch', name: 'Launch day', type: 'wait_until', config: { until: '2027-01-15T09:00:00Z' } },
    ],
  },

  /** Every day at a fixed interval. */
  dailyDigest: {
    version: 1,
    trigger: { type: 'schedule', every: '1d', timezone: 'America/New_York' },
    steps: [
      {
        id: 'digest',
        name: 'Send the digest',
        type: 'send_email',
        config: {
          to: 'me@example.com',
          subject: 'Digest for {{ run.started_at }}',
          body: 'Run {{ run.id }}',
        },
      },
    ],
  },
};
