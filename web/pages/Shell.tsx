// The signed-in frame: skip link, header (organisation, language, sign out), navigation limited
// to what the role may do, and the current screen.
import { useEffect, useRef } from 'react';
import { api, setCsrfToken } from '../api/client.ts';
import type { Organisation } from '../api/types.ts';
import { Link } from '../components/Link.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { useOrg } from '../org-context.ts';
import { match, navigate, usePath } from '../router.ts';
import { AuditPage } from './audit/AuditPage.tsx';
import { CampaignPage } from './campaigns/CampaignPage.tsx';
import { CampaignsPage } from './campaigns/CampaignsPage.tsx';
import { ComposerPage } from './campaigns/ComposerPage.tsx';
import { DashboardPage } from './dashboard/DashboardPage.tsx';
import { ExportsPage } from './exports/ExportsPage.tsx';
import { ImportWizard } from './imports/ImportWizard.tsx';
import { ObjectionsPage } from './objections/ObjectionsPage.tsx';
import { SegmentsPage } from './segments/SegmentsPage.tsx';
import { SettingsPage } from './settings/SettingsPage.tsx';
import { LanguagePicker } from './session/LanguagePicker.tsx';
import { SourcesPage } from './sources/SourcesPage.tsx';
import { UsersPage } from './users/UsersPage.tsx';
import { AssignmentsPage } from './assignments/AssignmentsPage.tsx';
import { VolunteerListsPage } from './assignments/VolunteerListsPage.tsx';
import { PasswordPage } from './session/PasswordPage.tsx';
import { ContactPage } from './people/ContactPage.tsx';
import { PeopleSearchPage } from './people/PeopleSearchPage.tsx';
import { ReportsPage } from './rights/ReportsPage.tsx';
import { RequestsPage } from './rights/RequestsPage.tsx';

type Screen = {
  path: string;
  nav?: keyof ReturnType<typeof useI18n>['t']['nav'];
  permission: string;
};

const SCREENS: Screen[] = [
  { path: '/', nav: 'dashboard', permission: 'contact.count' },
  { path: '/sources', nav: 'sources', permission: 'source.read' },
  { path: '/segments', nav: 'segments', permission: 'segment.read' },
  { path: '/campaigns', nav: 'campaigns', permission: 'campaign.read' },
  { path: '/objections', nav: 'objections', permission: 'objection.record' },
  { path: '/users', nav: 'users', permission: 'user.read' },
  { path: '/exports', nav: 'exports', permission: 'export.read' },
  { path: '/audit', nav: 'audit', permission: 'audit.read' },
  { path: '/people', nav: 'people', permission: 'contact.search' },
  { path: '/requests', nav: 'requests', permission: 'request.read' },
  { path: '/reports', nav: 'reports', permission: 'report.read' },
  { path: '/settings', nav: 'settings', permission: 'org.manage' },
  { path: '/volunteer-lists', nav: 'volunteerLists', permission: 'assignment.manage' },
  { path: '/assignments', nav: 'assignments', permission: 'assignment.work' },
  { path: '/password', nav: 'password', permission: '' },
];

function Route({ path, can }: { path: string; can: (p: string) => boolean }) {
  let m;
  if ((m = match('/sources/:sourceId/import', path)))
    return <ImportWizard sourceId={m.sourceId!} />;
  if (match('/campaigns/new', path)) return <ComposerPage />;
  if ((m = match('/people/:contactId', path))) return <ContactPage contactId={m.contactId!} />;
  if (path === '/people') return <PeopleSearchPage />;
  if ((m = match('/requests/:requestId', path))) return <RequestsPage requestId={m.requestId!} />;
  if ((m = match('/campaigns/:campaignId', path)))
    return <CampaignPage campaignId={m.campaignId!} />;
  switch (path) {
    case '/sources':
      return <SourcesPage />;
    case '/segments':
      return <SegmentsPage />;
    case '/campaigns':
      return <CampaignsPage />;
    case '/objections':
      return <ObjectionsPage />;
    case '/users':
      return <UsersPage />;
    case '/exports':
      return <ExportsPage />;
    case '/audit':
      return <AuditPage />;
    case '/requests':
      return <RequestsPage />;
    case '/reports':
      return <ReportsPage />;
    case '/settings':
      return <SettingsPage />;
    case '/assignments':
      return <AssignmentsPage />;
    case '/volunteer-lists':
      return <VolunteerListsPage />;
    case '/password':
      return <PasswordPage />;
    default:
      // Volunteers see no aggregates: their home is their lists.
      return can('contact.count') ? <DashboardPage /> : <AssignmentsPage />;
  }
}

export function Shell(props: {
  orgs: Organisation[];
  onOrg: (id: string) => void;
  onSignedOut: () => void;
}) {
  const { t } = useI18n();
  const { org, session, can } = useOrg();
  const path = usePath();
  const main = useRef<HTMLElement>(null);
  // After a change of screen, focus moves to the new content (screen readers hear it).
  useEffect(() => {
    main.current?.focus();
  }, [path]);
  const signOut = async () => {
    await api('DELETE', '/api/session').catch(() => undefined);
    setCsrfToken(null);
    navigate('/');
    props.onSignedOut();
  };
  const current = (p: string) => (p === '/' ? path === '/' : path.startsWith(p));
  return (
    <>
      <a className="skip" href="#main">
        {t.skip}
      </a>
      <header className="top">
        <span className="brand">{t.appName}</span>
        {props.orgs.length > 1 ? (
          <label>
            {t.nav.organisation}{' '}
            <select
              value={org.id}
              onChange={(e) => {
                // Record ids in the path belong to the previous organisation.
                navigate('/');
                props.onOrg(e.target.value);
              }}
            >
              {props.orgs.map((o) => (
                <option key={o.id} value={o.id}>
                  {o.legalName}
                </option>
              ))}
            </select>
          </label>
        ) : (
          <span className="org-name">{org.legalName}</span>
        )}
        <span className="spacer" />
        <LanguagePicker inline />
        <span className="who">{session.user.displayName}</span>
        <button type="button" className="secondary" onClick={signOut}>
          {t.nav.signOut}
        </button>
      </header>
      <div className="layout">
        <nav aria-label={t.nav.label}>
          <ul>
            {SCREENS.filter((s) => s.nav && (s.permission === '' || can(s.permission))).map((s) => (
              <li key={s.path}>
                <Link href={s.path} aria-current={current(s.path) ? 'page' : undefined}>
                  {t.nav[s.nav!]}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main id="main" ref={main} tabIndex={-1}>
          <Route path={path} can={can} />
        </main>
      </div>
    </>
  );
}
