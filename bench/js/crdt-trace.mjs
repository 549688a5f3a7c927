#!/usr/bin/env node
// Chapter 1's npm peers: Yjs and Automerge replaying the editing traces, one transaction per edit.
//
// Run by dev.deepcuts.bench.crdt.CrdtBench (./deepcuts bench crdt), which sets our TextDocument and
// a plain StringBuilder beside these figures; or alone, from bench/js after `npm ci`:
//
//   node --expose-gc crdt-trace.mjs [--quick] [--traces DIR] [--trace NAME]... [--prefix N]
//                                   [--runs N] [--warmup N] [--peers yjs,automerge]
//
// It prints one JSON object on stdout (progress goes to stderr):
//   {"node", "versions": {pkg: version}, "quick", "runs", "warmup", "notes": [...],
//    "traces": [{"name", "patches", "prefix", "endLength", "endSha256",
//                "peers": {"yjs"|"automerge": {
//                   "replay": {"medianMs", "samplesMs"},
//                   "retainedHeap": {"bytes", "heapUsedDelta", "externalDelta", "method"},
//                   "encodedBytes", "encoding",
//                   "decode": {"medianMs", "samplesMs"}}}}]}
//
// How each figure is taken:
// - replay: a fresh document, then every patch of the trace (or of its first N, --prefix) in file
//   order, each patch in its own transaction: Yjs `doc.transact(() => text.delete/insert)`,
//   Automerge `Automerge.change(doc, d => Automerge.splice(d, ["text"], pos, del, ins))` (splice on a
//   string field is how Automerge 3 edits collaborative text). The final text is checked against
//   the trace's endContent (or, for a prefix, against a plain-string replay of the same prefix);
//   a mismatch exits non-zero. `--warmup` untimed runs first, then `--runs` timed ones; gc() before
//   each run, so no run pays for the previous one's garbage.
// - retained heap: in a fresh node process per peer and trace (so no earlier run has grown the
//   heap or Automerge's wasm memory): gc(), memoryUsage(), replay, gc(), memoryUsage(), holding the
//   document. Bytes = heapUsed delta + external delta. `external` holds Automerge's WebAssembly
//   memory, which only grows, so for Automerge this is the wasm heap's high-water mark: an upper
//   bound on what the document retains.
// - encoded size: Y.encodeStateAsUpdate(doc) (update format v1) and Automerge.save(doc), both the
//   whole document with its full history (Yjs with a fixed client id of the usual size, see below).
// - decode: that encoding loaded into a new document and its text read out (Y.applyUpdate into a
//   new Y.Doc, then toString(); Automerge.load, then doc.text); median of the same number of runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';

import * as Automerge from '@automerge/automerge';
import * as Y from 'yjs';

const here = dirname(fileURLToPath(import.meta.url));
const PEERS = ['yjs', 'automerge'];
const QUICK_PREFIX = 10000;
// Yjs gives every document a random 32-bit client id, and its encoding repeats it (as a varint)
// in every item's origin, so the encoded size varies from run to run by a few percent. A fixed id
// of the usual magnitude (most random uint32s take 5 varint bytes) makes it reproducible.
const YJS_CLIENT_ID = 2654435761;

// ---------------------------------------------------------------------------------------------
// options

function parseArgs(argv) {
  const o = {
    quick: false,
    traces: resolve(here, '../../data/editing-traces'),
    names: [],
    prefix: null,
    runs: null,
    warmup: null,
    peers: PEERS,
    childMemory: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      if (i + 1 >= argv.length) fail(`${a} needs a value`);
      return argv[++i];
    };
    const count = (min) => {
      const s = value();
      const n = Number(s);
      if (!Number.isInteger(n) || n < min) fail(`${a} expects an integer >= ${min}, got ${s}`);
      return n;
    };
    switch (a) {
      case '--quick': o.quick = true; break;
      case '--traces': o.traces = resolve(value()); break;
      case '--trace': o.names.push(value()); break;
      case '--prefix': o.prefix = count(1); break;
      case '--runs': o.runs = count(1); break;
      case '--warmup': o.warmup = count(0); break;
      case '--peers': {
        o.peers = value().split(',').filter((p) => p);
        for (const p of o.peers) if (!PEERS.includes(p)) fail(`--peers: unknown peer ${p}, expected some of ${PEERS.join(',')}`);
        break;
      }
      case '--child-memory': o.childMemory = value(); break;
      default: fail(`unknown argument ${a}; expected --quick, --traces DIR, --trace NAME, --prefix N, --runs N, --warmup N, --peers LIST`);
    }
  }
  if (o.names.length === 0) o.names = o.quick ? ['automerge-paper'] : ['automerge-paper', 'seph-blog1'];
  if (o.prefix === null && o.quick) o.prefix = QUICK_PREFIX;
  if (o.runs === null) o.runs = o.quick ? 3 : 5;
  if (o.warmup === null) o.warmup = 1;
  return o;
}

