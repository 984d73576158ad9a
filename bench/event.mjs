/**
 * The one event every SDK sends: a typical server-side track call with ten properties.
 * `order_id` is unique per call, so the sink can tell distinct events apart even for an SDK
 * whose wire format carries no message id of its own.
 */
export const EVENT_NAME = 'Order Completed';

export function makeEvent(i) {
  return {
    userId: `user_${i % 5000}`,
    event: EVENT_NAME,
    properties: {
      order_id: `ord_${i}`,
      total: 129.95,
      currency: 'USD',
      items: 3,
      coupon: 'SPRING24',
      plan: 'team',
      workspace_id: 'ws_9',
      first_order: false,
      source: 'checkout_page',
      referrer: 'https://example.com/pricing',
    },
  };
}

/** One wall clock, comparable across processes on the same machine, with sub-millisecond resolution. */
export function wallNow() {
  return performance.timeOrigin + performance.now();
}
