// DuckDB (SQL) scorer of RFQ-8, PRFQ and ECR-R: a comparison for bench/run.sh.
// Same keys as instruments/{rfq8,prfq,ecrr}.ini and bench/score_pandas.py: answers
// outside 1..7 are missing, reversal is 8 - x before the RFQ-8 recodes, a scale is the
// mean of its answered items when at least 80% (rounded up) are answered. Writes id and
// the seven scores as CSV to standard output (empty = not scored), in input order.
//
//   node bench/score_duckdb.mjs FILE [THREADS] > scores.csv
// Needs the npm package @duckdb/node-api (bench/run.sh installs it into bench/out).
import { DuckDBInstance } from '@duckdb/node-api';

const [file, threads = '2'] = process.argv.slice(2);
if (!file) {
  console.error('usage: score_duckdb.mjs FILE [THREADS]');
  process.exit(64);
}

const range = (a, b) => Array.from({ length: b - a + 1 }, (_, i) => a + i);
const certainty = 'CASE v WHEN 1 THEN 3 WHEN 2 THEN 2 WHEN 3 THEN 1 ELSE 0 END';
const uncertainty = 'CASE v WHEN 5 THEN 1 WHEN 6 THEN 2 WHEN 7 THEN 3 ELSE 0 END';
const scales = [
  ['rfq8_c', 'rfq8', range(1, 6), [], certainty],
  ['rfq8_u', 'rfq8', [2, 4, 5, 6, 7, 8], [7], uncertainty],
  ['prfq_pm', 'prfq', [1, 4, 7, 10, 13, 16], [], null],
  ['prfq_cms', 'prfq', [2, 5, 8, 11, 14, 17], [11], null],
  ['prfq_ic', 'prfq', [3, 6, 9, 12, 15, 18], [18], null],
  ['ecrr_anxiety', 'ecrr', range(1, 18), [9, 11], null],
  ['ecrr_avoidance', 'ecrr', range(19, 36), [20, 22, 26, 27, 28, 29, 30, 31, 33, 34, 35, 36], null],
];

// One scale as a SQL expression: per item the scored value or NULL, then the mean of the
// non-NULL ones when enough are answered.
function scaleSql([name, inst, items, reversed, recode]) {
  const vals = items.map((i) => {
    const col = `"${inst}_${i}"`;
    const x = `CASE WHEN ${col} BETWEEN 1 AND 7 THEN ${reversed.includes(i) ? `8 - ${col}` : col} END`;
    return recode ? `(SELECT ${recode} FROM (SELECT ${x} AS v) WHERE v IS NOT NULL)` : x;
  });
  const n = vals.map((v) => `(${v} IS NOT NULL)::INT`).join(' + ');
  const sum = vals.map((v) => `coalesce(${v}, 0)`).join(' + ');
  const need = Math.ceil(0.8 * items.length);
  return `CASE WHEN ${n} >= ${need} THEN (${sum}) / (${n}) END AS ${name}`;
}

const db = await DuckDBInstance.create(':memory:', { threads });
const con = await db.connect();
const sql = `COPY (SELECT id, ${scales.map(scaleSql).join(',\n  ')}
  FROM read_csv('${file.replace(/'/g, "''")}', header = true, all_varchar = false,
                types = {'id': 'VARCHAR'})
  ) TO '/dev/stdout' (FORMAT csv, HEADER true)`;
await con.run("SET preserve_insertion_order = true");
await con.run(sql);