function fail(message) {
  process.stderr.write(`crdt-trace: ${message}\n`);
  process.exit(2);
}

function log(message) {
  process.stderr.write(message + '\n');
}

// ---------------------------------------------------------------------------------------------
// traces

/** The trace's patches (first `prefix` of them, if given) and the text they must produce. */
function loadTrace(dir, name, prefix) {
  const file = join(dir, name + '.json.gz');
  if (!existsSync(file)) fail(`no trace ${file} (expected the editing traces in ${dir}; see its README.md)`);
  let json;
  try {
    json = JSON.parse(gunzipSync(readFileSync(file)).toString('utf8'));
  } catch (e) {
    fail(`${file}: not a gzipped JSON trace: ${e.message}`);
  }
  if (typeof json.endContent !== 'string' || !Array.isArray(json.txns)) fail(`${file}: expected {endContent, txns}`);
  const patches = [];
  for (const txn of json.txns) for (const p of txn.patches) patches.push(p);
  const total = patches.length;
  let end = json.endContent;
  if (prefix !== null && prefix < total) {
    patches.length = prefix;
    end = plainReplay(patches);
  } else {
    prefix = null;
  }
  return { name, file, patches, totalPatches: total, prefix, end };
}

/** The reference replay of the trace's README, on a plain string, in chunks so it stays linear-ish. */
function plainReplay(patches) {
  let s = '';
  for (const [pos, del, ins] of patches) s = s.slice(0, pos) + ins + s.slice(pos + del);
  return s;
}

function sha256(text) {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

// ---------------------------------------------------------------------------------------------
// the peers: replay, encode, decode

const yjs = {
  replay(patches) {
    const doc = new Y.Doc();
    doc.clientID = YJS_CLIENT_ID;
    const text = doc.getText('text');
    for (const [pos, del, ins] of patches) {
      doc.transact(() => {
        if (del > 0) text.delete(pos, del);
        if (ins.length > 0) text.insert(pos, ins);
      });
    }
    return doc;
  },
  text: (doc) => doc.getText('text').toString(),
  encode: (doc) => Y.encodeStateAsUpdate(doc),
  encoding: 'Y.encodeStateAsUpdate (update v1, full history; deleted content garbage-collected as Yjs does by default)',
  decode(bytes) {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, bytes);
    return doc.getText('text').toString();
  },
};

const automerge = {
  replay(patches) {
    let doc = Automerge.from({ text: '' });
    for (const [pos, del, ins] of patches) {
      doc = Automerge.change(doc, (d) => Automerge.splice(d, ['text'], pos, del, ins));
    }
    return doc;
  },
  text: (doc) => doc.text,
  encode: (doc) => Automerge.save(doc),
  encoding: 'Automerge.save (compressed columnar document, full history)',
  decode(bytes) {
    return Automerge.load(bytes).text;
  },
};

const IMPLS = { yjs, automerge };

// ---------------------------------------------------------------------------------------------
// measuring

