// One campaign: preview of the exact message for a sample recipient (with the notice and the
// headers), preflight (every rule that blocks it, with its id and fix) and the plan's exclusions
// by reason, then send with live progress, pause, resume and cancel; a campaign done with unknown
// outcomes says how many and offers to resend them (an explicit decision: a second copy is possible).
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client.ts';
import type {
  Campaign,
  CampaignStatus,
  MessagePreview,
  Plan,
  ResendUnknownResult,
} from '../../api/types.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useAction, useLoad } from '../../components/useLoad.ts';
import { useI18n } from '../../i18n/i18n.tsx';
import { useOrg } from '../../org-context.ts';

export function CampaignPage({ campaignId }: { campaignId: string }) {
  const { t } = useI18n();
  const c = t.campaigns;
  const { can } = useOrg();
  const campaign = useLoad(
    () => api<Campaign>('GET', `/api/campaigns/${campaignId}`),
    [campaignId],
  );
  const status = useLoad(
    () => api<CampaignStatus>('GET', `/api/campaigns/${campaignId}/status`),
    [campaignId],
  );
  const [preview, setPreview] = useState<MessagePreview>();
  const [plan, setPlan] = useState<Plan>();
  const [resent, setResent] = useState<number>();
  const action = useAction();
  const state = status.data?.state ?? campaign.data?.state;
  // The preflight just run, or else the plan kept with the campaign.
  const stored = campaign.data?.plan;
  const shownPlan: Plan | undefined =
    plan ?? (stored ? { ...stored, campaignId, state: state ?? 'planned' } : undefined);

  // Live progress while the campaign is sending.
  const { reload } = status;
  useEffect(() => {
    if (state !== 'sending') return;
    const timer = setInterval(reload, 1000);
    return () => clearInterval(timer);
  }, [state, reload]);

  const showPreview = async () => {
    const p = await action.run(() =>
      api<MessagePreview>('GET', `/api/campaigns/${campaignId}/preview`),
    );
    if (p) setPreview(p);
  };
  const preflight = async () => {
    const result = await action.run(async () => {
      try {
        return await api<Plan>('POST', `/api/campaigns/${campaignId}/plan`);
      } catch (e) {
        // A blocked plan is an answer too: 422 with every violation.
        if (e instanceof ApiError && e.status === 422 && e.violations.length) {
          return {
            campaignId,
            state: 'draft',
            recipients: 0,
            exclusions: { no_address: 0, no_consent: 0, objected: 0 },
            violations: e.violations,
          } satisfies Plan;
        }
        throw e;
      }
    });
    if (result) {
      setPlan(result);
      status.reload();
    }
  };
  const move = async (verb: 'send' | 'pause' | 'resume' | 'cancel') => {
    if (verb === 'cancel' && !confirm(c.confirmCancel)) return;
    if (await action.run(() => api('POST', `/api/campaigns/${campaignId}/${verb}`)))
      status.reload();
  };

  const resendUnknown = async () => {
    if (!confirm(c.confirmResendUnknown(status.data?.counts.unknown ?? 0))) return;
    const r = await action.run(() =>
      api<ResendUnknownResult>('POST', `/api/campaigns/${campaignId}/resend-unknown`),
    );
    if (r) {
      setResent(r.requeued);
      status.reload();
    }
  };

  const counts = status.data?.counts ?? {};
  const total = Object.values(counts).reduce((a, b) => a + b, 0);
  const finished =
    (counts.sent ?? 0) + (counts.failed ?? 0) + (counts.suppressed ?? 0) + (counts.unknown ?? 0);

  return (
    <>
      <h1>{campaign.data?.subject ?? '…'}</h1>
      <p>
        {c.state} :{' '}
        <strong data-testid="campaign-state">
          {state === 'done_with_unknown'
            ? c.doneWithUnknown(counts.unknown ?? 0)
            : (t.states[state ?? ''] ?? state)}
        </strong>
      </p>
      {state === 'done_with_unknown' && <p>{c.unknownExplained}</p>}
      {resent !== undefined && (
        <p className="notice ok" role="status" data-testid="resent-unknown">
          {c.resentUnknown(resent)}
        </p>
      )}
      <ErrorNotice error={campaign.error ?? action.error} />
      <div className="toolbar">
        {can('segment.preview_identifiers') && (
          <button type="button" className="secondary" onClick={showPreview} disabled={action.busy}>
            {c.preview}
          </button>
        )}
        {can('campaign.manage') && (state === 'draft' || state === 'planned') && (
          <button type="button" className="secondary" onClick={preflight} disabled={action.busy}>
            {c.preflight}
          </button>
        )}
        {can('campaign.send') && state === 'planned' && (
          <button type="button" onClick={() => move('send')} disabled={action.busy}>
            {c.send}
          </button>
        )}
        {can('campaign.send') && state === 'sending' && (
          <button type="button" onClick={() => move('pause')} disabled={action.busy}>
            {c.pause}
          </button>
        )}
        {can('campaign.send') && state === 'paused' && (
          <button type="button" onClick={() => move('resume')} disabled={action.busy}>
            {c.resume}
          </button>
        )}
        {can('campaign.send') && state === 'done_with_unknown' && (
          <button type="button" onClick={resendUnknown} disabled={action.busy}>
            {c.resendUnknown}
          </button>
        )}
        {can('campaign.send') &&
          ['draft', 'planned', 'sending', 'paused'].includes(state ?? '') && (
            <button
              type="button"
              className="danger"
              onClick={() => move('cancel')}
              disabled={action.busy}
            >
              {c.cancelCampaign}
            </button>
          )}
      </div>

      {shownPlan && (
        <section aria-labelledby="plan-title" data-testid="preflight">
          <h2 id="plan-title">{c.plan}</h2>
          {shownPlan.violations.length > 0 ? (
            <>
              <p>{c.preflightBlocked}</p>
              <ErrorNotice
                error={new ApiError(422, 'refused', '', undefined, shownPlan.violations)}
              />
            </>
          ) : (
            <>
              <p className="notice ok" role="status">
                {c.preflightOk}
              </p>
              <dl className="figures">
                <div>
                  <dt>{c.recipients}</dt>
                  <dd data-testid="plan-recipients">{shownPlan.recipients}</dd>
                </div>
                {Object.entries(shownPlan.exclusions).map(([reason, n]) => (
                  <div key={reason}>
                    <dt>
                      {c.exclusions} : {c.exclusionReasons[reason] ?? reason}
                    </dt>
                    <dd>{n}</dd>
                  </div>
                ))}
              </dl>
            </>
          )}
        </section>
      )}

      {total > 0 && state !== 'draft' && (
        <section aria-labelledby="progress-title">
          <h2 id="progress-title">{c.progress}</h2>
          <progress max={total} value={finished} aria-labelledby="progress-title" />
          <dl className="figures" data-testid="campaign-counts">
            {Object.entries(counts).map(([k, n]) => (
              <div key={k}>
                <dt>{c.counts[k] ?? k}</dt>
                <dd data-testid={`sent-${k}`}>{n}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      {preview && (
        <section aria-labelledby="preview-title" className="preview" data-testid="message-preview">
          <h2 id="preview-title">{c.preview}</h2>
          <p>{c.previewFor}</p>
          <h3>{c.headers}</h3>
          <table className="headers">
            <tbody>
              {[
                ['From', preview.from],
                ['To', preview.to],
                ['Subject', preview.subject],
                ...Object.entries(preview.headers),
              ].map(([k, v]) => (
                <tr key={k}>
                  <th scope="row">{k}</th>
                  <td>
                    <code>{v}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <h3>{c.htmlPart}</h3>
          {/* The message's HTML, isolated: no script, no same-origin access, no remote loads (CSP). */}
          <iframe title={c.htmlPart} sandbox="" srcDoc={preview.html} className="message-frame" />
          <h3>{c.textPart}</h3>
          <pre className="message-text" data-testid="preview-text">
            {preview.text}
          </pre>
        </section>
      )}
    </>
  );
}
