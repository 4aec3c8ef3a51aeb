import { api } from '../../api/client.ts';
import type { Campaign } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { Link } from '../../components/Link.tsx';
import { useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

export function CampaignsPage() {
  const { t } = useI18n();
  const c = t.campaigns;
  const { org, can } = useOrg();
  const list = useLoad(
    () => api<{ items: Campaign[] }>('GET', `/api/orgs/${org.id}/campaigns`),
    [org.id],
  );
  return (
    <>
      <h1>{c.title}</h1>
      {can('campaign.manage') && (
        <p>
          <Link className="button" href="/campaigns/new">
            {c.new}
          </Link>
        </p>
      )}
      <ErrorNotice error={list.error} />
      <table>
        <thead>
          <tr>
            <th scope="col">{c.subject}</th>
            <th scope="col">{c.state}</th>
            <th scope="col">{c.created}</th>
          </tr>
        </thead>
        <tbody>
          {(list.data?.items ?? []).map((x) => (
            <tr key={x.id}>
              <td>
                <Link href={`/campaigns/${x.id}`}>{x.subject}</Link>
              </td>
              <td>{t.states[x.state] ?? x.state}</td>
              <td>{new Date(x.createdAt).toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
