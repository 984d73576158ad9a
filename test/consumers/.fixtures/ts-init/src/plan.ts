// The README's typed tracking plan, used as documented: these calls must type-check.
import { Letter, type EventName, type EventProperties, type TrackingPlan } from 'letterapp';

type Plan = {
  events: {
    'Signed Up': { plan: 'free' | 'pro' };
    'Order Completed': { order_id: string; total: number; coupon?: string | undefined };
    'Page Viewed': { path?: string };
    'Logged Out': {};
  };
  traits: { name?: string; plan?: 'free' | 'pro' };
  groupTraits: { plan?: 'team' | 'enterprise'; mrr?: number };
};

const letter = new Letter<Plan>({ apiKey: process.env.LETTER_API_KEY });
letter.track({ userId: 42, event: 'Signed Up', properties: { plan: 'pro' } });
letter.track({ userId: 42, event: 'Order Completed', properties: { order_id: 'o_1', total: 49, coupon: undefined } });
letter.track({ userId: 42, event: 'Page Viewed' });
letter.track({ userId: 42, event: 'Page Viewed', properties: { path: '/' }, timestamp: new Date(), messageId: undefined });
letter.track({ userId: 42, event: 'Logged Out' });
letter.track({ userId: 42, event: 'Logged Out', properties: {} });
letter.track({ userId: 42, event: 'Logged Out', properties: null });
letter.identify({ userId: 42, email: 'ada@example.com', traits: { name: 'Ada', plan: 'free' } });
letter.identify({ userId: 42, traits: null });
letter.group({ userId: 42, accountId: 'ws_9', traits: { plan: 'team', mrr: 49 } });

// The plan's parts are there for wrappers of your own.
function trackSignup(userId: string, properties: EventProperties<Plan, 'Signed Up'>): void {
  letter.track({ userId, event: 'Signed Up', properties });
}
trackSignup('42', { plan: 'free' });
const names: EventName<Plan>[] = ['Signed Up', 'Logged Out'];
void names;

// A typed client goes wherever a plain `Letter` is expected.
function flushAll(clients: Letter[]): Promise<void[]> {
  return Promise.all(clients.map((client) => client.flush()));
}
void flushAll([letter]);

// An interface works as a plan too.
interface InterfacePlan extends TrackingPlan {
  events: InterfaceEvents;
}
interface InterfaceEvents {
  'Signed Up': { plan: 'free' | 'pro' };
}
new Letter<InterfacePlan>().track({ userId: 42, event: 'Signed Up', properties: { plan: 'free' } });

// Without a plan, any event and any properties, as before.
const untyped = new Letter();
declare const eventName: string;
untyped.track({ userId: 42, event: eventName, properties: { anything: [1, 'two'] } });
untyped.identify({ userId: 42, traits: { whatever: true } });
let later: Letter | undefined;
later ??= new Letter({ flushAt: 1 });
later.track({ userId: 42, event: 'Signed Up' });

await letter.close();
