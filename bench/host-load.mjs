/**
 * The load generator, in its own process (forked by host.mjs): autocannon at a fixed overall rate.
 *
 *   node host-load.mjs <url> <rate per s> <seconds> <warmup seconds> <connections>
 *
 * Runs the warm-up, says `warm`, waits for `go`, runs the measured load and sends its result.
 */
import autocannon from 'autocannon';

const [url, rate, seconds, warmupSeconds, connections] = process.argv.slice(2);

function load(duration) {
  return autocannon({ url, connections: Number(connections), overallRate: Number(rate), duration: Number(duration) });
}

// The bench that forked this is gone (or this is done and let go of it): stop loading the app.
process.once('disconnect', () => process.exit(0));

if (Number(warmupSeconds) > 0) await load(warmupSeconds);
process.send({ type: 'warm' });
await new Promise((resolve) => process.once('message', resolve));
const result = await load(seconds);
process.send({
  type: 'result',
  requests: result.requests.total,
  rate: result.requests.average,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
  latency: { p50Ms: result.latency.p50, p99Ms: result.latency.p99, maxMs: result.latency.max },
});
process.disconnect();
