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

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;
const LOCAL_HOST = /^(localhost|127\.\d+\.\d+\.\d+|\[::1\])(:\d+)?$/i;

/**
 * Why a setup request is not one typed in a browser on this machine, or undefined when it is.
 * Loopback alone is not enough: any site the operator visits can make the browser post to
 * 127.0.0.1 (the Origin and Sec-Fetch-Site headers betray it), a DNS-rebinding site arrives with its
 * own Host name, and a reverse proxy on this machine forwards the world from loopback.
 */
function notLocal(c: Parameters<typeof clientAddress>[0]): string | undefined {
  if (!LOOPBACK.test(clientAddress(c))) return 'it comes from another machine';
  const host = c.req.header('host') ?? '';
  if (!LOCAL_HOST.test(host)) return `it names the host "${host}", not this machine`;
  const origin = c.req.header('origin');
  if (origin !== undefined && origin !== `${new URL(c.req.url).protocol}//${host}`)
    return 'it was sent by another site';
  const site = c.req.header('sec-fetch-site');
  if (site !== undefined && site !== 'same-origin' && site !== 'none')
    return 'it was sent by another site';
  if (['forwarded', 'x-forwarded-for', 'x-forwarded-host', 'via'].some((h) => c.req.header(h)))
    return 'it came through a proxy';
  return undefined;
}

export function setupRoutes(s: Services) {
  return new Hono<{ Variables: AuthVariables }>()
    .get('/setup', permit(s, 'public'), async (c) => c.json({ needed: await needsSetup(s.db) }))
    .post('/setup', permit(s, 'public'), async (c) => {
      if (!(await needsSetup(s.db)))
        throw DomainError.keyed(
          'conflict',
          'setup.already_done',
          'this installation is already set up: sign in instead',
        );
      const why = notLocal(c);
      if (why)
        throw DomainError.keyed(
          'forbidden',
          'setup.local_only',
          `the first-run setup is accepted only from a browser on the server’s own machine, and ${why}: open http://127.0.0.1:PORT/ there (or through an SSH tunnel), or use \`isoloir user create --admin\``,
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
        keys: s.keys,
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
