/**
 * The time source every layer takes as a port (tests inject a fake one). A leaf module: auth,
 * catalog and store code all depend on it without depending on each other.
 */
export interface Clock {
  now(): number;
}
