import { describe, expect, it } from 'vitest';
import { countUnfinishedJobs, parseQueueJobs } from './recado-api.js';

describe('parseQueueJobs', () => {
  it('reads recado_queue_jobs by job and state and ignores other metrics', () => {
    const text = [
      '# HELP recado_queue_jobs Jobs by job type and state.',
      '# TYPE recado_queue_jobs gauge',
      'recado_queue_jobs{job="messaging.process-webhook",state="waiting"} 120',
      'recado_queue_jobs{job="messaging.process-webhook",state="active"} 8',
      'recado_queue_jobs{job="messaging.process-webhook",state="delayed"} 0',
      'recado_queue_jobs{job="messaging.process-webhook",state="failed"} 3',
      'recado_queue_jobs{job="messages.send",state="waiting"} 0',
      'recado_http_requests_total{method="GET",route="/health/live",status="200"} 5',
    ].join('\n');
    const jobs = parseQueueJobs(text);
    expect(jobs).toEqual({
      'messaging.process-webhook': { waiting: 120, active: 8, delayed: 0, failed: 3 },
      'messages.send': { waiting: 0 },
    });
    expect(countUnfinishedJobs(jobs, 'messaging.process-webhook')).toBe(128);
    expect(countUnfinishedJobs(jobs, 'messages.send')).toBe(0);
    expect(countUnfinishedJobs(jobs, 'unknown')).toBe(0);
  });
});
