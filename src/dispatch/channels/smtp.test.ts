// Never sending twice starts with telling failures apart: a refusal before the message was handed
// over is retried (4xx, connection refused), a final refusal is not (5xx), and a connection that
// broke once the message was on its way leaves the outcome unknown: recorded, never retried.
import { describe, expect, it } from 'vitest';
import { classifySmtpError } from './smtp.ts';

describe('SMTP failures', () => {
  it.each([
    [{ responseCode: 451, command: 'RCPT TO' }, { temporary: true }],
    [{ responseCode: 421, command: 'DATA' }, { temporary: true }],
    [{ responseCode: 550, command: 'RCPT TO' }, { temporary: false }],
    [
      { code: 'ECONNECTION', command: 'CONN', message: 'connect ECONNREFUSED 127.0.0.1:25' },
      { temporary: true },
    ],
    [{ code: 'ETIMEDOUT', command: 'MAIL FROM', message: 'timeout' }, { temporary: true }],
  ])('classifies %j as %j', (error, expected) => {
    expect(classifySmtpError(error)).toMatchObject({ ok: false, ...expected });
    expect(classifySmtpError(error)).not.toHaveProperty('unknown', true);
  });

  it.each([
    { code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' },
    { code: 'ETIMEDOUT', command: 'DATA', message: 'Timeout' },
    { code: 'EPROTOCOL', message: 'something else' },
  ])('reports an unknown outcome, never retried, for %j', (error) => {
    expect(classifySmtpError(error)).toMatchObject({ ok: false, temporary: false, unknown: true });
  });

  it('keeps addresses out of the recorded error (only codes and stages)', () => {
    const result = classifySmtpError({
      responseCode: 550,
      command: 'RCPT TO',
      response: '550 alice@exemple.fr unknown',
    });
    expect(JSON.stringify(result)).not.toContain('alice');
  });
});