function collect() {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function round(ms) {
  return Math.round(ms * 1000) / 1000;
}

/** `warmup` untimed calls, then `runs` timed ones, gc() before each; fn's result is checked each time. */
function time(fn, check, warmup, runs) {
  const samples = [];
  for (let i = 0; i < warmup + runs; i++) {
    collect();
    const t0 = process.hrtime.bigint();
    const result = fn();
    const t1 = process.hrtime.bigint();
    check(result);
    if (i >= warmup) samples.push(Number(t1 - t0) / 1e6);
  }
  return { medianMs: round(median(samples)), samplesMs: samples.map(round) };
}

function expectText(actual, trace, peer, what) {
  if (actual !== trace.end) {
    let i = 0;
    while (i < actual.length && actual[i] === trace.end[i]) i++;
    process.stderr.write(`crdt-trace: ${peer} ${what} of ${trace.name}${trace.prefix ? ` (first ${trace.prefix} patches)` : ''}`
      + ` produced ${actual.length} chars, expected ${trace.end.length}; first difference at ${i}\n`);
    process.exit(1);
  }
}

/** Retained heap of one peer's document: run in a fresh process (see the header). */
function measureMemoryHere(peer, trace) {
  const impl = IMPLS[peer];
  if (typeof globalThis.gc !== 'function') fail('--child-memory needs node --expose-gc');
  collect();
  const before = process.memoryUsage();
  const doc = impl.replay(trace.patches);
  collect();
  const after = process.memoryUsage();
  expectText(impl.text(doc), trace, peer, 'replay');
  const heapUsedDelta = after.heapUsed - before.heapUsed;
  const externalDelta = after.external - before.external;
  return {
    bytes: heapUsedDelta + externalDelta,
    heapUsedDelta,
    externalDelta,
    method: 'fresh node process: gc(), process.memoryUsage() heapUsed + external delta across the replay, document held'
      + (peer === 'automerge' ? '; external includes the wasm memory, which only grows: its high-water mark, an upper bound' : ''),
  };
}

function measureMemoryInChild(peer, opts, trace) {
  const args = ['--expose-gc', fileURLToPath(import.meta.url), '--child-memory', peer,
    '--traces', opts.traces, '--trace', trace.name];
  if (trace.prefix !== null) args.push('--prefix', String(trace.prefix));
  const out = execFileSync(process.execPath, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  return JSON.parse(out);
}

function versionOf(pkg) {
  try {
    return JSON.parse(readFileSync(join(here, 'node_modules', pkg, 'package.json'), 'utf8')).version;
  } catch {
    return 'unknown';
  }
}

// ---------------------------------------------------------------------------------------------

function main() {
  const opts = parseArgs(process.argv.slice(2));

  if (opts.childMemory !== null) {
    if (!PEERS.includes(opts.childMemory)) fail(`--child-memory: unknown peer ${opts.childMemory}`);
    const trace = loadTrace(opts.traces, opts.names[0], opts.prefix);
    process.stdout.write(JSON.stringify(measureMemoryHere(opts.childMemory, trace)) + '\n');
    return;
  }
  if (typeof globalThis.gc !== 'function') fail('run with node --expose-gc (gc() is needed between runs and for the heap figures)');

  const notes = [];
  if (opts.prefix !== null) {
    notes.push(`prefix: only the first ${opts.prefix} patches of each trace are replayed; the expected text is a plain-string replay of them`);
  }
  if (opts.quick) notes.push(`quick: traces ${opts.names.join(', ')}, ${opts.warmup} warmup + ${opts.runs} timed runs`);

  const result = {
    node: process.version,
    versions: { yjs: versionOf('yjs'), '@automerge/automerge': versionOf('@automerge/automerge') },
    quick: opts.quick,
    runs: opts.runs,
    warmup: opts.warmup,
    transactions: 'one per patch (each patch in its own Y transact / Automerge.change)',
    notes,
    traces: [],
  };

  for (const name of opts.names) {
    const trace = loadTrace(opts.traces, name, opts.prefix);
    const entry = {
      name,
      patches: trace.patches.length,
      totalPatches: trace.totalPatches,
      prefix: trace.prefix,
      endLength: trace.end.length,
      endSha256: sha256(trace.end),
      peers: {},
    };
    for (const peer of opts.peers) {
      const impl = IMPLS[peer];
      const t0 = Date.now();
      log(`  ${peer}, ${name}${trace.prefix ? ` (first ${trace.prefix} patches)` : ''}: retained heap (fresh process)…`);
      const retainedHeap = measureMemoryInChild(peer, opts, trace);
      log(`  ${peer}, ${name}: replay, ${opts.warmup} warmup + ${opts.runs} runs…`);
      let doc = null;
      const replay = time(() => (doc = impl.replay(trace.patches)),
        (d) => expectText(impl.text(d), trace, peer, 'replay'), opts.warmup, opts.runs);
      const encoded = impl.encode(doc);
      doc = null;
      const decode = time(() => impl.decode(encoded),
        (text) => expectText(text, trace, peer, 'decode'), opts.warmup, opts.runs);
      entry.peers[peer] = {
        replay,
        retainedHeap,
        encodedBytes: encoded.length,
        encoding: impl.encoding,
        decode,
      };
      log(`  ${peer}, ${name}: replay ${replay.medianMs} ms, retained ${retainedHeap.bytes} B, encoded ${encoded.length} B,`
        + ` decode ${decode.medianMs} ms (${((Date.now() - t0) / 1000).toFixed(1)} s)`);
    }
    result.traces.push(entry);
  }
  process.stdout.write(JSON.stringify(result) + '\n');
}

main();
