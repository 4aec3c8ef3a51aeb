// B-segment: npm run bench:segment [-- --contacts N --runs R]
// Loads N synthetic contacts (default 1M) into PostgreSQL with SQL (attributes, provenance from
// three sources, some consent), then times countSegment (total + reachability per channel) on
// 20 filter shapes, and prints p50/p95 per shape.
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { createPostgresDatabase } from '../test/test-db.ts';
import { createServices } from '../src/services.ts';
import { countSegment } from '../src/domain/segments/count.ts';
import { benchOrganisation } from './setup.ts';

const { values } = parseArgs({
  options: {
    contacts: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '30' },
  },
});
const N = Number(values.contacts);
const RUNS = Number(values.runs);
if (!process.env.DATABASE_URL) {
  console.error(
    'bench:segment runs on PostgreSQL: set DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
  process.exit(2);
}

type Commune = { code: string; type: string; codesPostaux?: string[]; departement: string };
const communes = (
  createRequire(import.meta.url)('@etalab/decoupage-administratif/data/communes.json') as Commune[]
)
  .filter((c) => c.type === 'commune-actuelle' && c.codesPostaux?.length)
  .filter((_, i) => i % 170 === 0)
  .slice(0, 200);

const database = await createPostgresDatabase();
const s = await createServices({
  databaseUrl: database.url,
  dataDir: 'unused',
  masterKey: { kind: 'env', key: randomBytes(32) },
});
try {
  const { org, election, source } = await benchOrganisation(s);
  const electoral = await source('electoral_list', { electionId: election.id });
  const members = await source('member_file');
  const bought = await source('purchased_file', {
    attestation: {
      provider: 'P',
      date: '2026-01-01',
      consentWording: 'messages politiques',
      proofReference: 'R',
    },
  });

  const t0 = performance.now();
  const codes = communes.map((c) => c.code);
  const postals = communes.map((c) => c.codesPostaux![0]!);
  await s.db.transaction(async (tx) => {
    await tx.execute(sql`
      insert into contacts (id, org_id, identity, email_bidx, phone_bidx, birth_year, sex, commune_code,
        postal_code, polling_station, csp, has_address)
      select gen_random_uuid(), ${org.id}, decode(repeat(md5(random()::text), 6), 'hex'),
        case when random() < 0.4 then decode(md5(random()::text) || md5(random()::text), 'hex') end,
        case when random() < 0.3 then decode(md5(random()::text) || md5(random()::text), 'hex') end,
        1930 + (random() * 78)::int, case when random() < 0.52 then 'F' else 'M' end,
        (${sql.param(codes)}::text[])[k], (${sql.param(postals)}::text[])[k],
        lpad((1 + (random() * 49)::int)::text, 4, '0'), (1 + (random() * 5)::int)::text, random() < 0.9
      from (select 1 + (random() * ${codes.length - 1})::int as k from generate_series(1, ${N})) g`);
    await tx.execute(sql`
      insert into contact_provenance (org_id, contact_id, source_id, recorded_by)
      select ${org.id}, id, case when r < 0.7 then ${electoral.id}::uuid when r < 0.9 then ${members.id}::uuid else ${bought.id}::uuid end, 'bench'
      from (select id, random() as r from contacts where org_id = ${org.id}) c`);
    // Which source supplied each identifier (migration 0011): the contact's one source here.
    await tx.execute(sql`
      update contacts c set
        email_source_id = case when c.email_bidx is not null and s.type <> 'electoral_list' then s.id end,
        email_source_type = case when c.email_bidx is not null and s.type <> 'electoral_list' then s.type end,
        phone_source_id = case when c.phone_bidx is not null then s.id end,
        phone_source_type = case when c.phone_bidx is not null then s.type end,
        address_source_id = case when c.has_address then s.id end,
        address_source_type = case when c.has_address then s.type end
      from contact_provenance p join data_sources s on s.id = p.source_id
      where p.contact_id = c.id and c.org_id = ${org.id}`);
    await tx.execute(sql`
      insert into consent_entries (org_id, contact_id, channel, purpose, action, wording, method, place, evidence, occurred_at, recorded_by)
      select ${org.id}, id, 'email', 'political_communication', case when random() < 0.8 then 'granted' else 'withdrawn' end,
        'messages politiques', 'file', 'bench', 'bench', now(), 'bench'
      from contacts where org_id = ${org.id} and email_bidx is not null and random() < 0.15`);
  });
  // The source columns were set by an update: compact the table so scans read live rows only.
  await s.db.execute(sql`vacuum full contacts`);
  await s.db.execute(sql`analyze`);
  console.log(
    `loaded ${N} contacts with provenance and consent in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );

  const [c1, c2, c3] = codes;
  const shapes: [string, boolean, unknown][] = [
    ['commune eq', true, { field: 'commune', op: 'eq', value: c1 }],
    ['commune in 5', true, { field: 'commune', op: 'in', value: codes.slice(0, 5) }],
    [
      'commune + polling station',
      true,
      {
        and: [
          { field: 'commune', op: 'eq', value: c2 },
          { field: 'pollingStation', op: 'eq', value: '0007' },
        ],
      },
    ],
    [
      'commune + sex + age>=60',
      true,
      {
        and: [
          { field: 'commune', op: 'eq', value: c3 },
          { field: 'sex', op: 'eq', value: 'F' },
          { field: 'age', op: 'gte', value: 60 },
        ],
      },
    ],
    [
      'or of two communes',
      true,
      {
        or: [
          { field: 'commune', op: 'eq', value: c1 },
          { field: 'commune', op: 'eq', value: c2 },
        ],
      },
    ],
    ['department eq', true, { field: 'department', op: 'eq', value: communes[0]!.departement }],
    [
      'age between 18-19 (birth year index)',
      true,
      { field: 'age', op: 'between', value: [18, 19] },
    ],
    ['birthYear eq', true, { field: 'birthYear', op: 'eq', value: 1975 }],
    [
      'commune + consent.email',
      true,
      {
        and: [
          { field: 'commune', op: 'eq', value: c1 },
          { field: 'consent.email', op: 'eq', value: true },
        ],
      },
    ],
    [
      'commune + sourceType',
      true,
      {
        and: [
          { field: 'commune', op: 'eq', value: c2 },
          { field: 'sourceType', op: 'eq', value: 'member_file' },
        ],
      },
    ],
    ['everyone', false, { and: [] }],
    ['sex eq F', false, { field: 'sex', op: 'eq', value: 'F' }],
    ['csp eq', false, { field: 'csp', op: 'eq', value: '3' }],
    ['postal code eq', false, { field: 'postalCode', op: 'eq', value: postals[0] }],
    ['age >= 65', false, { field: 'age', op: 'gte', value: 65 }],
    ['region eq', false, { field: 'region', op: 'eq', value: '84' }],
    ['not commune', false, { not: { field: 'commune', op: 'eq', value: c1 } }],
    ['sourceType member_file', false, { field: 'sourceType', op: 'eq', value: 'member_file' }],
    ['consent.email true', false, { field: 'consent.email', op: 'eq', value: true }],
    ['election eq', false, { field: 'election', op: 'eq', value: election.id }],
  ];

  console.log(
    `\n${'shape'.padEnd(40)} ${'index'.padEnd(6)} ${'total'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)}  target`,
  );
  for (const [name, indexed, where] of shapes) {
    const times: number[] = [];
    let total = 0;
    for (let i = 0; i < RUNS + 3; i++) {
      const t = performance.now();
      total = (await countSegment(s.db, { orgId: org.id, where })).total;
      if (i >= 3) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const p = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)]!;
    const target = indexed ? 10 : 300;
    console.log(
      `${name.padEnd(40)} ${(indexed ? 'yes' : 'no').padEnd(6)} ${String(total).padStart(8)} ${p(0.5).toFixed(1).padStart(8)} ${p(0.95).toFixed(1).padStart(8)}  <= ${target} ${p(0.95) <= target ? 'met' : 'MISSED'}`,
    );
  }
} finally {
  await s.close();
  await database.drop();
}
