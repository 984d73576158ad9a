import { debuglog } from 'node:util';

/**
 * `NODE_DEBUG=letterapp` logs one line per request, retry wait and drop (Node's own convention).
 * Never given the API key: callers log endpoints, counts, sizes and statuses only.
 */
export const debug = debuglog('letterapp');
