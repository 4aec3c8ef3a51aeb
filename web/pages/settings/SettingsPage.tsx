// The organisation's notice settings (NOT-1: purposes and recipients, quoted in every message) and,
// for a Moroccan organisation, its CNDP receipt (ACC-2).
import { useState, type FormEvent } from 'react';
import { api } from '../../api/client.ts';
import type { Organisation } from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { TextArea, TextField } from '../../components/Field.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

export function SettingsPage() {
  const { t } = useI18n();
  const { org } = useOrg();
  const current = useLoad(
    () => api<Organisation & { cndpReceipt: string | null }>('GET', `/api/orgs/${org.id}`),
    [org.id],
  );
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setSaved(false);
    const f = new FormData(e.currentTarget);
    const body: Record<string, string> = {
      noticePurposes: String(f.get('noticePurposes') ?? '').trim(),
      noticeRecipients: String(f.get('noticeRecipients') ?? '').trim(),
    };
    // The organisation's own number: printed in a campaign, it does not trip the SEC-3 body scan.
    if (String(f.get('contactPhone') ?? '').trim())
      body.contactPhone = String(f.get('contactPhone')).trim();
    if (org.jurisdiction === 'MA' && f.get('cndpReceipt'))
      body.cndpReceipt = String(f.get('cndpReceipt')).trim();
    if (await action.run(() => api('PATCH', `/api/orgs/${org.id}`, body))) setSaved(true);
  };
  const d = current.data;
  return (
    <>
      <h1>{t.settings.title}</h1>
      <ErrorNotice error={current.error} />
      {d && (
        <form onSubmit={submit}>
          <TextArea
            label={t.setup.noticePurposes}
            name="noticePurposes"
            defaultValue={d.noticePurposes ?? ''}
            hint={t.setup.noticePurposesHint}
            rows={3}
            required
          />
          <TextArea
            label={t.setup.noticeRecipients}
            name="noticeRecipients"
            defaultValue={d.noticeRecipients ?? ''}
            hint={t.setup.noticeRecipientsHint}
            rows={3}
            required
          />
          <TextField
            label={t.setup.contactPhone}
            name="contactPhone"
            type="tel"
            defaultValue={d.contactPhone ?? ''}
            hint={t.setup.contactPhoneHint}
          />
          {org.jurisdiction === 'MA' && (
            <TextField
              label={t.setup.cndpReceipt}
              name="cndpReceipt"
              defaultValue={d.cndpReceipt ?? ''}
            />
          )}
          <ErrorNotice error={action.error} />
          {saved && (
            <p className="notice ok" role="status">
              {t.settings.saved}
            </p>
          )}
          <button type="submit" disabled={action.busy}>
            {t.save}
          </button>
        </form>
      )}
      <p>
        <a href={`/privacy/${org.id}`} target="_blank" rel="noreferrer">
          /privacy/{org.id.slice(0, 8)}…
        </a>
      </p>
    </>
  );
}
