#!/usr/bin/env python3
"""Independent oracle for the e2e expectations of rfscore's response-validity indices.

Written from the definitions in the test brief (which follow the careless R package),
never from rfscore's source or output.  It reads a case directory (args, the instrument
INI named by -i, input.csv) and computes, per input row:

  longstring  longest run of identical consecutive ANSWERS over all items of the
              instrument, in item order, raw values (before reverse/recode); a missing or
              invalid cell breaks a run; 0 when the row has no answer.
  irv         sample SD of the raw answers: var = Fraction(n*sum(x^2) - sum(x)^2, n*(n-1)),
              irv = math.sqrt(float(var)); empty when fewer than 2 answers.
  even_odd    (only when [validity] even_odd_scales is declared) per listed scale, mean of
              the SCORED values (after reverse, then recode) of its odd-positioned and of its
              even-positioned items; scales with an empty half are skipped; Pearson r of the
              odd means against the even means (>= 2 scales, non-zero variance on both
              sides, else empty); Spearman-Brown 2r/(1+r) floored at -1.
  synonyms /  (only when declared) Pearson r of the raw answers over the declared item
  antonyms    pairs whose two items are both answered; >= 3 such pairs and non-zero
              variance on both sides, else empty.
Correlations are computed exactly (Fractions for the sums; r^2 is rational) and the final
value is rounded once from a 60-digit Decimal, i.e. it is the correctly rounded double.

With --full it also scores the scales/derived scores and builds the complete flag list
(empty_row, duplicate_id, invalid_answer, missing, attention, too_few_items, longstring,
irv, even_odd, synonyms, antonyms, too_fast) and prints complete expected rows, as a
cross-check of the hand-worked rows.

Usage:
  tests/e2e/oracle_indices.py CASE_DIR [CASE_DIR...]          # comments + index values
  tests/e2e/oracle_indices.py --full CASE_DIR                  # complete expected rows
  tests/e2e/oracle_indices.py --check CASE_DIR [CASE_DIR...]   # compare the index columns
                                                                 of expected.csv
Only the standard library is used.
"""
import csv
import io
import math
import os
import re
import shlex
import sys
from decimal import Decimal, getcontext
from fractions import Fraction

getcontext().prec = 60
TOP = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ANSWER_RE = re.compile(r'^[+-]?[0-9]+(\.[0-9]+)?$')
ALWAYS_MISSING = {'', 'na', 'n/a', '.'}


# ---------------------------------------------------------------- number formatting
def fmt(x):
    """Shortest round-trip text, integers without '.0' (like the score columns)."""
    if isinstance(x, int):
        return str(x)
    x = float(x)
    if x == int(x) and abs(x) < 2 ** 53:
        return str(int(x))
    return repr(x)


# ---------------------------------------------------------------- INI
def strip_comment(v):
    out, q = [], False
    for ch in v:
        if ch == '"':
            q = not q
        elif ch in ';#' and not q:
            break
        out.append(ch)
    return ''.join(out).strip()


def unquote(v):
    v = v.strip()
    if len(v) >= 2 and v[0] == '"' and v[-1] == '"':
        return v[1:-1]
    return v


def read_ini(path):
    sections, cur = {}, None
    with open(path, encoding='utf-8') as f:
        for line in f:
            s = line.strip()
            if not s or s[0] in ';#':
                continue
            if s.startswith('['):
                cur = s[1:s.index(']')].strip().lower()
                sections[cur] = {}
                continue
            k, v = s.split('=', 1)
            sections[cur][k.strip().lower()] = strip_comment(v)
    return sections


def int_list(v):
    out = []
    for part in v.split(','):
        part = part.strip()
        if '-' in part[1:]:
            a, b = part.split('-')
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def pairs(v):
    return [tuple(int(x) for x in p.split(':')) for p in v.split(',')]


