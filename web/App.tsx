// The app's states: first run (no account yet), signed out, second factor due or to enrol, and
// signed in, with the organisation's screens. Which screens show depends on the role's
// permissions, which the server reports with the session (and still checks at every call).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { api, ApiError, setCsrfToken } from './api/client.ts';
import { Localised } from './components/ErrorNotice.tsx';
import type { Organisation, SessionInfo } from './api/types.ts';
import { I18nContext, browserLang, langOfJurisdiction } from './i18n/i18n.tsx';
import { MESSAGES, type Lang } from './i18n/messages.ts';
import { OrgContext } from './org-context.ts';
import { Shell } from './pages/Shell.tsx';
import { SetupPage } from './pages/setup/SetupPage.tsx';
import { SignInPage } from './pages/session/SignInPage.tsx';
import { SecondFactorPage } from './pages/session/SecondFactorPage.tsx';
import { EnrolPage } from './pages/session/EnrolPage.tsx';
import { PasswordPage } from './pages/session/PasswordPage.tsx';

type State =
  | { kind: 'loading' }
  | { kind: 'setup' }
  | { kind: 'signed_out' }
  | { kind: 'second_factor'; session: SessionInfo }
  | { kind: 'enrol'; session: SessionInfo }
  | { kind: 'password_change'; session: SessionInfo }
  | { kind: 'signed_in'; session: SessionInfo; orgs: Organisation[] }
  | { kind: 'failed'; error: unknown };

/** Where the app stands: setup needed, signed out, second factor due, or signed in. */
async function loadState(): Promise<State> {
  try {
    const { needed } = await api<{ needed: boolean }>('GET', '/api/setup');
    if (needed) return { kind: 'setup' };
    const session = await api<SessionInfo>('GET', '/api/session');
    setCsrfToken(session.csrfToken);
    if (session.secondFactor === 'required') return { kind: 'second_factor', session };
    if (session.secondFactor === 'enrolment_required') return { kind: 'enrol', session };
    if (session.passwordChangeRequired) return { kind: 'password_change', session };
    const { items } = await api<{ items: Organisation[] }>('GET', '/api/orgs');
    // An administrator is answered every organisation; the app works in those one belongs to.
    const mine = items.filter((o) => session.permissions[o.id]);
    return { kind: 'signed_in', session, orgs: mine };
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return { kind: 'signed_out' };
    }
    return { kind: 'failed', error };
  }
}

export function App() {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [chosenLang, setChosenLang] = useState<Lang>();
  const [orgId, setOrgId] = useState<string>();

  const refresh = useCallback(() => loadState().then(setState), []);
  useEffect(() => {
    void loadState().then(setState);
  }, []);

  const org =
    state.kind === 'signed_in'
      ? (state.orgs.find((o) => o.id === orgId) ?? state.orgs[0])
      : undefined;
  // French by default for FR and MA organisations, unless the user picked a language.
  const lang: Lang = chosenLang ?? (org ? langOfJurisdiction(org.jurisdiction) : browserLang());
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const i18n = useMemo(
    () => ({
      lang,
      t: MESSAGES[lang],
      setLang: setChosenLang,
    }),
    [lang],
  );

  const orgState = useMemo(() => {
    if (state.kind !== 'signed_in' || !org) return null;
    const granted = new Set(state.session.permissions[org.id] ?? []);
    return { org, session: state.session, can: (p: string) => granted.has(p) };
  }, [state, org]);

  let screen;
  switch (state.kind) {
    case 'loading':
      screen = <p className="centre">{MESSAGES[lang].loading}</p>;
      break;
    case 'setup':
      screen = <SetupPage onDone={refresh} />;
      break;
    case 'signed_out':
      screen = <SignInPage onDone={refresh} />;
      break;
    case 'second_factor':
      screen = <SecondFactorPage onDone={refresh} />;
      break;
    case 'enrol':
      screen = <EnrolPage onDone={refresh} />;
      break;
    case 'password_change':
      screen = (
        <main className="narrow" id="main">
          <PasswordPage onDone={refresh} />
        </main>
      );
      break;
    case 'failed':
      screen = (
        <p className="centre" role="alert">
          {state.error instanceof ApiError ? (
            <Localised error={state.error} />
          ) : state.error instanceof Error ? (
            state.error.message
          ) : (
            String(state.error)
          )}
        </p>
      );
      break;
    case 'signed_in':
      screen = orgState ? (
        <OrgContext.Provider value={orgState}>
          <Shell orgs={state.orgs} onOrg={setOrgId} onSignedOut={refresh} />
        </OrgContext.Provider>
      ) : (
        <p className="centre">
          {MESSAGES[lang].nav.organisation}: {MESSAGES[lang].none}
        </p>
      );
  }
  return <I18nContext.Provider value={i18n}>{screen}</I18nContext.Provider>;
}
