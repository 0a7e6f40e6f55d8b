import 'reflect-metadata';
import { ADMIN_EMAIL, ADMIN_PASSWORD, dbUrl, JWT_SECRET, KEY_PREFIX, TEST_REDIS_URL, workerDbName } from './test-env.js';

// Every app built in this worker talks to the worker's own database and key prefix.
process.env.NODE_ENV = 'test';
process.env.DATABASE_URL = dbUrl(workerDbName());
process.env.REDIS_URL = TEST_REDIS_URL;
process.env.QUEUE_PREFIX = `${KEY_PREFIX}_w${process.env.JEST_WORKER_ID ?? '1'}`;
process.env.JWT_SECRET = JWT_SECRET;
process.env.ADMIN_EMAIL = ADMIN_EMAIL;
process.env.ADMIN_PASSWORD = ADMIN_PASSWORD;
process.env.DATABASE_POOL_SIZE = '10';
// Secret ballots are sealed under their own secret, distinct from the JWT one (governance/ballot-secret.ts).
process.env.BALLOT_SECRET = 'test-ballot-secret-not-the-jwt-one-0123456789';
// Two keys, so the suites can show a digest under the older one being re-keyed to the first (current) one.
process.env.PIN_KEYS = 'test2:test-pin-key-2-test-pin-key-2-0123456789,test1:test-pin-key-1-test-pin-key-1-0123456789';
// Named keys, so tests can sign tokens as the app does and check that a retired key still verifies its tokens.
process.env.JWT_KEY_ID = 'test-current';
process.env.JWT_PREVIOUS_SECRETS = 'test-previous:previous-test-secret-previous-test-secret-0123';
// Tests give each client its own address through X-Forwarded-For, as a reverse proxy on the same host would.
process.env.TRUST_PROXY = 'loopback';
