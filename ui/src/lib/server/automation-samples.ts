/**
 * Sample trigger payloads for the builder, built on the server (the ClickBank sample goes through the INS
 * parser, which needs node:crypto): page loads prefill with them, browser code asks `.../test-run` (GET).
 */
export { sampleTriggerPayload } from '../../../../lib/automations/sample-payloads';
