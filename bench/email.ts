// B-email: npm run bench:email [-- --messages N]
// N (default 100,000) personalised, DKIM-signed (RSA-2048) messages through the whole send engine
// (claim, per-group re-check, composition with the notice, SMTP pool) to an in-process SMTP sink
// on loopback, on PostgreSQL. Prints msg/s and peak RSS, and the rate of a bare loop that only
// signs and submits the same kind of message through the same transport, in the same run.
import { createPrivateKey, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import nodemailer from 'nodemailer';
import { SMTPServer } from 'smtp-server';
import { createPostgresDatabase } from '../test/test-db.ts';
import { dkimKeys } from '../test/smtp-sink.ts';
import { tempDir, writeCsv } from '../test/files.ts';
import { createServices } from '../src/services.ts';
import { createDispatcher } from '../src/dispatch/create-dispatcher.ts';
import { importContacts } from '../src/domain/contacts/import/import-contacts.ts';
import { updateOrganisation } from '../src/domain/organisations/organisations.ts';
import { campaignStatus, createCampaign, moveCampaign } from '../src/domain/outreach/campaigns.ts';
import { planCampaign } from '../src/domain/outreach/plan-campaign.ts';
import { saveSegment } from '../src/domain/segments/segments.ts';
import { benchOrganisation } from './setup.ts';

const { values } = parseArgs({ options: { messages: { type: 'string', default: '100000' } } });
const N = Number(values.messages);
if (!process.env.DATABASE_URL) {
  console.error(
    'bench:email runs on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
  process.exit(2);
}

let received = 0;
const sink = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS', 'AUTH'],
  logger: false,
  onData(stream, _session, callback) {
    stream.on('data', () => {});
    stream.on('end', () => {
      received++;
      callback();
    });
  },
});
sink.on('error', () => {});
await new Promise<void>((resolve) => sink.listen(0, '127.0.0.1', () => resolve()));
const smtpUrl = `smtp://127.0.0.1:${(sink.server.address() as { port: number }).port}`;
const files = tempDir('isoloir-bench-email-');
const dkim = dkimKeys(files.dir);

let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

const database = await createPostgresDatabase();
const s = await createServices({
  databaseUrl: database.url,
  dataDir: 'unused',
  masterKey: { kind: 'env', key: randomBytes(32) },
  email: { smtpUrl, dkim, publicUrl: 'https://isoloir.bench.example', leaseSeconds: 120 },
});
try {
  const { org, source } = await benchOrganisation(s);
  await updateOrganisation(s.db, {
    orgId: org.id,
    input: {
      noticePurposes: 'vous informer de la campagne',
      noticeRecipients: 'l’équipe de campagne',
    },
    actor: 'bench',
  });
  const rows = [['Nom', 'Prénom', 'Email']];
  for (let i = 0; i < N; i++) rows.push([`Nom${i}`, `Prénom${i}`, `p${i}@bench.example`]);
  const signups = await source('supporter_signup', { label: 'Inscriptions au site' });
  await importContacts(s.db, {
    keys: s.keys,
    sourceId: signups.id,
    file: writeCsv(files.file('people.csv'), rows),
    actor: 'bench',
    clock: s.clock,
  });
  const segment = await saveSegment(s.db, {
    orgId: org.id,
    input: { name: 'Tous', where: { and: [] } },
    actor: 'bench',
  });
  const campaign = await createCampaign(s.db, {
    orgId: org.id,
    input: {
      segmentId: segment.id,
      fromName: 'Liste Bench',
      fromEmail: 'contact@exemple-2027.fr',
      subject: 'Bonjour {{firstName}}',
      body: '# Réunion publique\n\nBonjour {{firstName}} {{lastName}}, venez jeudi à 19 h.\n\n- salle des fêtes\n- entrée libre',
    },
    actor: 'bench',
    clock: s.clock,
  });
  const plan = await planCampaign(s.db, {
    campaignId: campaign.id,
    actor: 'bench',
    clock: s.clock,
  });
  if (plan.recipients !== N) throw new Error(`planned ${plan.recipients}, expected ${N}`);
  await moveCampaign(s.db, {
    campaignId: campaign.id,
    move: 'send',
    actor: 'bench',
    clock: s.clock,
  });

  peakRss = 0;
  const dispatcher = createDispatcher(s, { batchSize: 500, groupSize: 50 });
  const t0 = performance.now();
  while ((await campaignStatus(s.db, { campaignId: campaign.id })).state === 'sending')
    await dispatcher.runOnce();
  const engineSeconds = (performance.now() - t0) / 1000;
  await dispatcher.close();
  const status = await campaignStatus(s.db, { campaignId: campaign.id });
  const enginePeak = peakRss;

  // The bare loop: the same transport, signing and submitting, 50 at a time, nothing else.
  const transport = nodemailer.createTransport({
    url: smtpUrl,
    pool: true,
    maxConnections: 5,
    maxMessages: Infinity,
    dkim: {
      domainName: dkim.domain,
      keySelector: dkim.selector,
      privateKey: createPrivateKey(fs.readFileSync(dkim.keyFile, 'utf8')),
    },
  } as Parameters<typeof nodemailer.createTransport>[0]);
  const before = received;
  const t1 = performance.now();
  for (let i = 0; i < N; i += 50)
    await Promise.all(
      Array.from({ length: Math.min(50, N - i) }, (_, j) =>
        transport.sendMail({
          from: { name: 'Liste Bench', address: 'contact@exemple-2027.fr' },
          to: `p${i + j}@bench.example`,
          subject: `Bonjour Prénom${i + j}`,
          html: '<h1>Réunion publique</h1><p>Bonjour, venez jeudi.</p><hr><p>notice…</p>',
          text: 'Réunion publique\n\nBonjour, venez jeudi.\n\n--\nnotice…',
          headers: {
            'List-Unsubscribe': '<https://isoloir.bench.example/u/x>',
            'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
          },
        }),
      ),
    );
  const bareSeconds = (performance.now() - t1) / 1000;
  transport.close();

  const engineRate = N / engineSeconds;
  const bareRate = (received - before) / bareSeconds;
  console.log(
    JSON.stringify({
      messages: N,
      sent: status.counts.sent,
      engine: {
        seconds: Number(engineSeconds.toFixed(1)),
        msgPerSecond: Math.round(engineRate),
        peakRssMb: Math.round(enginePeak / 1e6),
      },
      bareLoop: { seconds: Number(bareSeconds.toFixed(1)), msgPerSecond: Math.round(bareRate) },
      ratio: Number((engineRate / bareRate).toFixed(2)),
      targets: { msgPerSecond: 1500, ratio: 0.5 },
    }),
  );
} finally {
  clearInterval(sampler);
  await s.close();
  await database.drop();
  sink.close();
  files.remove();
}
