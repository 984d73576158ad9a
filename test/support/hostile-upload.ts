/**
 * Clients that misbehave on purpose, for the ingestion server's limits: an upload that never ends,
 * a request whose body is never sent, a gzip bomb. Built on node:http so the test controls every byte.
 */
import { once } from 'node:events';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { createGzip } from 'node:zlib';

/** How a hostile upload ended. */
export interface UploadOutcome {
  /** The status of the response, if one arrived. */
  status: number | undefined;
  /** The response body, if one arrived. */
  body: string;
  /** Bytes of body written before the response arrived (or the connection closed). */
  bytesWrittenBeforeResponse: number;
  /** Bytes of body written before the server closed the connection. */
  bytesWrittenBeforeClose: number;
}

/**
 * POSTs to `url` with `headers`, writing `chunk` over and over up to `maxBytes` (never ending the
 * request unless all of it was written), and resolves once the server has answered and closed the
 * connection. `maxBytes: 0` sends the headers only.
 */
export async function hostileUpload(url: string, headers: Record<string, string>, chunk: Buffer, maxBytes: number): Promise<UploadOutcome> {
  const request = httpRequest(`${url}/v1/batch`, { method: 'POST', headers, agent: false });
  // A server that stops reading makes writes fail (EPIPE, ECONNRESET): expected here, not an error.
  request.on('error', () => {});
  request.flushHeaders();
  let written = 0;
  let writtenBeforeResponse: number | undefined;
  let status: number | undefined;
  let body = '';
  let closed = false;
  request.on('response', (response: IncomingMessage) => {
    writtenBeforeResponse = written;
    status = response.statusCode;
    response.setEncoding('utf8');
    response.on('data', (text: string) => (body += text));
    // The server answered: stop uploading, as a real client would once it has its answer.
    response.on('end', () => request.destroy());
    response.on('error', () => {});
  });
  // Plain listeners, not events.once(), which would reject on the expected 'error'.
  const closedPromise = new Promise<void>((resolve) => request.once('close', () => resolve())).then(() => {
    closed = true;
  });
  while (!closed && writtenBeforeResponse === undefined && written < maxBytes) {
    const ok = request.write(chunk);
    written += chunk.byteLength;
    if (!ok) await Promise.race([new Promise((resolve) => request.once('drain', resolve)), closedPromise]);
  }
  if (!closed && written >= maxBytes && maxBytes > 0) request.end();
  await closedPromise;
  return { status, body, bytesWrittenBeforeResponse: writtenBeforeResponse ?? written, bytesWrittenBeforeClose: written };
}

/** A gzip stream that inflates to `inflatedBytes` of zeros; made chunk by chunk, so the test never holds the inflated size. */
export async function gzipBomb(inflatedBytes: number): Promise<Buffer> {
  const gzip = createGzip({ level: 9 });
  const parts: Buffer[] = [];
  gzip.on('data', (part: Buffer) => parts.push(part));
  const zeros = Buffer.alloc(1 << 20);
  for (let done = 0; done < inflatedBytes; done += zeros.byteLength) {
    if (!gzip.write(zeros)) await once(gzip, 'drain');
  }
  gzip.end();
  await once(gzip, 'end');
  return Buffer.concat(parts);
}
