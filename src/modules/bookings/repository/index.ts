// Every query of the tables the bookings module owns: bookings and booking_idempotency_keys.
export * from './bookings.ts';
export * from './idempotency.ts';
export * from './messages.ts';
export * from './staff.ts';
export * from './sync.ts';
