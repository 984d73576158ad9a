export { startTestServer } from './server.js';
export type { RecordedRequest, Reply, TestServer, TestServerOptions } from './server.js';
export { checkBatch } from './contract.js';
export type { Violation } from './contract.js';
