/**
 * What each step type gives later steps as `steps.<id>.output` (docs/automations.md, "Step actions" for the
 * actions; the interpreter, workflows/automation-interpreter.ts, for flow steps), for the builder's variable
 * picker. Each field says in words what it holds.
 */
import type { StepType } from './steps';

export interface StepOutputField {
  field: string;
  description: string;
}

const f = (field: string, description: string): StepOutputField => ({ field, description });

export const stepOutputs: Record<StepType, StepOutputField[]> = {
  generate_content: [
    f('content_id', 'the new content'),
    f('status', 'where the content stands'),
    f('title', 'its title'),
    f('url', 'its address once published'),
  ],
  send_email: [
    f('message_id', 'the email sent'),
    f('to', 'the address'),
    f('status', 'sent, skipped or refused'),
    f('reason', 'why it was skipped or refused'),
    f('contact_id', 'the contact with that address'),
  ],
  add_to_sequence: [
    f('sequence_id', 'the sequence'),
    f('contact_id', 'the contact'),
    f('email', 'the contact’s address'),
    f('status', 'started, already_running or skipped'),
    f('reason', 'why it was skipped'),
  ],
  remove_from_sequence: [
    f('sequence_id', 'the sequence'),
    f('contact_id', 'the contact'),
    f('email', 'the contact’s address'),
    f('stopped', 'how many sequence runs were stopped'),
  ],
  tag_contact: [
    f('contact_id', 'the contact'),
    f('email', 'the contact’s address'),
    f('tags', 'all the contact’s tags now'),
    f('added', 'the tags added'),
    f('removed', 'the tags removed'),
  ],
  deliver_bonus: [
    f('receipt', 'the sale'),
    f('item_no', 'the item'),
    f('email', 'where the bonus went'),
    f('campaign_id', 'the campaign of the sale'),
    f('status', 'what happened'),
    f('bonuses', 'the bonuses delivered'),
    f('contact_id', 'the buyer as a contact'),
    f('message_id', 'the email sent'),
  ],
  publish_wordpress: [
    f('content_id', 'the content'),
    f('status', 'published, draft or scheduled'),
    f('post_id', 'the WordPress post'),
    f('url', 'its address'),
    f('publish_at', 'when it is published'),
  ],
  http_request: [
    f('status', 'the answer’s status code'),
    f('headers', 'the answer’s headers'),
    f('body', 'the answer (its fields when it is JSON)'),
    f('url', 'the address called'),
    f('redirects', 'how many redirects were followed'),
  ],
  set_variable: [f('name', 'the variable'), f('value', 'its value')],
  branch: [f('branch', 'the number of the path that ran, or otherwise')],
  for_each: [f('count', 'how many items')],
  wait: [f('waited_ms', 'how long it waited, in milliseconds')],
  wait_until: [f('until', 'the date it waited for'), f('waited_ms', 'how long it waited, in milliseconds')],
  wait_for_event: [
    f('timed_out', 'true when nothing came in time'),
    f('type', 'what came'),
    f('id', 'its id'),
    f('event', 'what the event carried'),
    f('received_at', 'when it came'),
  ],
  wait_for_approval: [
    f('decision', 'approve or reject'),
    f('decided_by', 'who decided'),
    f('note', 'their note'),
    f('decided_at', 'when'),
    f('timed_out', 'true when nobody decided in time'),
  ],
};
