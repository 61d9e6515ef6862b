/**
 * Names shared by the content pipeline workflow and the API, so the API can start, query and update runs by
 * name without loading workflow code.
 */
export const CONTENT_PIPELINE_WORKFLOW = 'contentPipelineWorkflow';
export const REVIEW_UPDATE = 'review';
export const RESCHEDULE_UPDATE = 'reschedule';
export const PROGRESS_QUERY = 'progress';

/** Failure type of a refused review or reschedule; the API answers 409 invalid_transition with its message. */
export const INVALID_TRANSITION = 'InvalidTransition';

/** Business key: one pipeline run per content item. */
export const contentWorkflowId = (contentId: string): string => `content:${contentId}`;
