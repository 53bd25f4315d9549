/**
 * Name of the connector the embedded simulator owns. It lives in its own module so the composition
 * root can tell "only the embedded simulator's own connector exists" from "real carriers are
 * configured" without loading the simulator.
 */
export const SIMULATOR_CONNECTOR_NAME = 'simulator';
