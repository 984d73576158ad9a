// Runs the handler locally with a fake API Gateway event: `npm run invoke`.
import { handler } from './index.js';

const event = { rawPath: '/signup', body: JSON.stringify({ userId: '42', plan: 'pro' }) };
console.log(await handler(event));
