// Type-level tests. The harness copies this file into every TypeScript consumer (as .ts, and as
// .mts/.cts where the mode has both formats), so it is checked against dist/index.d.ts and
// dist/index.d.cts under node16, nodenext, bundler and node10 resolution.
//
// Each `@ts-expect-error -- <text>` line says which error the next line must cause: the harness
// also compiles a copy with these comments removed and checks that exactly those lines fail, each
// with a diagnostic containing <text>. So an expectation cannot be met by an unrelated error.
import { Letter } from 'letterapp';
import type { EventProperties, GroupCall, IdentifyCall, LetterOptions, PlanTrackCall, TrackCall } from 'letterapp';
import { startTestServer } from 'letterapp/testing';

export function typeTests(letter: Letter): void {
  // The valid calls each error below departs from by one field.
  letter.identify({ userId: 42 });
  letter.group({ userId: 42, accountId: 'ws_9' });
  letter.track({ userId: 42, event: 'Signed Up' });
  letter.track({ userId: '42', event: 'Signed Up', properties: { plan: 'pro' }, timestamp: new Date(), messageId: 'm-1' });
  const identify: IdentifyCall = { userId: 42, email: 'ada@example.com', traits: { name: 'Ada' }, timezone: 'Europe/London' };
  const group: GroupCall = { userId: 42, accountId: 9, name: 'Acme', traits: { plan: 'team' } };
  const track: TrackCall = { userId: 42, event: 'Signed Up' };
  letter.identify(identify);
  letter.group(group);
  letter.track(track);

  // @ts-expect-error -- Property 'userId' is missing
  letter.track({ event: 'Signed Up' });
  // @ts-expect-error -- Property 'event' is missing
  letter.track({ userId: 42 });
  // @ts-expect-error -- Property 'accountId' is missing
  letter.group({ userId: 42 });
  // @ts-expect-error -- Property 'userId' is missing
  letter.group({ accountId: 'ws_9' });
  // @ts-expect-error -- Property 'userId' is missing
  letter.identify({ email: 'ada@example.com' });
  // @ts-expect-error -- 'propeties' does not exist
  letter.track({ userId: 42, event: 'Signed Up', propeties: { plan: 'pro' } });
  // @ts-expect-error -- 'user_id' does not exist
  letter.track({ user_id: 42, userId: 42, event: 'Signed Up' });
  // @ts-expect-error -- Type 'null' is not assignable
  letter.track({ userId: null, event: 'Signed Up' });
  // @ts-expect-error -- Property 'accountId' is missing
  const badGroup: GroupCall = { userId: 42 };
  void badGroup;
}

type Plan = {
  events: {
    'Signed Up': { plan: 'free' | 'pro' };
    'Order Completed': { order_id: string; total: number };
    'Logged Out': {};
  };
  traits: { name?: string; plan?: 'free' | 'pro' };
  groupTraits: { mrr?: number };
};

export function planTests(letter: Letter<Plan>, untyped: Letter): void {
  // The valid calls each error below departs from by one field. (Expected texts leave out the
  // order of union members, which differs between TypeScript 5.9 and 7.)
  letter.track({ userId: 42, event: 'Signed Up', properties: { plan: 'pro' } });
  letter.track({ userId: 42, event: 'Order Completed', properties: { order_id: 'o_1', total: 49 } });
  letter.track({ userId: 42, event: 'Logged Out' });
  letter.identify({ userId: 42, traits: { name: 'Ada' } });
  letter.group({ userId: 42, accountId: 'ws_9', traits: { mrr: 49 } });
  const call: PlanTrackCall<Plan> = { userId: 42, event: 'Logged Out' };
  letter.track(call);
  const properties: EventProperties<Plan, 'Signed Up'> = { plan: 'free' };
  untyped.track({ userId: 42, event: 'Anything', properties: { anything: 1 } });

  // @ts-expect-error -- Type '"Sgined Up"' is not assignable to type '
  letter.track({ userId: 42, event: 'Sgined Up' });
  // @ts-expect-error -- Type '"gold"' is not assignable to type '"
  letter.track({ userId: 42, event: 'Signed Up', properties: { plan: 'gold' } });
  // @ts-expect-error -- Property 'properties' is missing in type '{ userId: number; event: "Signed Up"; }'
  letter.track({ userId: 42, event: 'Signed Up' });
  // @ts-expect-error -- Property 'total' is missing in type '{ order_id: string; }'
  letter.track({ userId: 42, event: 'Order Completed', properties: { order_id: 'o_1' } });
  // @ts-expect-error -- 'extra' does not exist in type '{ plan: 
  letter.track({ userId: 42, event: 'Signed Up', properties: { plan: 'pro', extra: 1 } });
  // @ts-expect-error -- 'plan' does not exist in type 'NoProperties'
  letter.track({ userId: 42, event: 'Logged Out', properties: { plan: 'pro' } });
  // @ts-expect-error -- Type 'null' is not assignable to type '{ plan: 
  letter.track({ userId: 42, event: 'Signed Up', properties: null });
  // @ts-expect-error -- Type '"gold"' is not assignable to type '
  letter.identify({ userId: 42, traits: { plan: 'gold' } });
  // @ts-expect-error -- 'nmae' does not exist in type '{ name?: string
  letter.identify({ userId: 42, traits: { nmae: 'Ada' } });
  // @ts-expect-error -- Type 'string' is not assignable to type 'number'
  letter.group({ userId: 42, accountId: 'ws_9', traits: { mrr: '49' } });
  // @ts-expect-error -- Type '"gold"' is not assignable to type '"
  const badProperties: EventProperties<Plan, 'Signed Up'> = { plan: 'gold' };
  // @ts-expect-error -- has no properties in common with type 'TrackingPlan'
  new Letter<{ evnts: { 'Signed Up': {} } }>();
  void [properties, badProperties];
}

export function optionTests(): LetterOptions {
  // @ts-expect-error -- 'flush_at' does not exist
  new Letter({ apiKey: 'lt_test_x', flush_at: 10 });
  return { apiKey: 'lt_test_x', flushAt: 10, flushInterval: 100, onError: (error) => void error.code };
}

export async function testingTypes(): Promise<number> {
  const server = await startTestServer({ apiKey: 'lt_test_x' });
  const count: number = server.messages.length;
  // @ts-expect-error -- Property 'nope' does not exist
  server.nope();
  await server.close();
  return count;
}
