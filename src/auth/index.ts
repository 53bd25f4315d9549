export * from './aksk.js';
export * from './auth-params.js';
export * from './authenticate.js';
export * from './nonce-replay-guard.js';
export * from './wsse.js';
