import { expect, it } from 'vitest';
import { isDebugEnabled } from '../../src/debug.js';

// NODE_DEBUG as Node's util.debuglog reads it.
it.each([
  [undefined, false],
  ['', false],
  ['letterapp', true],
  ['LETTERAPP', true],
  ['http,letterapp', true],
  ['http, letterapp', true],
  ['letter*', true],
  ['*', true],
  ['*app', true],
  ['letter', false],
  ['letterapp2', false],
  ['http,net', false],
  ['letter.pp', false],
  [',', false],
])('NODE_DEBUG=%j: %s', (nodeDebug, enabled) => {
  expect(isDebugEnabled(nodeDebug, 'letterapp')).toBe(enabled);
});
