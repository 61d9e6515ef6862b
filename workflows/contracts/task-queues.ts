/** Task queues: `main` for most work, `priority` for short user-facing runs, `slow` for AI generation. */
export const TaskQueue = {
  main: 'main',
  priority: 'priority',
  slow: 'slow',
} as const;

export type TaskQueueName = (typeof TaskQueue)[keyof typeof TaskQueue];

export const allTaskQueues: TaskQueueName[] = Object.values(TaskQueue);