class Instrument:
    def __init__(self, path, extra_missing):
        ini = read_ini(path)
        ins = ini['instrument']
        self.id = unquote(ins['id'])
        self.k = int(ins['items'])
        self.min, self.max = int(ins['min']), int(ins['max'])
        prefix = unquote(ins.get('column_prefix', '"%s_"' % self.id))
        self.default_min = ins.get('min_answered', '80%')
        self.columns = {}
        for n in range(1, self.k + 1):
            sec = ini.get('item.%d' % n, {})
            self.columns[n] = unquote(sec['column']) if 'column' in sec else '%s%d' % (prefix, n)
        # typed missing codes: code text -> type (numbers compared as numbers)
        self.missing = []
        for typ, codes in list(ini.get('missing', {}).items()) + extra_missing:
            for c in codes.split(','):
                self.missing.append((unquote(c), typ))
        self.recodes = {name[len('recode.'):]: [int(x) for x in sec['map'].split(',')]
                        for name, sec in ini.items() if name.startswith('recode.')}
        self.scales = []   # (id, items, reverse set, recode map or None, recode items, score, min)
        for name, sec in ini.items():
            if not name.startswith('scale.'):
                continue
            items = int_list(sec['items'])
            rev = set(int_list(sec['reverse'])) if 'reverse' in sec else set()
            rmap = self.recodes[sec['recode'].strip()] if 'recode' in sec else None
            ritems = set(int_list(sec['recode_items'])) if 'recode_items' in sec else set(items)
            score = sec['score'].strip()
            if score == 'sum':
                need = len(items)
            else:
                need = self.min_needed(sec.get('min_answered', self.default_min), len(items))
            self.scales.append((name[len('scale.'):], items, rev, rmap, ritems, score, need))
        self.derived = [(name[len('derived.'):], [s.strip() for s in sec['scales'].split(',')],
                         sec['score'].strip())
                        for name, sec in ini.items() if name.startswith('derived.')]
        va = ini.get('validity', {})
        self.validity = va
        self.longstring_max = int(va['longstring_max']) if 'longstring_max' in va else None
        self.irv_min = Fraction(va['irv_min']) if 'irv_min' in va else None
        self.eo_scales = [s.strip() for s in va['even_odd_scales'].split(',')] \
            if 'even_odd_scales' in va else None
        self.eo_min = Fraction(va.get('even_odd_min', '0'))
        self.syn = pairs(va['synonyms']) if 'synonyms' in va else None
        self.syn_min = Fraction(va.get('synonyms_min', '0'))
        self.ant = pairs(va['antonyms']) if 'antonyms' in va else None
        self.ant_max = Fraction(va.get('antonyms_max', '0'))
        self.attention = pairs(va['attention']) if 'attention' in va else []
        self.spi = Fraction(va.get('seconds_per_item', '2'))
        self.invalid_if = [s.strip() for s in va['invalid_if'].split(',')] \
            if 'invalid_if' in va else None

    @staticmethod
    def min_needed(v, k):
        v = v.strip()
        if v.endswith('%'):
            p = int(v[:-1])
            return -(-p * k // 100)   # ceil, exact
        return int(v)

    def classify(self, cell):
        """('answer', int) | ('missing', None) | ('typed', TYPE) | ('invalid', text)"""
        t = cell.strip(' ')
        for code, typ in self.missing:
            if ANSWER_RE.match(code) and ANSWER_RE.match(t):
                if Fraction(code) == Fraction(t):
                    return ('typed', typ)
            elif t == code:
                return ('typed', typ)
        if t.lower() in ALWAYS_MISSING:
            return ('missing', None)
        if ANSWER_RE.match(t):
            v = Fraction(t)
            if v.denominator == 1 and self.min <= v <= self.max:
                return ('answer', int(v))
        return ('invalid', t)

    def scored(self, scale, n, x):
        _, _, rev, rmap, ritems, _, _ = scale
        if n in rev:
            x = self.min + self.max - x
        if rmap is not None and n in ritems:
            x = rmap[x - self.min]
        return x


# ---------------------------------------------------------------- indices
def longstring(ans, k):
    best = run = 0
    prev = None
    for n in range(1, k + 1):
        x = ans.get(n)
        if x is None:
            run, prev = 0, None
            continue
        run = run + 1 if x == prev else 1
        prev = x
        best = max(best, run)
    return best


def irv(xs):
    n = len(xs)
    if n < 2:
        return None, 'n=%d answers < 2: empty' % n
    s, s2 = sum(xs), sum(x * x for x in xs)
    var = Fraction(n * s2 - s * s, n * (n - 1))
    v = math.sqrt(float(var))
    return v, 'n=%d sum=%d sumsq=%d var=(%d*%d-%d^2)/(%d*%d) = %s, sd = %s' % (
        n, s, s2, n, s2, s, n, n - 1, var, fmt(v))


def q(f):
    """a Fraction for the comments: 3, 4.5, (27/4)"""
    f = Fraction(f)
    if f.denominator == 1:
        return str(f.numerator)
    if f.denominator == 2:
        return str(float(f))
    return '(%s)' % f


def pearson(xs, ys):
    """exact r as Decimal (None if a side has zero variance), plus a text trace"""
    n = len(xs)
    sx, sy = sum(xs), sum(ys)
    sxx, syy = sum(x * x for x in xs), sum(y * y for y in ys)
    sxy = sum(x * y for x, y in zip(xs, ys))
    num = n * sxy - sx * sy
    vx, vy = n * sxx - sx * sx, n * syy - sy * sy
    trace = 'x=(%s) y=(%s): n*Sxy-Sx*Sy = %s, n*Sxx-Sx^2 = %s, n*Syy-Sy^2 = %s' % (
        ','.join(map(q, xs)), ','.join(map(q, ys)), q(num), q(vx), q(vy))
    if vx == 0 or vy == 0:
        return None, trace + ' (zero variance)'
    r2 = Fraction(num * num) / (vx * vy)
    r = (Decimal(r2.numerator) / Decimal(r2.denominator)).sqrt()
    if num < 0:
        r = -r
    return r, trace + ', r = %s/sqrt(%s*%s) = %s' % (q(num), q(vx), q(vy), fmt(float(r)))


def pair_index(ans, prs):
    use = [(a, b) for a, b in prs if ans.get(a) is not None and ans.get(b) is not None]
    txt = ' '.join('%d:%d=(%d,%d)' % (a, b, ans[a], ans[b]) for a, b in use)
    if len(use) < 3:
        return None, 'answered pairs %s -> %d < 3: empty' % (txt or '(none)', len(use))
    r, tr = pearson([Fraction(ans[a]) for a, _ in use], [Fraction(ans[b]) for _, b in use])
    if r is None:
        return None, '%s; %s -> empty' % (txt, tr)
    return float(r), '%s; %s' % (txt, tr)


def even_odd(inst, ans):
    odd_means, even_means, parts = [], [], []
    byid = {s[0]: s for s in inst.scales}
    for sid in inst.eo_scales:
        sc = byid[sid]
        halves = ([], [])
        for pos, n in enumerate(sc[1]):
            if ans.get(n) is not None:
                halves[pos % 2].append(inst.scored(sc, n, ans[n]))
        if not halves[0] or not halves[1]:
            parts.append('%s skipped (a half has no answer)' % sid)
            continue
        o = Fraction(sum(halves[0]), len(halves[0]))
        e = Fraction(sum(halves[1]), len(halves[1]))
        odd_means.append(o)
        even_means.append(e)
        def half(h, m):
            return '%d' % h[0] if len(h) == 1 else '(%s)/%d=%s' % ('+'.join(map(str, h)), len(h), q(m))
        parts.append('%s odd %s even %s' % (sid, half(halves[0], o), half(halves[1], e)))
    txt = '; '.join(parts)
    if len(odd_means) < 2:
        return None, txt + ' -> %d scales < 2: empty' % len(odd_means)
    r, tr = pearson(odd_means, even_means)
    if r is None:
        return None, '%s; %s -> empty' % (txt, tr)
    if r == -1:
        sb = Decimal(-1)
    else:
        sb = max(Decimal(2) * r / (1 + r), Decimal(-1))
    return float(sb), '%s; %s; SB 2r/(1+r) = %s%s' % (
        txt, tr, fmt(float(sb)), ' (floored at -1)' if sb == -1 and r != -1 else '')


# ---------------------------------------------------------------- case reading
def read_case(case):
    with open(os.path.join(case, 'args')) as f:
        args = f.read().replace('@DIR@', case).replace('@TOP@', TOP)
    argv = shlex.split(args)
    opts = {'-i': [], '--id': None, '--duration': None, '--missing': [], '--keep': None}
    i, files = 1, []
    while i < len(argv):
        a = argv[i]
        if a in ('-i', '--missing'):
            opts[a].append(argv[i + 1]); i += 2
        elif a in ('--id', '--duration', '--keep', '--summary', '-o'):
            opts[a] = argv[i + 1]; i += 2
        elif a.startswith('-') and a != '-':
            i += 1
        else:
            files.append(a); i += 1
    extra = []
    for m in opts['--missing']:
        typ, codes = m.split('=', 1)
        extra.append((typ, codes))
    insts = [Instrument(p, extra) for p in opts['-i']]
    with open(files[-1], encoding='utf-8-sig', newline='') as f:
        rows = [r for r in csv.reader(f) if r]
    header = [h.strip().lower() for h in rows[0]]
    return opts, insts, header, rows[1:]


def analyse(case):
    opts, insts, header, rows = read_case(case)
    col = {h: j for j, h in enumerate(header)}
    idcol = (opts['--id'] or ('id' if 'id' in col else 'record_id')).lower()
    ids = [r[col[idcol]] for r in rows]
    counts = {}
    for v in ids:
        if v != '':
            counts[v] = counts.get(v, 0) + 1
    out = []
    for r, rid in zip(rows, ids):
        per = []
        for inst in insts:
            cells = {n: inst.classify(r[col[inst.columns[n].lower()]]) for n in inst.columns}
            ans = {n: c[1] for n, c in cells.items() if c[0] == 'answer'}
            res = {'cells': cells, 'ans': ans}
            raw = ','.join(show_cell(r[col[inst.columns[n].lower()]], cells[n])
                           for n in range(1, inst.k + 1))
            res['ls'] = longstring(ans, inst.k)
            xs = [ans[n] for n in sorted(ans)]
            res['irv'], irv_txt = irv(xs)
            res['comment'] = ['#   %s items 1..%d = %s -> longstring %d; irv: %s' % (
                inst.id, inst.k, raw, res['ls'], irv_txt)]
            if inst.eo_scales:
                res['eo'], t = even_odd(inst, ans)
                res['comment'].append('#   %s even_odd: %s' % (inst.id, t))
            if inst.syn:
                res['syn'], t = pair_index(ans, inst.syn)
                res['comment'].append('#   %s synonyms: %s' % (inst.id, t))
            if inst.ant:
                res['ant'], t = pair_index(ans, inst.ant)
                res['comment'].append('#   %s antonyms: %s' % (inst.id, t))
            res['dup'] = counts.get(rid, 0) if counts.get(rid, 0) > 1 else 0
            res['secs'] = r[col[opts['--duration'].lower()]] if opts['--duration'] else None
            per.append((inst, res))
        out.append((rid, r, per))
    return opts, insts, out


def show_cell(text, cls):
    """raw cell for the comments: answers as written, missing as written or (empty),
    invalid cells in braces: {9}"""
    t = text.strip(' ')
    if cls[0] == 'invalid':
        return '{%s}' % t
    return t if t else '(empty)'


def index_values(inst, res):
    v = [fmt(res['ls']), '' if res['irv'] is None else fmt(res['irv'])]
    for key, present in (('eo', inst.eo_scales), ('syn', inst.syn), ('ant', inst.ant)):
        if present:
            v.append('' if res[key] is None else fmt(res[key]))
    return v


def index_names(inst):
    names = ['longstring', 'irv']
    if inst.eo_scales:
        names.append('even_odd')
    if inst.syn:
        names.append('synonyms')
    if inst.ant:
        names.append('antonyms')
    return ['%s_%s' % (inst.id, n) for n in names]


# ---------------------------------------------------------------- full rows
def sanitize(t):
    b = t.encode('utf-8')[:32].decode('utf-8', 'ignore')
    return ''.join('?' if (c in ';=' or ord(c) < 32 or ord(c) == 127) else c for c in b)


def score_row(inst, res):
    cells, ans = res['cells'], res['ans']
    cols, flags, scores = [], [], {}
    if not ans:
        flags.append('empty_row')
    if res['dup']:
        flags.append('duplicate_id:%d' % res['dup'])
    for n in range(1, inst.k + 1):
        if cells[n][0] == 'invalid':
            flags.append('invalid_answer:%s=%s' % (inst.columns[n], sanitize(cells[n][1])))
    for n in range(1, inst.k + 1):
        if cells[n][0] == 'typed':
            flags.append('missing:%s=%s' % (inst.columns[n], cells[n][1]))
    for n, want in inst.attention:
        c = cells[n]
        if c[0] == 'answer':
            if c[1] != want:
                flags.append('attention:%s=%d' % (inst.columns[n], c[1]))
        elif c[0] == 'invalid':
            flags.append('attention:%s=invalid' % inst.columns[n])
        else:
            flags.append('attention:%s=missing' % inst.columns[n])
    for sc in inst.scales:
        sid, items, _, _, _, score, need = sc
        vals = [inst.scored(sc, n, ans[n]) for n in items if n in ans]
        n = len(vals)
        if n >= need:
            s = sum(vals)
            if score == 'mean':
                v = s / n
            elif score == 'prorated_sum':
                v = (s * len(items)) / n
            else:
                v = s
            scores[sid] = v
            cols += [fmt(v), str(n), 'ok']
        else:
            scores[sid] = None
            cols += ['', str(n), 'too_few_items']
            flags.append('too_few_items:%s=%d<%d' % (sid, n, need))
    for did, comps, score in inst.derived:
        if any(scores.get(c) is None for c in comps):
            scores[did] = None
            cols += ['', 'component_not_scored']
        else:
            t = 0.0
            for c in comps:
                t += scores[c]
            v = t / len(comps) if score == 'mean' else t
            scores[did] = v
            cols += [fmt(v), 'ok']
    cols += index_values(inst, res)
    if inst.longstring_max is not None and res['ls'] > inst.longstring_max:
        flags.append('longstring:%d>%d' % (res['ls'], inst.longstring_max))
    if inst.irv_min is not None and res['irv'] is not None and res['irv'] < inst.irv_min:
        flags.append('irv:%s<%s' % (fmt(res['irv']), fmt(float(inst.irv_min))))
    if inst.eo_scales and res['eo'] is not None and res['eo'] < inst.eo_min:
        flags.append('even_odd:%s<%s' % (fmt(res['eo']), fmt(float(inst.eo_min))))
    if inst.syn and res['syn'] is not None and res['syn'] < inst.syn_min:
        flags.append('synonyms:%s<%s' % (fmt(res['syn']), fmt(float(inst.syn_min))))
    if inst.ant and res['ant'] is not None and res['ant'] > inst.ant_max:
        flags.append('antonyms:%s>%s' % (fmt(res['ant']), fmt(float(inst.ant_max))))
    if res['secs'] is not None:
        t = res['secs'].strip(' ')
        if ANSWER_RE.match(t):
            limit = inst.spi * inst.k
            if Fraction(t) < limit:
                flags.append('too_fast:%s<%s' % (fmt(float(Fraction(t))), fmt(float(limit))))
    kinds = inst.invalid_if
    if kinds is None:
        bad = [f for f in flags if f.split(':')[0] != 'missing']
    else:
        bad = [f for f in flags if f.split(':')[0] in kinds]
    cols += ['0' if bad else '1', ';'.join(flags)]
    return cols


def csv_field(s):
    if any(c in s for c in ',"\r\n'):
        return '"' + s.replace('"', '""') + '"'
    return s


def main(argv):
    mode = 'show'
    if argv and argv[0] in ('--full', '--check'):
        mode = argv.pop(0)[2:]
    rc = 0
    for case in argv:
        case = os.path.abspath(case.rstrip('/'))
        opts, insts, out = analyse(case)
        if mode == 'show':
            print('== %s' % os.path.basename(case))
            print('# columns: ' + ','.join(sum((index_names(i) for i in insts), [])))
            for rid, _, per in out:
                print('# %s:' % rid)
                for inst, res in per:
                    print('\n'.join(res['comment']))
                print('%s -> %s' % (rid, ','.join(sum((index_values(i, res) for i, res in per), []))))
        elif mode == 'full':
            for rid, r, per in out:
                for inst, res in per:
                    print('\n'.join(res['comment']))
                cols = [rid]
                for inst, res in per:
                    cols += score_row(inst, res)
                print(','.join(csv_field(c) for c in cols))
        else:  # check: compare the index columns of expected.csv
            with open(os.path.join(case, 'expected.csv'), encoding='utf-8', newline='') as f:
                text = ''.join(l for l in f if not l.startswith('#'))
            exp = list(csv.reader(io.StringIO(text)))
            hdr = exp[0]
            bad = 0
            for (rid, _, per), erow in zip(out, exp[1:]):
                for inst, res in per:
                    want = dict(zip(index_names(inst), index_values(inst, res)))
                    for name, v in want.items():
                        got = erow[hdr.index(name)] if name in hdr else '<no column>'
                        if got != v:
                            print('%s %s %s: expected.csv has %r, oracle %r' % (
                                os.path.basename(case), rid, name, got, v))
                            bad += 1
                dups = [res['dup'] for _, res in per if res['dup']]
                if dups and 'duplicate_id:%d' % dups[0] not in erow[-1]:
                    print('%s %s: duplicate id (x%d) not flagged' % (os.path.basename(case), rid, dups[0]))
                    bad += 1
            if len(exp) - 1 != len(out):
                print('%s: %d expected rows, %d input rows' % (case, len(exp) - 1, len(out)))
                bad += 1
            print('%s: %s' % (os.path.basename(case), 'ok' if not bad else '%d differences' % bad))
            rc |= bool(bad)
    return rc


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
