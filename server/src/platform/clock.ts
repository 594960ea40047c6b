/** Where "now" comes from; injected so tests can move time (lockouts, session expiry) instead of sleeping. */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
