import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Activity options shared by the workflows. Database steps are quick and retried through transient trouble
 * (a missing row fails at once: those activities throw non-retryable failures). Email sends retry Postmark's
 * transient answers (429, 5xx) a little slower; a permanent refusal comes back as a result, not an error. The
 * 30 s limit is also how long a killed worker's send takes to be retried elsewhere.
 */
export const databaseStep: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '1 second',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
};

export const emailSend: ActivityOptions = {
  startToCloseTimeout: '30 seconds',
  retry: {
    initialInterval: '2 seconds',
    backoffCoefficient: 2,
    maximumInterval: '1 minute',
    maximumAttempts: 10,
  },
};
