/** Step and trigger types in words, for the builder's palette, the flow and the run pages. */
import type { StepType } from '$lib/automations';

export type StepGroup = 'Act' | 'Decide' | 'Wait';

export const stepWords: Record<StepType, { label: string; group: StepGroup }> = {
  send_email: { label: 'Send an email', group: 'Act' },
  add_to_sequence: { label: 'Start an email sequence', group: 'Act' },
  remove_from_sequence: { label: 'Stop an email sequence', group: 'Act' },
  tag_contact: { label: 'Tag a contact', group: 'Act' },
  deliver_bonus: { label: 'Deliver a bonus', group: 'Act' },
  generate_content: { label: 'Write content with AI', group: 'Act' },
  publish_wordpress: { label: 'Publish on WordPress', group: 'Act' },
  http_request: { label: 'Call another app (HTTP)', group: 'Act' },
  set_variable: { label: 'Remember a value', group: 'Act' },
  branch: { label: 'Choose a path (if / otherwise)', group: 'Decide' },
  for_each: { label: 'Repeat for each item', group: 'Decide' },
  wait: { label: 'Wait a while', group: 'Wait' },
  wait_until: { label: 'Wait until a date', group: 'Wait' },
  wait_for_event: { label: 'Wait for something to happen', group: 'Wait' },
  wait_for_approval: { label: 'Wait for approval', group: 'Wait' },
};

export type TriggerType = 'webhook' | 'schedule' | 'clickbank' | 'event' | 'manual';

export const triggerWords: Record<TriggerType, string> = {
  webhook: 'When another app calls its web address (webhook)',
  schedule: 'On a schedule',
  clickbank: 'When ClickBank reports a sale, refund or rebill',
  event: 'When something happens in Hopflow',
  manual: 'Only when started by hand',
};

export function stepLabel(type: string): string {
  return (stepWords as Record<string, { label: string } | undefined>)[type]?.label ?? type.replace(/_/g, ' ');
}
