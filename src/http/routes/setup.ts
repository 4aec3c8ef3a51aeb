// First run (GET/POST /api/setup): while the installation has no staff account, the web app's
// setup page creates the organisation and its first owner and signs them in; the second factor is
// then enrolled through /api/session/totp. Only from this machine (loopback), so that nobody who
// merely reaches a freshly started server can claim it; once an account exists, never again.
import { Hono } from 'hono';
import { needsSetup, setUpInstallation } from '../../domain/access/first-run.ts';
import { signIn } from '../../domain/access/sign-in.ts';
import { csrfTokenFor } from '../../domain/access/sessions.ts';
import { DomainError } from '../../domain/errors.ts';
import type { Services } from '../../services.ts';
import type { AuthVariables } from '../auth.ts';
import { jsonBody } from '../body.ts';
import { permit } from '../permit.ts';
import { clientAddress, setSessionCookie } from './session.ts';

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+|in-process)$/;

export function setupRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/setup', permit(s, 'public'), async (c) => c.json({ needed: await needsSetup(s.db) }))
    .post('/setup', permit(s, 'public'), async (c) => {
      if (!(await needsSetup(s.db)))
        throw new DomainError('conflict', 'this installation is already set up: sign in instead');
      if (!LOOPBACK.test(clientAddress(c)))
        throw new DomainError(
          'forbidden',
          'the first-run setup is accepted only from the server’s own machine: open it there (or through an SSH tunnel), or use `isoloir user create --admin`',
        );
      const input = (await jsonBody(c)) as { owner?: { email?: unknown; password?: unknown } };
      const { user, organisation } = await setUpInstallation(s.db, {
        keys: s.keys,
        input,
        clock: s.clock,
      });
      const session = await signIn(s.db, {
        input: { email: input.owner!.email, password: input.owner!.password },
        clock: s.clock,
      });
      setSessionCookie(c, session.token);
      return c.json(
        {
          user,
          organisation,
          secondFactor: session.secondFactor,
          csrfToken: csrfTokenFor(session.token),
        },
        201,
      );
    });
}
