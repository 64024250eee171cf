/**
 * Jest setup: without a logger, clients log warnings and errors to the console (KUBEX_LOG, default `warn`). Tests
 * provoke backoffs and server warnings on purpose, so that output is off here unless asked for
 * (`KUBEX_LOG=warn npm test`); every test of logging passes its own logger or `environment`.
 */
process.env['KUBEX_LOG'] ??= 'off';
