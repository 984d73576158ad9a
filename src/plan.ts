/**
 * Typed tracking plans: `new Letter<Plan>()` checks every event name, its properties, and the
 * traits of users and accounts against a plan written as a TypeScript type. Types only, so it
 * costs nothing at run time and needs no code generator; the calls are still validated at run
 * time as always, since JavaScript callers and `as` casts get past any type.
 */
import type { GroupCall, IdentifyCall, Properties, TrackCall } from './calls.js';

/**
 * What a tracking plan declares. Every part is optional, and an undeclared part stays untyped
 * (any event, any traits). A type alias or an interface will do:
 *
 * ```ts
 * type Plan = {
 *   events: {
 *     'Signed Up': { plan: 'free' | 'pro' };
 *     'Logged Out': {};
 *   };
 *   traits: { name?: string; plan?: 'free' | 'pro' };
 *   groupTraits: { plan?: 'team' | 'enterprise'; mrr?: number };
 * };
 * const letter = new Letter<Plan>();
 * ```
 */
export interface TrackingPlan {
  /**
   * Each event's name, mapped to the properties it carries. `properties` is required in the call
   * when any of them is; an event declared as `{}` takes none (`undefined` and `never` mean the
   * same).
   */
  events?: object;
  /** The traits `identify` sends. */
  traits?: object;
  /** The account traits `group` sends. */
  groupTraits?: object;
}

declare const noProperties: unique symbol;

/**
 * The properties of an event that takes none: leave `properties` out, or pass `{}` or `null`.
 * (Its one key is a symbol that exists only as a type: what it does is make
 * `properties: { plan: 'pro' }` an error that says `'plan' does not exist in type 'NoProperties'`.)
 */
export interface NoProperties {
  [noProperties]?: never;
}

/** The names of the events a plan declares; any string for a plan without `events`. */
export type EventName<Plan extends TrackingPlan> = Plan extends { events: infer Events extends object } ? keyof Events & string : string;

/** The properties a plan declares for one of its events; any object for a plan without `events`. */
export type EventProperties<Plan extends TrackingPlan, Event extends EventName<Plan>> = Plan extends { events: infer Events extends object }
  ? DeclaredProperties<Events[Event & keyof Events]>
  : Properties;

/**
 * What `letter.track(...)` takes under a plan: the call shape of one declared event, or of any of
 * them (a union) when `Event` is left out. `letter.track` infers `Event` from the call's `event`,
 * so that an error is reported against that event's shape alone.
 */
export type PlanTrackCall<Plan extends TrackingPlan, Event extends EventName<Plan> = EventName<Plan>> = Plan extends { events: infer Events extends object }
  ? Event extends keyof Events & string
    ? TrackCallFor<Event, DeclaredProperties<Events[Event]>>
    : never
  : TrackCall;

/** What `letter.identify(...)` takes under a plan: its `traits` as the plan declares them. */
export type PlanIdentifyCall<Plan extends TrackingPlan> = Plan extends { traits: infer Traits extends object } ? IdentifyCall<Traits> : IdentifyCall;

/** What `letter.group(...)` takes under a plan: its `traits` as the plan's `groupTraits` declare them. */
export type PlanGroupCall<Plan extends TrackingPlan> = Plan extends { groupTraits: infer Traits extends object } ? GroupCall<Traits> : GroupCall;

/** A track call whose event has a required property, so `properties` cannot be left out. */
export interface TrackCallWithProperties<Event extends string, EventProperties extends object> extends TrackCall<Event, EventProperties> {
  properties: EventProperties;
}

type TrackCallFor<Event extends string, EventProperties extends object> = {} extends EventProperties
  ? TrackCall<Event, EventProperties>
  : TrackCallWithProperties<Event, EventProperties>;

// Distributes over a union of property shapes, so `{ a: string } | { b: string }` is kept as is;
// only a shape without keys (`{}`), and `undefined` or `never`, become NoProperties.
type DeclaredProperties<Declared> = OrNoProperties<Declared extends object ? ([keyof Declared] extends [never] ? NoProperties : Declared) : never>;
type OrNoProperties<Shape> = [Shape] extends [never] ? NoProperties : Shape;
