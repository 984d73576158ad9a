export { Letter } from './letter.js';
export { LetterError } from './errors.js';
export type { LetterErrorCode, LetterErrorDetails, WireMessage } from './errors.js';
export type { CloseOptions, FetchLike, LetterOptions } from './options.js';
export type { BaseCall, GroupCall, Id, IdentifyCall, Properties, Timestamp, TrackCall } from './calls.js';
export { VERSION } from './version.js';
export type { BeforeSend, Message } from './before-send.js';
export type { EventName, EventProperties, NoProperties, PlanGroupCall, PlanIdentifyCall, PlanTrackCall, TrackCallWithProperties, TrackingPlan } from './plan.js';
