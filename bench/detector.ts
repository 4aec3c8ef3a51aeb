// B-detector: npm run bench:detector [-- --runs R]
// Times the SEC-3 personal-data detectors on bodies of 200,000 characters written to trip
// quadratic patterns (a long word without "@", runs of digits, repeated names and numbers), with
// and without the organisation's own number, and prints p50/max per body. Target: each body
// under 3 s on one core (was a test's timed assertion; tests assert bounded work instead, see
// src/domain/outreach/personal-data-linear.test.ts).
import { parseArgs } from 'node:util';
import {
  countEmails,
  countPhones,
  describePersonalData,
} from '../src/domain/outreach/personal-data-detector.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const RUNS = Number(values.runs);
const own = {
  addresses: ['contact@exemple-2027.fr'],
  postalAddress: '12 place de la République, 69001 Lyon',
};
const distinct = Array.from({ length: 10_000 }, (_, i) => {
  const d = String(100_000 + i);
  return `06 ${d.slice(0, 2)} ${d.slice(2, 4)} ${d.slice(4, 6)} 78`;
}).join(', ');

const bodies: [string, () => unknown][] = [
  [
    'phones: digit runs and one repeated number',
    () => countPhones(['0 '.repeat(100_000), '06 12 34 56 78 '.repeat(13_000)]),
  ],
  ['phones: 10,000 distinct numbers', () => countPhones([distinct])],
  [
    'phones: 10,000 distinct numbers, own number set',
    () => countPhones([distinct], { phones: ['+262269601234'] }),
  ],
  [
    'emails: a long word without "@"',
    () => countEmails(['a'.repeat(200_000), 'a.'.repeat(100_000)], own),
  ],
  [
    'lists: names, service numbers, birth dates',
    () =>
      describePersonalData(
        [
          'MARTIN Alice 0 800 12 34 56 '.repeat(7_000),
          'MARTIN Alice 12/03/1980\n'.repeat(8_000),
          'Alice Martin '.repeat(15_000),
        ],
        own,
      ),
  ],
];

for (const [name, run] of bodies) {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = process.hrtime.bigint();
    run();
    times.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  times.sort((a, b) => a - b);
  const p50 = times[Math.floor(times.length / 2)]!;
  const max = times.at(-1)!;
  console.log(
    `${name.padEnd(50)} p50 ${p50.toFixed(0).padStart(6)} ms  max ${max.toFixed(0).padStart(6)} ms${max > 3000 ? '  (over the 3 s target)' : ''}`,
  );
}
