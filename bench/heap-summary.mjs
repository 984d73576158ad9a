#!/usr/bin/env node
/**
 * What each app held live halfway through its window, from the heap snapshots that
 * `node bench/host.mjs --heap-snapshot DIR …` writes:
 *
 *   node bench/heap-summary.mjs DIR
 *
 * Per app, rate and variant: the snapshot's live size (the sum of every node's self size; a
 * snapshot collects garbage first), and of it code (bytecode, compiled code, feedback), strings and
 * array buffer memory, as min–max over the rounds. Under a busy app V8 lets the old generation grow
 * to a multiple of what survives a full collection before it collects again, so these live sizes,
 * not what each call allocates, set the peak (README, Performance).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MB = 1024 * 1024;

/** Live bytes in all, and in code, strings and array buffer memory. */
function summarize(file) {
  const snapshot = JSON.parse(readFileSync(file, 'utf8'));
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
  const width = fields.length;
  const typeAt = fields.indexOf('type');
  const nameAt = fields.indexOf('name');
  const sizeAt = fields.indexOf('self_size');
  const totals = { live: 0, code: 0, strings: 0, arrayBuffers: 0 };
  for (let i = 0; i < snapshot.nodes.length; i += width) {
    const type = types[snapshot.nodes[i + typeAt]];
    const size = snapshot.nodes[i + sizeAt];
    totals.live += size;
    if (type === 'code') totals.code += size;
    else if (type.endsWith('string')) totals.strings += size;
    else if (type === 'native' && snapshot.strings[snapshot.nodes[i + nameAt]].endsWith('JSArrayBufferData')) totals.arrayBuffers += size;
  }
  return totals;
}

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/heap-summary.mjs DIR');
const groups = new Map();
for (const file of readdirSync(dir).filter((f) => f.endsWith('.heapsnapshot')).sort()) {
  // Named by bench/host.mjs: app-rate-variant-rN.heapsnapshot
  const group = file.replace(/-r\d+\.heapsnapshot$/, '');
  if (!groups.has(group)) groups.set(group, []);
  groups.get(group).push(summarize(join(dir, file)));
}
const range = (list, key) => {
  const values = list.map((t) => t[key] / MB);
  const [min, max] = [Math.min(...values), Math.max(...values)];
  return min.toFixed(2) === max.toFixed(2) ? `${min.toFixed(2)}` : `${min.toFixed(2)}–${max.toFixed(2)}`;
};
for (const [group, list] of groups) {
  console.log(`${group} (${list.length} round${list.length === 1 ? '' : 's'}): live ${range(list, 'live')} MB; code ${range(list, 'code')}, strings ${range(list, 'strings')}, array buffers ${range(list, 'arrayBuffers')} MB`);
}
